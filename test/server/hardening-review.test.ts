// @vitest-environment node
// Review of f5692cc (issue 11): each test reproduces one finding and FAILS on that commit.
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../scripts/redis.mjs';
import {
  createTokenHandler,
  hubspotTokenMinter,
  jwtTokenMinter,
  type NodeRequestLike,
  type TokenStore,
  toNodeHandler,
} from '../../src/server/index';
import { bundleServer, type ServerBundle } from './bundle-server';
import { BOB, demoChatToken, startDemo } from './demo-process';
import { ACCESS_TOKEN, type FakeApi, startFakeHubSpotApi } from './fake-hubspot-api.mjs';
import { fakeResponse } from './node-fakes';

const secret = 'a-test-secret-that-is-32-bytes-long!';
const storeSecret = 'a-store-secret-of-at-least-32-bytes!';

function fakeRequest(
  over: Partial<Omit<NodeRequestLike, typeof Symbol.asyncIterator>>,
  chunks: Array<Uint8Array | string> = [],
): NodeRequestLike {
  return {
    method: 'POST',
    url: '/api/chat-token',
    headers: { host: 'shop.example.com' },
    ...over,
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield chunk;
    },
  };
}

/** A Map with TTLs, asynchronous like a network store. */
function memoryStore() {
  const data = new Map<string, { value: string; expires: number }>();
  const store = {
    data,
    async get(key: string) {
      const entry = data.get(key);
      if (!entry) return undefined;
      if (Date.now() > entry.expires) {
        data.delete(key);
        return undefined;
      }
      return entry.value;
    },
    async set(key: string, value: string, ttlMs: number) {
      data.set(key, { value, expires: Date.now() + ttlMs });
    },
    async delete(key: string) {
      data.delete(key);
    },
  };
  return store satisfies TokenStore;
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let bundle: ServerBundle;
beforeAll(async () => {
  bundle = await bundleServer();
}, 60_000);
afterAll(() => bundle?.remove());

/**
 * Runs `body` (an ES module that builds `handler`, a toNodeHandler result) in its own Node process,
 * served the documented way: createServer((req, res) => void handler(req, res)). Sends `requests`
 * one after the other and reports each status, and whether the process is still alive afterwards.
 */
async function inChildProcess(
  body: string,
  requests: RequestInit[],
  before: (index: number) => Promise<void> = async () => {},
) {
  const file = new URL('./child.mjs', bundle.url);
  await writeFile(
    file,
    `import { createServer } from 'node:http';
const server = await import(process.env.SERVER_MODULE);
const { createTokenHandler, hubspotTokenMinter, jwtTokenMinter, toNodeHandler } = server;
${body}
const http = createServer((req, res) => void handler(req, res));
http.listen(0, '127.0.0.1', () => process.send({ port: http.address().port }));
`,
  );
  const child = fork(file, [], {
    env: { ...process.env, SERVER_MODULE: bundle.url },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const { port } = await new Promise<{ port: number }>((resolve) =>
      child.once('message', (m) => resolve(m as { port: number })),
    );
    const statuses: Array<number | string> = [];
    for (const [index, init] of requests.entries()) {
      await before(index);
      statuses.push(
        await fetch(`http://127.0.0.1:${port}/api/chat-token`, { method: 'POST', ...init }).then(
          (r) => r.status,
          () => 'connection failed',
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const alive = child.exitCode === null;
    return { statuses, alive, stderr };
  } finally {
    child.kill();
    await exited;
  }
}

describe('hubspotTokenMinter timeoutMs', () => {
  it('gives up on a HubSpot answer whose body stalls after the headers (timeoutMs covers the whole call)', async () => {
    // HubSpot (or a proxy in between) sends 200 + headers, then the body never completes.
    const baseUrl = await listen(
      createServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"tok'); // ...and nothing more
      }),
    );
    const mint = hubspotTokenMinter({ accessToken: ACCESS_TOKEN, baseUrl, timeoutMs: 200 });
    const settle = (p: Promise<unknown>) =>
      Promise.race([
        p.then(
          () => 'resolved',
          (error: unknown) => `rejected: ${(error as { code?: string }).code}`,
        ),
        new Promise((resolve) => setTimeout(() => resolve('still pending after 3 s'), 3000)),
      ]);
    const first = mint({ email: 'alice@example.com' });
    const second = mint({ email: 'alice@example.com' }); // joins the same in-flight call
    expect(await settle(first)).toBe('rejected: TIMEOUT');
    expect(await settle(second)).toBe('rejected: TIMEOUT');
  }, 10_000);
});

describe('reporters that return a rejected promise (async loggers)', () => {
  it('createTokenHandler: an async onError that rejects does not kill the process', async () => {
    const result = await inChildProcess(
      `const handler = toNodeHandler(createTokenHandler({
        getVisitor: () => { throw new Error('session store down'); },
        mint: jwtTokenMinter({ secret: '${secret}' }),
        onError: async () => { throw new Error('log sink unreachable'); },
      }));`,
      [{}, {}],
    );
    expect(result.statuses, result.stderr).toEqual([500, 500]);
    expect(result.alive, result.stderr).toBe(true);
  }, 30_000);

  it('toNodeHandler: an async onError that rejects does not kill the process', async () => {
    const result = await inChildProcess(
      `const handler = toNodeHandler(async () => { throw new Error('bug in my own handler'); }, {
        onError: async () => { throw new Error('log sink unreachable'); },
      });`,
      [{}, {}],
    );
    expect(result.statuses, result.stderr).toEqual([500, 500]);
    expect(result.alive, result.stderr).toBe(true);
  }, 30_000);

  it('hubspotTokenMinter: an async onStoreError that rejects does not kill the process', async () => {
    const api = await startFakeHubSpotApi();
    try {
      const result = await inChildProcess(
        `const handler = toNodeHandler(createTokenHandler({
          getVisitor: () => ({ email: 'alice@example.com' }),
          mint: hubspotTokenMinter({
            accessToken: '${ACCESS_TOKEN}',
            baseUrl: '${api.baseUrl}',
            store: { get() { throw new Error('redis down'); }, set() { throw new Error('redis down'); } },
            storeSecret: '${storeSecret}',
            onStoreError: async () => { throw new Error('log sink unreachable'); },
          }),
        }));`,
        [{}, {}],
      );
      expect(result.statuses, result.stderr).toEqual([200, 200]);
      expect(result.alive, result.stderr).toBe(true);
    } finally {
      await api.close();
    }
  }, 30_000);
});

describe('the cross-instance claim', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeHubSpotApi();
  });
  afterAll(() => api.close());

  it("an instance whose token write fails still releases its claim: the others do not wait out the claim's 11 s", async () => {
    const shared = memoryStore();
    // Instance A's connection to the store hiccups when it writes the token (one failed SET);
    // instance B's connection is fine. Both see the same data.
    let claimed = () => {};
    const claimedByA = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    const storeOfA: TokenStore = {
      get: (key) => shared.get(key),
      set: async (key, value, ttlMs) => {
        if (!key.endsWith(':lock')) throw new Error('ECONNRESET');
        await shared.set(key, value, ttlMs);
        claimed();
      },
      delete: (key) => shared.delete(key),
    };
    const errorsOfA: unknown[] = [];
    const a = hubspotTokenMinter({
      accessToken: ACCESS_TOKEN,
      baseUrl: api.baseUrl,
      store: storeOfA,
      storeSecret,
      onStoreError: (error) => errorsOfA.push(error),
    });
    const b = hubspotTokenMinter({
      accessToken: ACCESS_TOKEN,
      baseUrl: api.baseUrl,
      store: shared,
      storeSecret,
    });
    const fromA = a({ email: 'alice@example.com' });
    // B arrives once A holds the claim (not after a fixed sleep, which a busy machine outlasts).
    await claimedByA;
    const started = Date.now();
    const fromB = await b({ email: 'alice@example.com' });
    const waitedMs = Date.now() - started;
    await fromA;
    expect(fromB.token).toMatch(/-for-alice@example\.com$/);
    expect(String(errorsOfA[0])).toMatch(/ECONNRESET/);
    // The SDK's own token request times out after 10 s (options.timeoutMs default).
    expect(waitedMs).toBeLessThan(2000);
  }, 20_000);
});

describe('docs/backend.md: the store examples', () => {
  it('the "three lines adapt a plain Redis client" store keeps the process alive when Redis dies', async () => {
    const api = await startFakeHubSpotApi();
    const redis = await startRedis();
    const redisClient = pathToFileURL(createRequire(import.meta.url).resolve('@redis/client')).href;
    // docs/backend.md, "Other stores", as written: only the module name and the URL are replaced,
    // and TypeScript's types are stripped. The test passes because the documented snippet is right.
    const documented = /```ts\n(import \{ createClient \} from 'redis';[\s\S]*?)```/.exec(
      readFileSync('docs/backend.md', 'utf8'),
    )?.[1];
    expect(documented).toContain('export const store: TokenStore');
    const snippet = ts.transpileModule(
      (documented as string)
        .replace("from 'redis'", `from '${redisClient}'`)
        .replace(/process\.env\['REDIS_URL'\]/g, `'${redis.url}'`),
      { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } },
    ).outputText;
    try {
      const result = await inChildProcess(
        `${snippet}
        const handler = toNodeHandler(createTokenHandler({
          getVisitor: (request) => ({ email: request.headers.get('x-visitor') }),
          mint: hubspotTokenMinter({
            accessToken: '${ACCESS_TOKEN}', baseUrl: '${api.baseUrl}',
            store, storeSecret: '${storeSecret}', onStoreError: () => {},
          }),
        }));`,
        [
          { headers: { 'X-Visitor': 'alice@example.com' } },
          { headers: { 'X-Visitor': 'bob@example.com' } },
        ],
        async (index) => {
          if (index === 1) {
            await redis.kill(); // "Store down (Redis killed mid-run)": the docs promise 200
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
        },
      );
      expect(result.statuses, result.stderr).toEqual([200, 200]);
      expect(result.alive, result.stderr).toBe(true);
    } finally {
      await redis.stop();
      await api.close();
    }
  }, 30_000);
});

describe('demo/server.mjs with HUBSPOT_TOKEN_STORE', () => {
  let redis: RedisServer;
  let api: FakeApi;
  /**
   * Awaited by every test, so that a missing redis-server fails each of them with its message: a
   * throwing beforeAll would only mark them skipped, and a Redis test must never skip.
   */
  let ready: Promise<void>;
  beforeAll(async () => {
    ready = (async () => {
      [redis, api] = await Promise.all([startRedis(), startFakeHubSpotApi()]);
    })();
    await ready.catch(() => {});
  }, 30_000);
  afterAll(() => Promise.all([redis?.stop(), api?.close()]));

  const realMode = {
    PORT: '0',
    HUBSPOT_PORTAL_ID: '1234567',
    HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN,
    HUBSPOT_API_BASE_URL: '', // set in each test, once the fake API is up
    HUBSPOT_TOKEN_STORE: '',
    HUBSPOT_TOKEN_STORE_SECRET: undefined as string | undefined,
    DEMO_TOKEN_SECRET: undefined as string | undefined,
  };
  const envOf = (over: Partial<typeof realMode>) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...realMode,
      HUBSPOT_API_BASE_URL: api.baseUrl,
      HUBSPOT_TOKEN_STORE: redis.url,
      ...over,
    };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    return env as NodeJS.ProcessEnv;
  };

  /** The tokens found in Redis that decrypt under `secretText` with the store's published scheme. */
  async function recoverTokens(secretText: string): Promise<string[]> {
    const { createClient } = await import('@keyv/redis');
    const client = await createClient({ url: redis.url }).connect();
    const recovered: string[] = [];
    try {
      for (const key of await client.keys('*hvc:*')) {
        if (key.endsWith(':lock')) continue;
        const raw = String(await client.get(key));
        const value = (JSON.parse(raw) as { value: string }).value;
        const bytes = Uint8Array.from(
          atob(value.slice(3).replace(/-/g, '+').replace(/_/g, '/')),
          (c) => c.charCodeAt(0),
        );
        const material = await crypto.subtle.importKey(
          'raw',
          new TextEncoder().encode(secretText),
          'HKDF',
          false,
          ['deriveKey'],
        );
        const aes = await crypto.subtle.deriveKey(
          {
            name: 'HKDF',
            hash: 'SHA-256',
            salt: new TextEncoder().encode('hubspot-visitor-chat/server token store'),
            info: new TextEncoder().encode('v1 aes-256-gcm'),
          },
          material,
          { name: 'AES-GCM', length: 256 },
          false,
          ['decrypt'],
        );
        const storageKey = key.slice(key.indexOf('hvc:'));
        const plain = await crypto.subtle
          .decrypt(
            {
              name: 'AES-GCM',
              iv: bytes.subarray(0, 12),
              additionalData: new TextEncoder().encode(storageKey),
            },
            aes,
            bytes.subarray(12),
          )
          .then(
            (buffer) => new TextDecoder().decode(buffer),
            () => '',
          );
        if (plain) recovered.push((JSON.parse(plain) as { t: string }).t);
      }
    } finally {
      await client.quit();
    }
    return recovered;
  }

  const published = /FAKE_SECRET = '([^']+)'/.exec(readFileSync('demo/server.mjs', 'utf8'))?.[1];

  it('refuses to start without HUBSPOT_TOKEN_STORE_SECRET instead of using the demo secret published in the repo', async () => {
    await ready;
    expect(published).toBeTruthy();
    const child = spawn(process.execPath, ['demo/server.mjs'], {
      // neither HUBSPOT_TOKEN_STORE_SECRET nor DEMO_TOKEN_SECRET: a first try of real mode
      env: envOf({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      out += chunk;
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(null);
      }, 20_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect({ code, serving: /demo: http/.test(out) }, out).toEqual({ code: 1, serving: false });
    expect(out).toMatch(/HUBSPOT_TOKEN_STORE_SECRET/);
  }, 30_000);

  // The finding's own scenario (no secret at all) is the test above: the demo now refuses it. This
  // one checks the remaining path: with HUBSPOT_TOKEN_STORE_SECRET, the published secret opens nothing.
  it('does not encrypt real HubSpot tokens in Redis under the demo secret published in the repo', async () => {
    await ready;
    const siteSecret = 'this-site-s-own-token-store-secret-0123456789';
    // The site's own store secret, and no DEMO_TOKEN_SECRET.
    const { child, base: started } = startDemo(
      envOf({ HUBSPOT_TOKEN_STORE_SECRET: siteSecret }),
      'in Redis too',
    );
    try {
      const base = await started;
      const { response } = await demoChatToken(base, BOB);
      const { token } = (await response.json()) as { token: string };

      // Someone who can read the Redis, and the public repo, but has no secret of this site:
      expect(token).toMatch(/^hs-token-/);
      expect(await recoverTokens(published as string)).not.toContain(token);
      // ...while the site's own secret does open it: the entry is there, and read the right way.
      expect(await recoverTokens(siteSecret)).toContain(token);
    } finally {
      child.kill();
    }
  }, 30_000);
});

describe('README / docs/backend.md say what the code does', () => {
  it('README: createTokenHandler answers 413 to a body over 64 KiB (as a Next.js route handler)', async () => {
    const handler = createTokenHandler({
      getVisitor: async (request) => {
        await request.text(); // a getVisitor that reads the body (a CSRF token in it, say)
        return { email: 'alice@example.com' };
      },
      mint: jwtTokenMinter({ secret }),
    });
    const response = await handler(
      new Request('https://shop.example.com/api/chat-token', {
        method: 'POST',
        body: 'x'.repeat(10 * 1024 * 1024), // 10 MiB, all read into memory
      }),
    );
    expect(response.status).toBe(413);
  });

  it('docs/backend.md: "every answer carries Vary: Origin" and an allowed origin can read toNodeHandler\'s 413', async () => {
    const res = fakeResponse();
    await toNodeHandler(
      createTokenHandler({
        getVisitor: () => ({ email: 'alice@example.com' }),
        mint: jwtTokenMinter({ secret }),
        allowedOrigins: ['https://www.example.com'],
      }),
    )(
      fakeRequest(
        {
          headers: {
            host: 'api.example.com',
            origin: 'https://www.example.com',
            'sec-fetch-site': 'same-site',
          },
        },
        [new Uint8Array(70 * 1024)],
      ),
      res,
    );
    expect(res.statusCode).toBe(413);
    expect({
      vary: res.headers.get('vary'),
      allowOrigin: res.headers.get('access-control-allow-origin'),
    }).toEqual({ vary: 'Origin', allowOrigin: 'https://www.example.com' });
  });
});

describe('hubspotTokenMinter numeric options', () => {
  it('refuses a cacheSize that would leave the cache unbounded (NaN from an unset env var)', () => {
    // `while (cache.size > cacheSize)` is never true for NaN: every email ever seen stays in memory.
    expect(() =>
      hubspotTokenMinter({
        accessToken: ACCESS_TOKEN,
        cacheSize: Number(process.env.HVC_REVIEW_UNSET_CACHE_SIZE),
      }),
    ).toThrow(TypeError);
  });
});
