// @vitest-environment node
// The demo's real-HubSpot mode, exercised against the local fake of HubSpot's token API.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALICE, demoChatToken, startDemo } from './demo-process';
import { ACCESS_TOKEN, type FakeApi, startFakeHubSpotApi } from './fake-hubspot-api.mjs';

let api: FakeApi;
let demo: ChildProcess;
let base: string;

beforeAll(async () => {
  api = await startFakeHubSpotApi();
  const started = startDemo({
    ...process.env,
    HUBSPOT_PORTAL_ID: '1234567',
    HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN,
    HUBSPOT_API_BASE_URL: api.baseUrl,
  });
  demo = started.child;
  base = await started.base;
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
  const { signIn, cookie, response } = await demoChatToken(base, ALICE);
  expect(cookie).toMatch(/^demo_session=/);
  expect(signIn.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { expiresIn: number };
  expect(body).toEqual({
    email: 'alice@example.com',
    token: expect.stringMatching(/^hs-token-\d+-for-alice@example.com$/),
    expiresIn: expect.any(Number),
  });
  // HubSpot's 12 hours, less the whole seconds between minting and answering: 43199 on a busy
  // machine (an exact 43200 failed `npm test` under load).
  expect(body.expiresIn).toBeGreaterThan(43_200 - 60);
  expect(body.expiresIn).toBeLessThanOrEqual(43_200);
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
