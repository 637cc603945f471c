// @vitest-environment node
// docs/local-development.md's setup, as written: its fake of HubSpot's token API (run as a Node
// process, on a free port instead of 4010), the documented token endpoint with
// `hubspotTokenMinter({ baseUrl })` against it, and the documented `verifyToken`, which must accept
// the tokens that endpoint hands out and nothing else. (Its TypeScript compiles under
// @tsconfig/strictest in `npm run check:consumer`; a browser run of the whole setup is the demo's
// own way of working, e2e/.)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTokenHandler, hubspotTokenMinter } from '../src/server/index';

const root = join(import.meta.dirname, '..');
const doc = readFileSync(join(root, 'docs/local-development.md'), 'utf8');
const block = (lang: string, needle: string) =>
  [...doc.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].find(
    (match) => match[1] === lang && match[2]?.includes(needle),
  )?.[2] ?? '';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let api: ChildProcess;
let baseUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'hvc-local-dev-'));
beforeAll(async () => {
  const port = await freePort();
  const fake = block('js', 'createServer');
  expect(fake).toContain('.listen(4010, ');
  writeFileSync(
    join(dir, 'fake-hubspot-api.mjs'),
    fake.replace('.listen(4010, ', `.listen(${port}, `),
  );
  api = spawn(process.execPath, [join(dir, 'fake-hubspot-api.mjs')], { stdio: 'inherit' });
  baseUrl = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const up = await fetch(baseUrl).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (tries > 100) throw new Error('the documented fake API did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
afterAll(() => {
  api?.kill();
  rmSync(dir, { recursive: true, force: true });
});

it('the documented endpoint mints through the documented fake API, and verifyToken accepts only those tokens', async () => {
  const endpoint = block('ts', 'hubspotTokenMinter');
  expect(endpoint).toContain("baseUrl: process.env['HUBSPOT_API_BASE_URL']");
  const handler = createTokenHandler({
    getVisitor: () => ({ email: 'alice@example.com', firstName: 'Alice' }),
    mint: hubspotTokenMinter({ accessToken: 'local', baseUrl }),
  });
  const response = await handler(
    new Request('http://localhost:3000/api/chat-token', { method: 'POST' }),
  );
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { email: string; token: string; expiresIn: number };
  expect(answer).toMatchObject({
    email: 'alice@example.com',
    token: 'local-token:alice@example.com',
  });
  expect(answer.expiresIn).toBeGreaterThan(43_200 - 60);

  const browser = block('ts', 'verifyToken');
  expect(browser).toContain("scriptUrl: DEV ? '/hubspot-stand-in.js' : undefined");
  const arrow =
    /verifyToken: (\(email, token\) => [^\n]*?),? *(\/\/.*)?$/m.exec(browser)?.[1] ?? '';
  const verifyToken = new Function(
    `return ${ts.transpileModule(arrow, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText}`,
  )() as (email: string, token: string) => boolean;
  expect(verifyToken('alice@example.com', answer.token)).toBe(true);
  expect(verifyToken('bob@example.com', answer.token)).toBe(false);
});

it('names the stand-in file the package exports, and the path scriptUrl loads', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  expect(pkg.exports['./testing/hubspot-stand-in.js']).toBe('./dist/testing/hubspot-stand-in.js');
  expect(doc).toContain(
    'cp node_modules/hubspot-visitor-chat/dist/testing/hubspot-stand-in.js public/',
  );
});
