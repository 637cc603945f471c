// @vitest-environment node
// The shared token store against a real Redis (Debian's redis-server, started here on a free
// localhost port and stopped by its pid) through Keyv + @keyv/redis, as a deployment would use it.
// Never skipped: without redis-server, beforeAll fails with how to install it (.ci/run does).
import { type ChildProcess, fork } from 'node:child_process';
import KeyvRedis, { createClient, Keyv } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../scripts/redis.mjs';
import { hubspotTokenMinter } from '../../src/server/index';
import { bundleServer, type ServerBundle } from './bundle-server';
import { BOB, demoChatToken, startDemo } from './demo-process';
import { ACCESS_TOKEN, type FakeApi, startFakeHubSpotApi } from './fake-hubspot-api.mjs';

const storeSecret = 'a-store-secret-of-at-least-32-bytes!';
let redis: RedisServer;
let api: FakeApi;
let bundle: ServerBundle;
const children: ChildProcess[] = [];

/**
 * Awaited by every test, so that a missing redis-server fails each of them with its message
 * (a throwing beforeAll would only mark them skipped).
 */
let ready: Promise<void>;
beforeAll(async () => {
  ready = (async () => {
    // A fake HubSpot that takes 100 ms, as the real one does: concurrent requests overlap.
    api = await startFakeHubSpotApi({ delayMs: 100 });
    bundle = await bundleServer();
    redis = await startRedis();
  })();
  await ready.catch(() => {});
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill();
  await Promise.all([redis?.stop(), api?.close(), bundle?.remove()]);
});

/** One instance of the endpoint in its own Node process, sharing `redis`. */
async function instance(): Promise<{ base: string; child: ChildProcess }> {
  const child = fork('test/server/fixtures/token-server.mjs', {
    env: {
      ...process.env,
      SERVER_MODULE: bundle.url,
      HUBSPOT_BASE_URL: api.baseUrl,
      HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN,
      REDIS_URL: redis.url,
      TOKEN_STORE_SECRET: storeSecret,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`token server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

/** The demo's backend (demo/server.mjs, on dist/) in real-HubSpot mode with HUBSPOT_TOKEN_STORE. */
function demo(): Promise<string> {
  const { child, base } = startDemo(
    {
      ...process.env,
      HUBSPOT_PORTAL_ID: '1234567',
      HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN,
      HUBSPOT_API_BASE_URL: api.baseUrl,
      HUBSPOT_TOKEN_STORE: redis.url,
      HUBSPOT_TOKEN_STORE_SECRET: storeSecret, // required with HUBSPOT_TOKEN_STORE
    },
    'in Redis too',
  );
  children.push(child);
  return base;
}

/** `expect` files the answer's latency in the server's /stats (`shared`: another process minted). */
const ask = (base: string, email: string, expect?: 'shared') =>
  fetch(`${base}/api/chat-token`, {
    method: 'POST',
    headers: { 'X-Visitor': email, ...(expect && { 'X-Expect': expect }) },
  });

/** What an instance's GET /stats answers (test/server/fixtures/token-server.mjs). */
async function statsOf(instance: { base: string }) {
  return (await (await fetch(`${instance.base}/stats`)).json()) as {
    errors: number;
    storeErrors: number;
    latencyMs: Record<'cached' | 'shared' | 'other', number[]>;
  };
}

/** Resolves once `condition()` holds (checked every 10 ms); rejects after 10 s. */
async function until(condition: () => boolean) {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > 10_000) throw new Error('until: still false after 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const callsFor = (email: string) =>
  api.calls.filter((call) => (call.body as { email?: string }).email === email).length;

describe('with a real Redis through Keyv + @keyv/redis', () => {
  it('stores under hvc:<sha-256> an encrypted value, which a second minter reuses', async () => {
    await ready;
    const keyv = new Keyv(new KeyvRedis(redis.url));
    const mint = () =>
      hubspotTokenMinter({
        accessToken: ACCESS_TOKEN,
        baseUrl: api.baseUrl,
        store: keyv,
        storeSecret,
      });
    const first = await mint()({ email: 'carol@example.com' });
    const second = await mint()({ email: 'carol@example.com' });
    expect(second.token).toBe(first.token);
    expect(callsFor('carol@example.com')).toBe(1);

    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const keys = await client.keys('*hvc:*');
      // Keyv adds its namespace in front (`keyv::keyv:`); the key itself is ours.
      expect(keys).toEqual([expect.stringMatching(/^keyv::keyv:hvc:[0-9a-f]{64}$/)]);
      const raw = String(await client.get(keys[0] as string));
      expect(raw).not.toContain('carol');
      expect(raw).not.toContain(first.token);
      const ttl = await client.pTTL(keys[0] as string);
      expect(ttl).toBeGreaterThan((43_200 - 3600 - 60) * 1000); // expires with 1 h of token left
      expect(ttl).toBeLessThanOrEqual((43_200 - 3600) * 1000);
    } finally {
      await client.quit();
      await keyv.disconnect();
    }
  });

  it('two Node processes sharing Redis make exactly one HubSpot call per email for a concurrent burst', async () => {
    await ready;
    const [a, b] = await Promise.all([instance(), instance()]);
    const emails = Array.from({ length: 20 }, (_, i) => `burst-${i}@example.com`);
    // The timing is the test's, not the machine's: process A claims every email and its HubSpot
    // calls are held until process B's burst is under way, then answered at once. B's requests
    // thus find A's claims and wait for A's tokens, which land within the 1 s a waiter gives
    // another process (docs/backend.md, "How long one instance waits for another").
    const release = api.hold(emails.length);
    const fromA = emails.flatMap((email) => Array.from({ length: 5 }, () => ask(a.base, email)));
    await until(() => emails.every((email) => callsFor(email) === 1));
    const fromB = emails.flatMap((email) =>
      Array.from({ length: 5 }, () => ask(b.base, email, 'shared')),
    );
    release();
    const answers = await Promise.all([...fromA, ...fromB]);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as Array<{
      email: string;
      token: string;
    }>;
    const waitedMost = Math.max(...(await statsOf(b)).latencyMs.shared);
    for (const email of emails) {
      const tokens = new Set(
        bodies.filter((body) => body.email === email).map((body) => body.token),
      );
      for (const token of tokens) expect(token).toMatch(new RegExp(`-for-${email}$`));
      if (waitedMost < 1000) {
        // Every B request was answered within a waiter's 1 s: one call, one token per email.
        expect(callsFor(email)).toBe(1);
        expect(tokens.size).toBe(1);
      } else {
        // Only if the machine stalled a process past the bound (with 2 cores at a load of 8, B's
        // slowest answer took 0.22–0.32 s; starving A for 1.2 s with SIGSTOP gets here): the
        // design then lets B mint too, once per email.
        expect(callsFor(email)).toBeLessThanOrEqual(2);
      }
    }
  }, 30_000);

  it("a second Node process waits at most about 1 s for the first one's HubSpot call, then mints itself", async () => {
    await ready;
    const [a, b] = await Promise.all([instance(), instance()]);
    const email = 'slow-first@example.com';
    const release = api.hold(1); // A's call to HubSpot hangs: A holds the claim and renews it
    try {
      const fromA = ask(a.base, email);
      await until(() => callsFor(email) === 1);
      const started = performance.now();
      const fromB = await ask(b.base, email);
      const waited = performance.now() - started;
      expect(fromB.status).toBe(200);
      expect(((await fromB.json()) as { token: string }).token).toMatch(/-for-slow-first@/);
      // B minted itself, while A's call still hangs (held until the release below)…
      expect(callsFor(email)).toBe(2);
      // …after respecting A's claim for about a second (A renews it every 300 ms). How close to
      // 1 s the wait ends is measured in redis-store-resilience.test.ts, from the moment the
      // claim is read; here, only that it ends, loosely enough for a loaded machine.
      expect(waited).toBeGreaterThan(900);
      expect(waited).toBeLessThan(5000);
      release();
      expect((await fromA).status).toBe(200);
    } finally {
      release();
    }
  }, 30_000);

  it("the demo's backend shares HubSpot tokens through Redis with HUBSPOT_TOKEN_STORE", async () => {
    await ready;
    const demos = await Promise.all([demo(), demo()]);
    const tokens: string[] = [];
    for (const base of demos) {
      const { response } = await demoChatToken(base, BOB);
      expect(response.status).toBe(200);
      tokens.push(((await response.json()) as { token: string }).token);
    }
    expect(tokens[1]).toBe(tokens[0]);
    expect(callsFor('bob@example.com')).toBe(1);
  }, 30_000);

  it('killing Redis mid-run keeps every answer 200 and calls onStoreError', async () => {
    await ready;
    const [a, b] = await Promise.all([instance(), instance()]);
    const emails = Array.from({ length: 40 }, (_, i) => `outage-${i}@example.com`);
    const statuses: number[] = [];
    let killed = false;
    // 120 requests, 6 at a time, in three rounds over 40 visitors: each visitor first asks one
    // process, then the other (which looks in Redis), then the first again (its own cache).
    // Redis dies (SIGKILL, by its pid) once the first round is answered, with requests in flight.
    const queue = Array.from({ length: 120 }, (_, i) => ({
      email: emails[i % 40] as string,
      base: (i + Math.floor(i / 40)) % 2 ? a.base : b.base,
    }));
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          statuses.push((await ask(next.base, next.email)).status);
          if (statuses.length === 40 && !killed) {
            killed = true;
            await redis.kill();
          }
        }
      }),
    );
    expect(killed).toBe(true);
    expect(statuses).toHaveLength(120);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const stats = await Promise.all(
      [a, b].map(async ({ base }) => (await fetch(`${base}/stats`)).json()),
    );
    const storeErrors = stats.reduce(
      (sum, s) => sum + (s as { storeErrors: number }).storeErrors,
      0,
    );
    expect(storeErrors).toBeGreaterThan(0);
    expect(stats.map((s) => (s as { errors: number }).errors)).toEqual([0, 0]);
    for (const email of emails) expect(callsFor(email)).toBeLessThanOrEqual(2); // once per instance at worst
  }, 60_000);
});
