// @vitest-environment node
// The demo's real-HubSpot mode, exercised against the local fake of HubSpot's token API.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ACCESS_TOKEN, type FakeApi, startFakeHubSpotApi } from './fake-hubspot-api.mjs';

let api: FakeApi;
let demo: ChildProcess;
let base: string;

beforeAll(async () => {
  api = await startFakeHubSpotApi();
  demo = spawn(process.execPath, ['demo/server.mjs'], {
    env: {
      ...process.env,
      PORT: '0',
      HUBSPOT_PORTAL_ID: '1234567',
      HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN,
      HUBSPOT_API_BASE_URL: api.baseUrl,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    demo.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /demo: (http:\/\/[\d.]+:\d+)\//.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    demo.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${out}`)));
  });
}, 20_000);

afterAll(async () => {
  demo.kill();
  await api.close();
});

it('loads the real loader and mints tokens through HubSpot when configured', async () => {
  expect(await (await fetch(`${base}/api/config`)).json()).toMatchObject({
    mode: 'hubspot',
    tokens: 'hubspot',
    portalId: '1234567',
  });
  expect((await fetch(`${base}/api/chat-token`, { method: 'POST' })).status).toBe(401);
  const signIn = await fetch(`${base}/api/sign-in`, {
    method: 'POST',
    body: JSON.stringify({ email: 'alice@example.com', password: 'alice-demo' }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
  expect(cookie).toMatch(/^demo_session=/);
  expect(signIn.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
  const response = await fetch(`${base}/api/chat-token`, {
    method: 'POST',
    headers: { Cookie: cookie, Origin: base },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    email: 'alice@example.com',
    token: expect.stringMatching(/^hs-token-\d+-for-alice@example.com$/),
    expiresIn: 43_200,
  });
  expect(api.calls).toEqual([
    expect.objectContaining({
      authorization: `Bearer ${ACCESS_TOKEN}`,
      body: { email: 'alice@example.com', firstName: 'Alice' },
    }),
  ]);
  const crossSite = await fetch(`${base}/api/chat-token`, {
    method: 'POST',
    headers: { Cookie: cookie, Origin: 'https://evil.example' },
  });
  expect(crossSite.status).toBe(403);
});
