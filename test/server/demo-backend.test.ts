// @vitest-environment node
// The demo backend's own security: HttpOnly + SameSite session cookie, a POST-only token endpoint
// that refuses cross-site requests, and a secret from the environment.
import { type ChildProcess, spawn } from 'node:child_process';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';

const SECRET = 'a-secret-from-the-environment-32-bytes-at-least';
let demo: ChildProcess;
let base: string;
let output = '';

beforeAll(async () => {
  demo = spawn(process.execPath, ['demo/server.mjs'], {
    env: {
      ...process.env,
      PORT: '0',
      DEMO_TOKEN_SECRET: SECRET,
      HUBSPOT_PORTAL_ID: '',
      HUBSPOT_ACCESS_TOKEN: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise<string>((resolve, reject) => {
    demo.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /demo: (http:\/\/[\d.]+:\d+)\//.exec(output);
      if (match?.[1] && output.includes('Tokens:')) resolve(match[1]);
    });
    demo.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${output}`)));
  });
}, 20_000);
afterAll(() => {
  demo.kill();
});

async function session() {
  const response = await fetch(`${base}/api/sign-in`, {
    method: 'POST',
    body: JSON.stringify({ email: 'alice@example.com', password: 'alice-demo' }),
  });
  return response.headers.get('set-cookie') ?? '';
}

it('sets the session cookie HttpOnly and SameSite=Lax, and refuses wrong passwords', async () => {
  expect(await session()).toMatch(/^demo_session=[\w-]+; HttpOnly; SameSite=Lax; Path=\/$/);
  const wrong = await fetch(`${base}/api/sign-in`, {
    method: 'POST',
    body: JSON.stringify({ email: 'alice@example.com', password: 'bob-demo' }),
  });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('set-cookie')).toBeNull();
});

it('answers the token endpoint to POST only, and refuses cross-site requests', async () => {
  const cookie = (await session()).split(';')[0] as string;
  expect((await fetch(`${base}/api/chat-token`, { headers: { Cookie: cookie } })).status).toBe(405);
  const crossSite = await fetch(`${base}/api/chat-token`, {
    method: 'POST',
    headers: { Cookie: cookie, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
  });
  expect(crossSite.status).toBe(403);
  expect((await fetch(`${base}/api/chat-token`, { method: 'POST' })).status).toBe(401);
  const ok = await fetch(`${base}/api/chat-token`, {
    method: 'POST',
    headers: { Cookie: cookie, Origin: base },
  });
  expect(ok.headers.get('cache-control')).toBe('no-store');
  const { token, email } = (await ok.json()) as { token: string; email: string };
  expect(email).toBe('alice@example.com');
  // Signed with the secret from the environment, not the fake default.
  const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET));
  expect(payload.email).toBe('alice@example.com');
  expect(output).not.toContain('FAKE demo secret');
});
