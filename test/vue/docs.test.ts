// @vitest-environment node
// docs/vue.md's examples are real code: every ```ts block, and the `<script setup lang="ts">` of
// every ```vue block (its template is not type-checked: that takes vue-tsc), must type-check
// against the sources and Vue's types. vue-router and Nuxt are not dependencies: the few
// functions the examples take from them are declared below, as those packages declare them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { typeCheckExamples } from '../type-check-examples';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/vue.md'), 'utf8');
const blocks = [...doc.matchAll(/```(ts|vue)\n([\s\S]*?)```/g)].map((match) => ({
  lang: match[1] as string,
  code:
    match[1] === 'vue'
      ? (/<script setup lang="ts">\n([\s\S]*?)<\/script>/.exec(match[2] as string)?.[1] ?? '')
      : (match[2] as string),
}));

const OTHERS = `declare module 'vue-router' {
  import type { Component } from 'vue';
  export const RouterView: Component;
  export function useRoute(): { readonly fullPath: string; readonly path: string };
}
declare module '#app' {
  import type { App } from 'vue';
  export function defineNuxtPlugin(plugin: (nuxtApp: { vueApp: App }) => void): unknown;
}
`;

it('has examples for the plugin, the provider, the composables, vue-router and Nuxt', () => {
  expect(blocks.filter((block) => block.lang === 'vue').length).toBeGreaterThanOrEqual(3);
  for (const block of blocks) expect(block.code.trim()).not.toBe(''); // every SFC has its script
  const all = blocks.map((block) => block.code).join('\n');
  for (const needle of [
    'createHubSpotChat',
    'HubSpotChatProvider',
    'useChatPageView(() => route.fullPath)',
    'useChatState',
    'defineNuxtPlugin',
  ]) {
    expect(all).toContain(needle);
  }
});

it('type-checks every TypeScript example in docs/vue.md', () => {
  const files = new Map(
    blocks.map((block, i) => [
      join(root, 'docs-vue', `example-${i}.ts`),
      `${block.code}\nexport {};\n`,
    ]),
  );
  files.set(join(root, 'docs-vue/others.d.ts'), OTHERS);
  const problems = typeCheckExamples(files, { types: [], isolatedModules: true });
  expect(problems).toEqual([]);
}, 60_000); // a full type-check: seconds on a busy 2-core machine
