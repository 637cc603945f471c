// @vitest-environment node
// docs/backend.md's TypeScript examples are real code: they must type-check against the sources.
// Express, Hono and unstorage are not installed: a prelude declares the little of them the
// examples use, as their own types describe it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { typeCheckExamples } from '../type-check-examples';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/backend.md'), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);

const PRELUDE = `
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  interface Express { all(path: string, handler: Handler): void; }
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
`;

it('has the examples: Next.js, Express, Hono, Node http, cross-origin (both sides), Keyv, Redis, unstorage', () => {
  expect(blocks).toHaveLength(9);
  expect(doc).not.toMatch(/```js\n/); // every example is TypeScript, and so checked here
});

it('type-checks every TypeScript example in docs/backend.md', () => {
  const files = new Map(blocks.map((code, i) => [join(root, `backend-example-${i}.ts`), code]));
  files.set(join(root, 'backend-example-prelude.d.ts'), PRELUDE);
  // Only the examples' own problems: the sources are `npm run typecheck`'s business.
  const problems = typeCheckExamples(files, {
    // `redis` is node-redis, whose client is @redis/client (installed with @keyv/redis).
    paths: { redis: ['node_modules/@redis/client/dist/index.d.ts'] },
  }).filter((problem) => problem.startsWith('backend-example-'));
  expect(problems).toEqual([]);
}, 60_000); // a full type-check: seconds on a busy 2-core machine
