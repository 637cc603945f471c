// Issue 21: every TypeScript example in README.md and docs/*.md must compile in a strict consumer's
// project, against the packed package, under @tsconfig/strictest (exactOptionalPropertyTypes,
// noPropertyAccessFromIndexSignature, noUnused*, …), with Node's real types for `node:http`.
// Used by scripts/consumer-check.mjs, in its throwaway project where the tarball, React, Vue,
// @types/node and SNIPPET_PACKAGES are installed. docs/api.md is left out: it is generated from the TSDoc, whose
// examples are fragments (an option, an object member), not programs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What the examples use without importing it, and the libraries they import that are neither
 * installed here nor worth installing for a type-check, declared as those libraries declare them
 * (the same declarations as the examples' unit tests, test/readme.test.ts, test/server/, test/react/
 * and test/vue/). `chat` is the page's Chat, as the prose around those examples says.
 */
const PRELUDE = `declare const chat: import('hubspot-visitor-chat').Chat;
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  interface Express {
    all(path: string, handler: Handler): void;
    post(path: string, handler: Handler): void;
    use(handler: Handler): void;
    listen(port: number): void;
  }
  export default function express(): Express;
}
declare module 'hono' {
  export class Hono {
    on(methods: string[], path: string, handler: (c: { req: { raw: Request } }) => Response | Promise<Response>): void;
  }
}
declare module 'unstorage' {
  interface Storage {
    getItem<T>(key: string): Promise<T | null>;
    setItem(key: string, value: string, options?: { ttl?: number }): Promise<void>;
    removeItem(key: string): Promise<void>;
  }
  export function createStorage(options: { driver: unknown }): Storage;
}
declare module 'unstorage/drivers/redis' {
  export default function redisDriver(options: { url?: string }): unknown;
}
declare module 'next/navigation' {
  export function usePathname(): string;
}
declare module 'vue-router' {
  import type { Component } from 'vue';
  export const RouterView: Component;
  export function useRoute(): { readonly fullPath: string; readonly path: string };
}
declare module '#app' {
  import type { App } from 'vue';
  export function defineNuxtPlugin(plugin: (nuxtApp: { vueApp: App }) => void): unknown;
}
`;

/**
 * The cases issue 21 names, beside the examples: values that may be `undefined` (an unset
 * environment variable, an optional session field, a missing `<meta>`) passed to optional options,
 * as a strict app does; and the `tokenUrl`/`fetchToken` exclusivity, which must still hold.
 */
const CASES = `import type { IncomingMessage, ServerResponse } from 'node:http';
import { createChat, mountLauncher } from 'hubspot-visitor-chat';
import { HubSpotChatProvider } from 'hubspot-visitor-chat/react';
import { createHubSpotChat, type HubSpotChatProviderProps } from 'hubspot-visitor-chat/vue';
import {
  createTokenHandler, hubspotTokenMinter, jwtTokenMinter, toNodeHandler, type Visitor,
} from 'hubspot-visitor-chat/server';

declare const maybe: string | undefined;
declare const maybeNumber: number | undefined;
declare const maybeFlag: boolean | undefined;
declare const session: { email: string; firstName?: string | undefined } | null;

// The Next.js route handler: a first name the session may not have.
export const visitor: Visitor = { email: 'alice@example.com', firstName: maybe, lastName: undefined };
export const POST = createTokenHandler({
  getVisitor: () => session && { email: session.email, firstName: session.firstName, lastName: maybe },
  mint: hubspotTokenMinter({ accessToken: maybe ?? '', baseUrl: maybe, timeoutMs: maybeNumber, store: undefined }),
  allowedOrigins: undefined,
  onError: undefined,
  getVisitorTimeoutMs: maybeNumber,
});
export const jwt = jwtTokenMinter({ secret: maybe ?? '', ttlSeconds: maybeNumber, issuer: maybe, includeNames: maybeFlag });
// Node's own request and response, as node:http hands them over.
const node = toNodeHandler(POST, { onError: undefined });
export const listener = (req: IncomingMessage, res: ServerResponse) => void node(req, res);

// The CSP nonce from a tag that may be missing, and other options from the environment.
const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce;
export const chat = createChat({
  portalId: '1234567', tokenUrl: '/api/chat-token', nonce, scriptUrl: maybe, timeoutMs: maybeNumber,
  tokenRequest: { method: maybe, credentials: undefined }, widget: { inlineEmbedSelector: maybe },
  debug: maybeFlag, load: undefined, consent: undefined,
});
export const login = () => chat.login({ fresh: maybeFlag });
export const logout = () => chat.logout({ forgetVisitor: maybeFlag });
export const pageView = () => chat.pageView({ path: maybe, openToNewThread: maybeFlag });
export const unmount = mountLauncher(chat, { label: maybe, zIndex: maybeNumber });

// React and Vue props from values that may be undefined.
export const Provider = () => (
  <HubSpotChatProvider portalId="1234567" tokenUrl="/api/chat-token" scriptUrl={maybe} signedIn={maybe} onError={undefined} />
);
export const vueProps: HubSpotChatProviderProps = { portalId: '1234567', tokenUrl: '/t', scriptUrl: maybe, signedIn: maybe };
export const plugin = createHubSpotChat({ portalId: '1234567', tokenUrl: '/t', onError: undefined, nonce: maybe });

// Exactly one of tokenUrl and fetchToken, still.
const fetchToken = async () => ({ email: 'a@example.com', token: 't' });
// @ts-expect-error -- both
createChat({ portalId: '1', tokenUrl: '/t', fetchToken });
// @ts-expect-error -- neither
createChat({ portalId: '1' });
// @ts-expect-error -- a tokenUrl that may be missing
createChat({ portalId: '1', tokenUrl: maybe });
// @ts-expect-error -- options beside chat
export const Both = () => <HubSpotChatProvider chat={chat} portalId="1" />;
`;

/** What the caller installs beside the package (at this repository's versions) before the check. */
export const SNIPPET_PACKAGES = ['@tsconfig/strictest', 'react-router'];
/**
 * The test tools and Redis clients the examples import, linked from this repository's own
 * node_modules rather than installed again: only their types are read.
 */
const LINKED = {
  vitest: 'vitest',
  '@playwright/test': '@playwright/test',
  '@keyv/redis': '@keyv/redis',
  // `redis` is node-redis, whose client is @redis/client (installed with @keyv/redis).
  redis: '@redis/client',
};

/** The TypeScript examples of one Markdown page: ts/tsx blocks, and `<script setup lang="ts">` of vue blocks. */
function blocksOf(text) {
  const blocks = [];
  for (const match of text.matchAll(/^```(ts|tsx|vue)\n([\s\S]*?)^```$/gm)) {
    const [, lang, body] = match;
    const line = text.slice(0, match.index).split('\n').length + 1; // the block's first line
    if (lang === 'vue') {
      const script = /<script setup lang="ts">\n([\s\S]*?)<\/script>/.exec(body);
      if (!script)
        throw new Error(`a vue example without <script setup lang="ts"> at line ${line}`);
      const offset = body.slice(0, script.index).split('\n').length;
      blocks.push({ lang, code: script[1], line: line + offset });
    } else {
      blocks.push({ lang, code: body, line });
    }
  }
  return blocks;
}

/**
 * Writes every example into `dir/snippets/<page>/` (a block whose first line names a path, such as
 * `// app/layout.tsx`, gets that path, so that examples can import each other), links the libraries
 * they use, and type-checks them with `tsc` under @tsconfig/strictest. Throws with tsc's output,
 * each place translated to the page and line it came from.
 */
export function checkDocSnippets({ repo, dir, tsc }) {
  const pages = [
    'README.md',
    ...readdirSync(join(repo, 'docs'))
      .filter((name) => name.endsWith('.md') && name !== 'api.md')
      .sort()
      .map((name) => `docs/${name}`),
  ];
  const origins = new Map(); // snippet file → { page, line }
  const files = { ts: [], vue: [] };
  for (const page of pages) {
    blocksOf(readFileSync(join(repo, page), 'utf8')).forEach(({ lang, code, line }, i) => {
      const named = lang !== 'vue' && /^\/\/ ([\w./-]+\.tsx?)\b/.exec(code)?.[1];
      const file = join('snippets', page, named || `example-${i}.${lang === 'tsx' ? 'tsx' : 'ts'}`);
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), `${code}\nexport {};\n`);
      origins.set(file, { page, line });
      files[lang === 'vue' ? 'vue' : 'ts'].push(file);
    });
  }
  writeFileSync(join(dir, 'snippets/prelude.d.ts'), PRELUDE);
  writeFileSync(join(dir, 'snippets/cases.tsx'), CASES);
  for (const [name, target] of Object.entries(LINKED)) {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(join(repo, 'node_modules', target), join(dir, 'node_modules', name), 'dir');
  }
  const compilerOptions = {
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    lib: ['es2022', 'dom', 'dom.iterable'],
    jsx: 'react-jsx',
    types: ['node'],
    noEmit: true,
  };
  writeFileSync(
    join(dir, 'tsconfig.snippets.json'),
    JSON.stringify({
      extends: '@tsconfig/strictest/tsconfig.json',
      compilerOptions,
      files: ['snippets/prelude.d.ts', 'snippets/cases.tsx', ...files.ts],
    }),
  );
  // A <script setup>'s bindings are read by its template, which only vue-tsc checks: here they
  // would all be "unused".
  writeFileSync(
    join(dir, 'tsconfig.vue-snippets.json'),
    JSON.stringify({
      extends: '@tsconfig/strictest/tsconfig.json',
      compilerOptions: { ...compilerOptions, noUnusedLocals: false },
      files: ['snippets/prelude.d.ts', ...files.vue],
    }),
  );
  for (const project of ['tsconfig.snippets.json', 'tsconfig.vue-snippets.json']) {
    try {
      execFileSync('node', [tsc, '-p', project], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const output = String(error.stdout ?? '').replace(
        /^(snippets\/\S+?)\((\d+),(\d+)\)/gm,
        (whole, file, row) => {
          const origin = origins.get(file);
          return origin ? `${whole} [${origin.page}:${origin.line + Number(row) - 1}]` : whole;
        },
      );
      throw new Error(
        `consumer check failed: the examples do not compile under @tsconfig/strictest (${project}):\n${output}`,
      );
    }
  }
  return { examples: origins.size, pages: pages.length };
}
