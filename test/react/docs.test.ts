// @vitest-environment node
// docs/react.md's examples are real code: every ```tsx and ```ts block must type-check against the
// sources, React's types and react-router's. Next.js is not a dependency: the one function the
// examples take from it (`usePathname`) is declared below, as Next.js declares it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { typeCheckExamples } from '../type-check-examples';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/react.md'), 'utf8');
const blocks = [...doc.matchAll(/```(tsx?)\n([\s\S]*?)```/g)].map((match) => ({
  ext: match[1] as string,
  code: match[2] as string,
}));

const NEXT_NAVIGATION = `declare module 'next/navigation' {
  export function usePathname(): string;
}
`;

it('has TSX examples for the provider, the hooks, Next.js and React Router', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  const all = blocks.map((block) => block.code).join('\n');
  for (const needle of ["'use client'", 'useChatPageView', "from 'react-router'", 'useChatState']) {
    expect(all).toContain(needle);
  }
});

/** Where a block lives: the path its first line names (`// app/layout.tsx`), so that blocks can import each other. */
const fileName = ({ ext, code }: (typeof blocks)[number], i: number) =>
  join(root, 'docs-react', /^\/\/ ([\w./-]+\.tsx?)\b/.exec(code)?.[1] ?? `example-${i}.${ext}`);

it('type-checks every TypeScript example in docs/react.md', () => {
  const files = new Map(blocks.map((block, i) => [fileName(block, i), block.code]));
  files.set(join(root, 'docs-react/next-navigation.d.ts'), NEXT_NAVIGATION);
  const problems = typeCheckExamples(files, { types: [], isolatedModules: true });
  expect(problems).toEqual([]);
}, 60_000); // a full type-check: seconds on a busy 2-core machine
