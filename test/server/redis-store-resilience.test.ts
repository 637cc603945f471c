// @vitest-environment node
// The shared token store when things go wrong, against a real Redis (Debian's redis-server, started
// here on a free localhost port and stopped by its pid): a stall that strands a claim, a planted
// huge value, a busy event loop, an outage, and deployments that share Redis but not a secret.
// Never skipped: without redis-server, every test fails with how to install it.

import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, createKeyv } from '@keyv/redis';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisServer, startRedis } from '../../scripts/redis.mjs';
import { hubspotTokenMinter, type TokenStore } from '../../src/server/index';
import { ACCESS_TOKEN, type FakeApi, startFakeHubSpotApi } from './fake-hubspot-api.mjs';

const storeSecret = 'a-store-secret-of-at-least-32-bytes!';
let redis: RedisServer;
let api: FakeApi;
const cleanups: Array<() => Promise<unknown>> = [];

/** Awaited by every test, so that a missing redis-server fails each of them (never a skip). */
let ready: Promise<void>;
beforeAll(async () => {
  ready = (async () => {
    api = await startFakeHubSpotApi({ delayMs: 100 }); // HubSpot takes 100 ms, as the real one does
    redis = await startRedis();
  })();
  await ready.catch(() => {});
}, 60_000);

afterAll(async () => {
  const bounded = (cleanup: () => Promise<unknown>) =>
    Promise.race([cleanup().catch(() => {}), sleep(2000)]);
  await Promise.all(cleanups.splice(0).map(bounded));
  await Promise.all([redis?.stop(), api?.close()]);
});

/** docs/backend.md's "three lines adapt a plain Redis client" store, on `url`. */
async function plainStore(url: string) {
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', () => {}); // a dropped connection must not end the process
  await client.connect();
  cleanups.push(async () => client.destroy());
  const store: TokenStore = {
    get: (key) => client.get(key),
    set: (key, value, ttlMs) => client.set(key, value, { PX: Math.max(1, Math.round(ttlMs)) }),
    delete: (key) => client.del(key),
  };
  return { client, store };
}

/**
 * docs/backend.md's "Other stores" node-redis adapter, as written there (only the module name and
 * the URL replaced, TypeScript's types stripped), imported from a temporary file; its client is
 * exported too, to be closed.
 */
async function documentedStore(url: string): Promise<TokenStore> {
  const documented = /```ts\n(import \{ createClient \} from 'redis';[\s\S]*?)```/.exec(
    readFileSync('docs/backend.md', 'utf8'),
  )?.[1];
  expect(documented).toContain('export const store: TokenStore');
  const redisClient = pathToFileURL(createRequire(import.meta.url).resolve('@redis/client')).href;
  const code = ts.transpileModule(
    `${(documented as string)
      .replace("from 'redis'", `from '${redisClient}'`)
      .replace(
        /process\.env(\.REDIS_URL|\['REDIS_URL'\])/g,
        `'${url}'`,
      )}\nexport { redis as client };`,
    { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } },
  ).outputText;
  const dir = await mkdtemp(join(tmpdir(), 'hvc-store-'));
  const file = join(dir, 'store.mjs');
  await writeFile(file, code);
  const module = (await import(pathToFileURL(file).href)) as {
    store: TokenStore;
    client: { destroy(): void };
  };
  cleanups.push(async () => {
    module.client.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  return module.store;
}

/** Bytes `redis-server` has sent to all its clients so far (INFO stats). */
async function bytesSentBy(client: { info(section: string): Promise<unknown> }): Promise<number> {
  const info = String(await client.info('stats'));
  return Number(/total_net_output_bytes:(\d+)/.exec(info)?.[1]);
}

/** docs/backend.md's Keyv store (one per instance), throwing so that failures are reported. */
function keyvStore(url: string) {
  const keyv = createKeyv(url, { throwOnErrors: true });
  cleanups.push(() => keyv.disconnect());
  return keyv;
}

const minter = (over: Partial<Parameters<typeof hubspotTokenMinter>[0]> = {}) =>
  hubspotTokenMinter({ accessToken: ACCESS_TOKEN, baseUrl: api.baseUrl, storeSecret, ...over });

const callsFor = (email: string) =>
  api.calls.filter((call) => (call.body as { email?: string }).email === email).length;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks the event loop for `ms`, as a process busy with other requests does. */
function busy(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('issue 20.1: a stalled store never makes another instance wait long', () => {
  it('a 0.6 s stall that strands a claim delays the next instance by about a second, not the claim lifetime (~10 s)', async () => {
    await ready;
    const email = 'stranded@example.com';
    const a = await plainStore(redis.url);
    const b = await plainStore(redis.url);
    let stall: Promise<unknown> | undefined;
    // Instance A's store stalls (SIGSTOP) right after A wrote its claim: A's next reads time out,
    // A mints without the store, and its claim stays in Redis.
    const stallsAfterClaim: TokenStore = {
      get: (key) => a.store.get(key),
      set: async (key, value, ttlMs) => {
        const done = await a.store.set(key, value, ttlMs);
        if (key.endsWith(':lock') && !stall) {
          redis.pause();
          stall = sleep(600).then(() => redis.resume());
        }
        return done;
      },
      delete: (key) => a.store.delete?.(key),
    };
    const errors: unknown[] = [];
    const first = await minter({ store: stallsAfterClaim, onStoreError: (e) => errors.push(e) })({
      email,
    });
    expect(first.token).toMatch(/-for-stranded@example.com$/);
    expect(errors.length).toBeGreaterThan(0); // A saw the stall
    await stall;

    const started = performance.now();
    const second = await minter({ store: b.store })({ email });
    const waited = performance.now() - started;
    expect(second.token).toMatch(/-for-stranded@example.com$/);
    expect(waited).toBeLessThan(2500); // a generous bound: ~1 s at most; before, ~10 s
  }, 30_000);

  it('an instance waits at most about a second for another whose HubSpot call is slow, then mints itself', async () => {
    await ready;
    const email = 'slow-owner@example.com';
    const a = await plainStore(redis.url);
    const b = await plainStore(redis.url);
    const slowFetch: typeof fetch = async (input, init) => {
      await sleep(4000);
      return fetch(input, init);
    };
    const owner = minter({ store: a.store, fetch: slowFetch })({ email });
    await sleep(300); // A holds the claim, and its call to HubSpot is under way
    const started = performance.now();
    const waiter = await minter({ store: b.store })({ email });
    const waited = performance.now() - started;
    expect(waiter.token).toMatch(/-for-slow-owner@example.com$/);
    expect(waited).toBeLessThan(2500); // before: until A's token came, ~3.7 s
    await owner;
  }, 30_000);

  it('a waiter in a busy process waits about 1 s of real time for a claim another process holds, then mints itself', async () => {
    await ready;
    const email = 'held-claim@example.com';
    const { client, store } = await plainStore(redis.url);
    // Learn the email's key names from a first mint, then leave only a claim in Redis: another
    // process's, renewed for as long as the test needs (it never delivers a token).
    const keys = new Set<string>();
    const recording: TokenStore = {
      get: (key) => {
        keys.add(key);
        return store.get(key);
      },
      set: (key, value, ttlMs) => store.set(key, value, ttlMs),
      delete: (key) => store.delete?.(key),
    };
    await minter({ store: recording })({ email });
    const claimKey = [...keys].find((key) => key.endsWith(':lock')) as string;
    await client.del([...keys]);
    await client.set(claimKey, 'another-process', { PX: 30_000 });

    // This process is busy (other requests): every turn of its event loop spins 100 ms, so the
    // loop is free about a quarter of the time. Before, the wait counted loop-free time and
    // ended after 3 s of real time.
    const spinning = setInterval(() => busy(100), 1);
    let sawClaimAt = 0;
    let calledAt = 0;
    const watching: TokenStore = {
      get: async (key) => {
        const value = await store.get(key);
        if (key === claimKey && value === 'another-process' && !sawClaimAt) {
          sawClaimAt = performance.now();
        }
        return value;
      },
      set: (key, value, ttlMs) => store.set(key, value, ttlMs),
      delete: (key) => store.delete?.(key),
    };
    try {
      const minted = await minter({
        store: watching,
        fetch: (input, init) => {
          calledAt = performance.now();
          return fetch(input, init);
        },
      })({ email });
      expect(minted.token).toMatch(/-for-held-claim@example.com$/);
    } finally {
      clearInterval(spinning);
    }
    // From reading the other's claim to calling HubSpot itself:
    const waited = calledAt - sawClaimAt;
    expect(waited).toBeGreaterThan(900); // the claim was respected for about a second…
    expect(waited).toBeLessThan(2000); // …and no longer (a turn or two of 100 ms late at most)
    expect(await client.get(claimKey)).toBe('another-process'); // never removed another's claim
  }, 30_000);
});

describe('issue 20.2: a planted large value', () => {
  it('a 1 MB value planted under a visible key is a miss, reported, and never decoded', async () => {
    await ready;
    const email = 'planted@example.com';
    const { client, store } = await plainStore(redis.url);
    await client.flushAll(); // only this email's key is left to find
    await minter({ store })({ email });
    const [key] = (await client.keys('hvc:*')).filter((k) => !k.endsWith(':lock'));
    // 1 MB: large enough to have blocked the loop (~0.1 s; 8 MB blocked it 0.8–6.6 s), small
    // enough that Redis hands it over well within the store's 250 ms on a busy machine.
    await client.set(key as string, `v1.${'A'.repeat(1024 * 1024)}`);

    // Counted, not timed: before, the value was base64-decoded and handed to AES-GCM whole; now
    // its length alone makes it a miss.
    const decrypt = vi.spyOn(globalThis.crypto.subtle, 'decrypt');
    const errors: unknown[] = [];
    let again: Awaited<ReturnType<ReturnType<typeof minter>>>;
    try {
      again = await minter({ store, onStoreError: (e) => errors.push(e) })({ email });
      expect(decrypt).not.toHaveBeenCalled();
    } finally {
      decrypt.mockRestore();
    }
    expect(again.token).toMatch(/-for-planted@example.com$/);
    expect(callsFor(email)).toBe(2);
    expect(errors.map(String).join('\n')).toMatch(/over 4096/);
  }, 30_000);
  it('an 8 MB value planted under a visible key never leaves Redis with the documented node-redis store: a miss, reported, nothing decoded', async () => {
    await ready;
    const own = await startRedis(); // its own server: every byte it sends is this test's
    cleanups.push(() => own.stop());
    const admin = createClient({ url: own.url });
    await admin.connect();
    cleanups.push(() => admin.quit());
    const store = await documentedStore(own.url);
    const email = 'planted-8mb@example.com';
    await minter({ store })({ email });
    const [key] = (await admin.keys('hvc:*')).filter((k) => !k.endsWith(':lock'));
    await admin.set(key as string, `v1.${'A'.repeat(8 * 1024 * 1024)}`);
    const errors: unknown[] = [];
    const mint = minter({ store, onStoreError: (e) => errors.push(e) });
    await mint({ email: 'warm-up@example.com' }); // this minter's keys, fetch and code are warm
    expect(errors).toEqual([]); // GETRANGE's '' for a missing key is a plain miss

    // Counted, not timed: what Redis sent during the lookup (INFO stats), and the CPU this process
    // used meanwhile (the longest its event loop could have been blocked; unlike a clock, other
    // processes on the machine do not add to it).
    const sentBefore = await bytesSentBy(admin);
    const cpuBefore = process.cpuUsage();
    const again = await mint({ email });
    const cpu = process.cpuUsage(cpuBefore);
    const sent = (await bytesSentBy(admin)) - sentBefore;

    expect(again.token).toMatch(/-for-planted-8mb@example.com$/);
    expect(errors.map(String).join('\n')).toMatch(/over 4096/);
    expect(sent).toBeLessThan(64 * 1024); // before: the whole 8 MB, decoded into a string
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(50);
  }, 30_000);
});

describe('issue 20.3: a busy event loop is not a slow store', () => {
  it('a store answer that waited behind 600 ms of other work is still taken: no report, no HubSpot call', async () => {
    await ready;
    const email = 'busy-loop@example.com';
    await minter({ store: keyvStore(redis.url) })({ email }); // another instance stored it
    const keyv = keyvStore(redis.url);
    let blocked = false;
    const blockingAfterGet: TokenStore = {
      get: (key) => {
        const answer = keyv.get(key);
        if (!blocked) {
          blocked = true;
          setTimeout(() => busy(600), 0); // the process is busy while Redis answers
        }
        return answer;
      },
      set: (key, value, ttlMs) => keyv.set(key, value, ttlMs),
      delete: (key) => keyv.delete(key),
    };
    const errors: unknown[] = [];
    const minted = await minter({ store: blockingAfterGet, onStoreError: (e) => errors.push(e) })({
      email,
    });
    expect(minted.token).toMatch(/-for-busy-loop@example.com$/);
    expect(errors.map(String)).toEqual([]);
    expect(callsFor(email)).toBe(1);
  }, 30_000);

  it('…also on a connection that has answered before: 600 ms of other work is not a stalled store', async () => {
    await ready;
    const email = 'busy-loop-warm@example.com';
    await minter({ store: keyvStore(redis.url) })({ email }); // another instance stored it
    const keyv = keyvStore(redis.url);
    let blocking = false;
    const blockingAfterGet: TokenStore = {
      get: (key) => {
        const answer = keyv.get(key);
        if (blocking) {
          blocking = false;
          // The process is busy while Redis answers, this time after the loop's I/O (a request
          // handler's work), so that the 250 ms are up as soon as the loop next looks at timers.
          setImmediate(() => busy(600));
        }
        return answer;
      },
      set: (key, value, ttlMs) => keyv.set(key, value, ttlMs),
      delete: (key) => keyv.delete(key),
    };
    const errors: unknown[] = [];
    const mint = minter({ store: blockingAfterGet, onStoreError: (e) => errors.push(e) });
    await mint({ email: 'warm-up-busy@example.com' }); // the store has answered this minter
    blocking = true;
    const minted = await mint({ email });
    expect(minted.token).toMatch(/-for-busy-loop-warm@example.com$/);
    expect(errors.map(String)).toEqual([]);
    expect(callsFor(email)).toBe(1);
  }, 30_000);
});

describe('issue 20.4: an outage', () => {
  it('skips the store after one failure instead of paying its timeout per request, and probes it again later', async () => {
    await ready;
    const own = await startRedis();
    cleanups.push(() => own.stop());
    const keyv = keyvStore(own.url);
    const calls: string[] = [];
    const counting: TokenStore = {
      get: (key) => {
        calls.push(`get ${key}`);
        return keyv.get(key);
      },
      set: (key, value, ttlMs) => {
        calls.push(`set ${key}`);
        return keyv.set(key, value, ttlMs);
      },
      delete: (key) => {
        calls.push(`delete ${key}`);
        return keyv.delete(key);
      },
    };
    const errors: unknown[] = [];
    const mint = minter({ store: counting, onStoreError: (e) => errors.push(e) });
    await mint({ email: 'before-outage@example.com' });
    await own.kill();
    calls.length = 0;
    for (let i = 0; i < 30; i++) {
      const minted = await mint({ email: `outage-${i}@example.com` });
      expect(minted.token).toMatch(new RegExp(`-for-outage-${i}@example.com$`));
    }
    // Before: two reads per request, each failing or timing out (60 calls, 30 × 250 ms).
    expect(calls.length).toBeLessThanOrEqual(6);
    expect(errors.length).toBeGreaterThan(0);

    // Redis comes back where it was: after the cool-down a request probes it, and it is used again.
    const back = await startRedis({ port: own.port });
    cleanups.push(() => back.stop());
    const check = await plainStore(back.url);
    let stored = 0;
    for (let i = 0; i < 40 && stored === 0; i++) {
      await sleep(250);
      await mint({ email: `after-outage-${i}@example.com` });
      stored = (await check.client.keys('*hvc:*')).length;
    }
    expect(stored).toBeGreaterThan(0);
  }, 60_000);
});

describe('issue 20.5: key names and secrets', () => {
  it('two deployments sharing Redis and the HubSpot app but not the secret never overwrite each other', async () => {
    await ready;
    const email = 'two-deployments@example.com';
    const staging = 'staging-secret-Wq8vN3kZ1pX7rT5yL2mB9cD4';
    const production = 'production-secret-Hs6jF0gA8eK3uQ1wZ5xC7v';
    const errors: unknown[] = [];
    const onStoreError = (e: unknown) => errors.push(e);
    const a = await minter({ store: keyvStore(redis.url), storeSecret: production, onStoreError })({
      email,
    });
    await minter({ store: keyvStore(redis.url), storeSecret: staging, onStoreError })({ email });
    // Another production instance still finds production's token.
    const again = await minter({
      store: keyvStore(redis.url),
      storeSecret: production,
      onStoreError,
    })({ email });
    expect(again.token).toBe(a.token);
    expect(callsFor(email)).toBe(2);
    expect(errors.map(String)).toEqual([]);
  }, 30_000);

  it('storeSecret: [current, previous] reads what the previous secret stored: a rotation keeps the store warm', async () => {
    await ready;
    const email = 'rotation@example.com';
    const previous = 'previous-secret-Lk4mN8pQ2rS6tU0vW3xY7zA1';
    const current = 'current-secret-Bc5dE9fG3hJ7kL1mN4pQ8rS2';
    const before = await minter({ store: keyvStore(redis.url), storeSecret: previous })({ email });
    const errors: unknown[] = [];
    const during = await minter({
      store: keyvStore(redis.url),
      storeSecret: [current, previous],
      onStoreError: (e) => errors.push(e),
    })({ email });
    expect(during.token).toBe(before.token);
    expect(callsFor(email)).toBe(1);
    expect(errors).toEqual([]);
  }, 30_000);

  it('refuses a storeSecret that is obviously not random, saying so', async () => {
    await ready;
    const store = keyvStore(redis.url);
    for (const weak of [
      'x'.repeat(40),
      'ab'.repeat(20),
      new Uint8Array(32),
      '0123012301230123012301230123012301',
    ]) {
      expect(() => minter({ store, storeSecret: weak })).toThrow(/random/);
    }
    expect(() => minter({ store, storeSecret: [storeSecret, 'y'.repeat(40)] })).toThrow(/random/);
  });
});
