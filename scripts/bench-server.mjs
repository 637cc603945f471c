// `npm run bench:server`: the token endpoint (dist/server through toNodeHandler) under load, against
// a local fake of HubSpot's API on 127.0.0.1 that answers in 100 ms. Prints figures, asserts nothing.
//  1. one process: 10,000 requests for 500 visitors → HubSpot calls (want 500), p50/p99 of the
//     cached answers (want p99 < 2 ms), errors (want 0);
//  2. two processes sharing a throwaway redis-server: the same load split between them → HubSpot
//     calls (want 500, not 1,000).
// And the store's hard cases (issue 20), each printing HubSpot calls, p50/p99 and errors
// (client-side latencies, from sending the request to reading the whole answer):
//  a. two processes, 50 visitors × 40 requests all at once → want 50 HubSpot calls, no store errors;
//  b. a 0.6 s Redis stall (SIGSTOP) in the middle of a burst → want no request over 1.5 s; each
//     burst (a light one three times, and the heavy one of the first runs once) runs on warmed-up
//     processes without the stall too, so that the stall's share can be told from the queueing
//     the burst's own load causes on a shared 2-core machine;
//  c. a Redis outage (SIGKILL, restarted after BENCH_OUTAGE_S, default 60 s) under load of new
//     visitors → want 0 errors and a flat heap (printed before/after, after a GC);
//  d. req/s of the token endpoint (cached answers) against a bare node:http JSON answer;
//  e. a planted 8 MB / 32 MB value: how long reading it blocks the event loop, through the
//     documented node-redis adapter (GETRANGE), a plain GET, and Keyv.
// Each endpoint runs in its own Node process (test/server/fixtures/token-server.mjs), so that the
// load generator's work is not counted in the server's latency: latencies are measured in the server,
// from the request to the last byte of the answer. BENCH_ONLY=a,b runs only the runs named.
import { fork, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createClient, createKeyv } from '@keyv/redis';
import { ACCESS_TOKEN, startFakeHubSpotApi } from '../test/server/fake-hubspot-api.mjs';
import { startRedis } from './redis.mjs';

const REQUESTS = 10_000;
const VISITORS = 500;
const CONCURRENCY = 16;
const HUBSPOT_DELAY_MS = 100;
const SERVER_MODULE = pathToFileURL('dist/server/index.mjs').href;
const STORE_SECRET = 'bench-store-secret-of-at-least-32-bytes';

// Stops by itself whatever happens.
const watchdog = setTimeout(() => {
  console.error('bench:server: still running after 15 minutes; giving up');
  process.exit(1);
}, 900_000);

/** A deterministic shuffle (mulberry32), so that runs compare. */
function shuffled(items, seed = 42) {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value) => `${value.toFixed(2)} ms`;

async function startEndpoint(env) {
  const child = fork('test/server/fixtures/token-server.mjs', {
    execArgv: ['--expose-gc'],
    env: { ...process.env, SERVER_MODULE, HUBSPOT_ACCESS_TOKEN: ACCESS_TOKEN, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`token server exited with ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** REQUESTS requests, REQUESTS / VISITORS per visitor, shuffled, CONCURRENCY at a time. */
async function load(endpoints) {
  const plan = shuffled(
    Array.from({ length: REQUESTS }, (_, i) => ({
      email: `visitor-${i % VISITORS}@example.com`,
      endpoint: endpoints[Math.floor(i / VISITORS) % endpoints.length],
    })),
  );
  const answered = new Map(); // visitor → the endpoints that already answered them
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < plan.length) {
        const { email, endpoint } = plan[next++];
        try {
          const by = answered.get(email) ?? new Set();
          const expect = by.has(endpoint) ? 'cached' : by.size > 0 ? 'shared' : 'new';
          const response = await fetch(`${endpoint.base}/api/chat-token`, {
            method: 'POST',
            headers: { 'X-Visitor': email, 'X-Expect': expect },
          });
          const body = await response.json();
          if (response.status !== 200 || body.email !== email) errors++;
          else answered.set(email, by.add(endpoint));
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const stats = await Promise.all(
    endpoints.map(async ({ base }) => (await fetch(`${base}/stats`)).json()),
  );
  return {
    seconds,
    errors: errors + stats.reduce((sum, s) => sum + s.errors, 0),
    storeErrors: stats.reduce((sum, s) => sum + s.storeErrors, 0),
    cached: stats.flatMap((s) => s.latencyMs.cached),
    shared: stats.flatMap((s) => s.latencyMs.shared),
  };
}

async function scenario(name, processes, env) {
  const api = await startFakeHubSpotApi({ delayMs: HUBSPOT_DELAY_MS });
  const endpoints = await Promise.all(
    Array.from({ length: processes }, () =>
      startEndpoint({ HUBSPOT_BASE_URL: api.baseUrl, ...env }),
    ),
  );
  try {
    const result = await load(endpoints);
    console.log(`\n${name}`);
    console.log(
      `  ${REQUESTS.toLocaleString('en')} requests for ${VISITORS} visitors, ${CONCURRENCY} at a time, in ${result.seconds.toFixed(1)} s`,
    );
    console.log(`  HubSpot calls: ${api.calls.length} (want ${VISITORS})`);
    console.log(
      `  cached answers: ${result.cached.length}, p50 ${ms(percentile(result.cached, 50))}, p99 ${ms(percentile(result.cached, 99))} (server-side; want p99 < 2 ms)`,
    );
    if (result.shared.length > 0) {
      console.log(
        `  answers with the other process's token (from Redis, or joining a lookup in flight): ${result.shared.length}, p50 ${ms(percentile(result.shared, 50))}, p99 ${ms(percentile(result.shared, 99))}`,
      );
    }
    console.log(`  errors: ${result.errors} (want 0)`);
    if (env.REDIS_URL) console.log(`  store errors: ${result.storeErrors}`);
  } finally {
    for (const { child } of endpoints) child.kill();
    await api.close();
  }
}

/** One request; resolves with its latency (ms) and whether it was a good answer. */
async function timed(base, email) {
  const started = performance.now();
  try {
    const response = await fetch(`${base}/api/chat-token`, {
      method: 'POST',
      headers: { 'X-Visitor': email },
    });
    const body = await response.json();
    return { ms: performance.now() - started, ok: response.status === 200 && body.email === email };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

const stats = async (endpoints) =>
  Promise.all(endpoints.map(async ({ base }) => (await fetch(`${base}/stats`)).json()));

function report(name, api, results, endpointStats, extra = []) {
  const latencies = results.map((r) => r.ms);
  const errors =
    results.filter((r) => !r.ok).length + endpointStats.reduce((sum, s) => sum + s.errors, 0);
  console.log(`\n${name}`);
  console.log(`  HubSpot calls: ${api.calls.length}`);
  console.log(
    `  ${results.length} requests: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(Math.max(...latencies))}`,
  );
  const inServer = endpointStats.flatMap((s) => Object.values(s.latencyMs).flat());
  console.log(
    `  in the servers (request to last byte, without the load generator's own queueing): p50 ${ms(percentile(inServer, 50))}, p99 ${ms(percentile(inServer, 99))}, max ${ms(Math.max(...inServer))}`,
  );
  const lastStoreError = endpointStats.map((s) => s.lastStoreError).find(Boolean);
  console.log(
    `  errors: ${errors}; store errors reported: ${endpointStats.reduce((sum, s) => sum + s.storeErrors, 0)}${lastStoreError ? ` (the last: ${lastStoreError})` : ''}`,
  );
  for (const line of extra) console.log(`  ${line}`);
}

async function withEndpoints(processes, env, run) {
  const api = await startFakeHubSpotApi({ delayMs: HUBSPOT_DELAY_MS });
  const endpoints = await Promise.all(
    Array.from({ length: processes }, () =>
      startEndpoint({ HUBSPOT_BASE_URL: api.baseUrl, ...env }),
    ),
  );
  try {
    return await run(api, endpoints);
  } finally {
    for (const { child } of endpoints) child.kill();
    await api.close();
  }
}

/** a. 50 visitors × 40 requests, all at once, over two processes sharing Redis. */
async function burstAcrossProcesses(redisEnv) {
  await withEndpoints(2, redisEnv, async (api, endpoints) => {
    const results = await Promise.all(
      Array.from({ length: 50 * 40 }, (_, i) =>
        timed(endpoints[i % 2].base, `burst-${i % 50}@example.com`),
      ),
    );
    report(
      'a. two processes, 50 visitors × 40 concurrent requests (want 50 HubSpot calls, no store errors)',
      api,
      results,
      await stats(endpoints),
    );
  });
}

/**
 * One burst over two processes: `waves` waves, `perWave` requests each, every 100 ms; each visitor
 * is asked once by each process at the same moment, so that one claims the visitor and the other
 * waits for its token. From the middle wave on, for 0.6 s, Redis is stalled (SIGSTOP) when `redis`
 * is given; without it that window is only noted, so that a run without the stall can be compared
 * over the same window. Resolves with each request's latency, when it was sent, whether it was
 * answered well, and the window (ms from the start).
 */
async function burst(endpoints, { name, waves, perWave, redis }) {
  const pending = [];
  const started = performance.now();
  let window;
  for (let wave = 0; wave < waves; wave++) {
    if (wave === Math.floor(waves / 2)) {
      const from = performance.now() - started;
      window = { from, to: from + 600 };
      redis?.pause();
      setTimeout(() => {
        redis?.resume();
        window.to = performance.now() - started;
      }, 600);
    }
    for (let i = 0; i < perWave; i++) {
      const sentAt = performance.now() - started;
      const email = `${name}-${wave}-${Math.floor(i / 2)}@example.com`;
      pending.push(timed(endpoints[i % 2].base, email).then((r) => ({ ...r, sentAt })));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { results: await Promise.all(pending), window };
}

/**
 * b. A 0.6 s Redis stall (SIGSTOP) in the middle of a burst, want no request over 1.5 s. The 2-core
 * machine is shared, and a burst queues on it by itself, so each burst runs in pairs on fresh,
 * warmed-up processes: without the stall, then with it. The requests in flight at any moment of
 * the stall (or, without it, of the same window) are looked at apart; the difference between the
 * two runs of a pair is the stall's share. A light burst (10 requests every 100 ms) runs three
 * pairs, the heavy one of the first runs (40 every 100 ms) one.
 */
async function stallInBurst(redis, redisEnv) {
  const kinds = [
    { label: 'light', waves: 20, perWave: 10, pairs: 3 },
    { label: 'heavy', waves: 20, perWave: 40, pairs: 1 },
  ];
  for (const { label, waves, perWave, pairs } of kinds) {
    const requests = waves * perWave;
    console.log(
      `\nb. a 0.6 s Redis stall (SIGSTOP) in the middle of a ${label} burst: ${requests} requests for ${requests / 2} visitors over ${waves / 10} s, each visitor asked by both processes at once; ${pairs} pair${pairs > 1 ? 's' : ''} of runs, without and with the stall (want max < 1.5 s with it)`,
    );
    const shares = [];
    let worstWith = 0;
    for (let pair = 1; pair <= pairs; pair++) {
      const window = {};
      for (const stall of [false, true]) {
        await withEndpoints(2, redisEnv, async (api, endpoints) => {
          const name = `stall-${label}-${pair}-${stall ? 'on' : 'off'}`;
          // Warm: each process's code, and its connections to Redis and to the fake HubSpot.
          await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              timed(endpoints[i % 2].base, `${name}-warm-${i}@example.com`),
            ),
          );
          const calls = api.calls.length;
          const { results, window: at } = await burst(endpoints, {
            name,
            waves,
            perWave,
            redis: stall ? redis : undefined,
          });
          const met = results.filter((r) => r.sentAt <= at.to && r.sentAt + r.ms >= at.from);
          const metMs = met.map((r) => r.ms);
          window[stall] = {
            max: Math.max(...metMs),
            mean: metMs.reduce((sum, one) => sum + one, 0) / metMs.length,
          };
          const all = results.map((r) => r.ms);
          const endpointStats = await stats(endpoints);
          const inServer = endpointStats.flatMap((s) => Object.values(s.latencyMs).flat());
          const errors =
            results.filter((r) => !r.ok).length +
            endpointStats.reduce((sum, s) => sum + s.errors, 0);
          const storeReports = endpointStats.reduce((sum, s) => sum + s.storeErrors, 0);
          console.log(
            `  ${label} #${pair} ${stall ? 'WITH the stall' : 'no stall     '}: HubSpot calls ${api.calls.length - calls}; p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}, max ${ms(Math.max(...all))} (in the servers: max ${ms(Math.max(...inServer))}); errors ${errors}, store reports ${storeReports}`,
          );
          console.log(
            `    ${met.length} requests in flight during ${stall ? 'the stall' : 'the same window'} (${(at.from / 1000).toFixed(2)}–${(at.to / 1000).toFixed(2)} s): max ${ms(window[stall].max)}, mean ${ms(window[stall].mean)}`,
          );
          if (stall) worstWith = Math.max(worstWith, Math.max(...all));
        });
      }
      const share = {
        max: window.true.max - window.false.max,
        mean: window.true.mean - window.false.mean,
      };
      shares.push(share);
      console.log(
        `    the stall's share: max ${share.max >= 0 ? '+' : ''}${ms(share.max)}, mean ${share.mean >= 0 ? '+' : ''}${ms(share.mean)}`,
      );
    }
    if (pairs > 1) {
      const median = (values) => percentile(values, 50);
      console.log(
        `  ${label}: worst request with the stall ${ms(worstWith)}; the stall's share (median of ${pairs} pairs): max ${ms(median(shares.map((one) => one.max)))}, mean ${ms(median(shares.map((one) => one.mean)))}`,
      );
    }
  }
}

/** c. Redis killed for `seconds` while new visitors keep coming, then restarted on its port. */
async function outage(redis, redisEnv, seconds) {
  let current = redis;
  await withEndpoints(2, redisEnv, async (api, endpoints) => {
    const results = [];
    let n = 0;
    const load = async (until) => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < until) {
            const i = n++;
            results.push(await timed(endpoints[i % 2].base, `outage-${i}@example.com`));
          }
        }),
      );
    };
    await load(performance.now() + 3000); // warm: the heap's working set
    const before = await stats(endpoints);
    await current.kill();
    await load(performance.now() + seconds * 1000);
    current = await startRedis({ port: redis.port });
    await load(performance.now() + 5000); // back: probed and used again
    const after = await stats(endpoints);
    const mb = (s) => s.map((one) => `${(one.heapUsed / 1e6).toFixed(1)} MB`).join(' / ');
    report(
      `c. a ${seconds} s Redis outage under load of new visitors, ${CONCURRENCY} at a time (want 0 errors, heap flat)`,
      api,
      results,
      after,
      [`heap before the outage: ${mb(before)}; after it (and 5 s back): ${mb(after)}`],
    );
  });
  return current;
}

/** d. Cached answers per second: the token endpoint against a bare node:http JSON answer. */
async function throughput() {
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:http').createServer((q, r) => { q.resume(); q.on('end', () => { r.setHeader('Content-Type', 'application/json'); r.setHeader('Cache-Control', 'no-store'); r.end(JSON.stringify({ email: 'a@example.com', token: 'x'.repeat(40), expiresIn: 43200 })); }); });
       s.keepAliveTimeout = 60000; s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const barePort = await new Promise((resolve) =>
    bare.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim()))),
  );
  const rate = async (base, requests) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < requests) await timed(base, `cached-${next % 100}@example.com`);
      }),
    );
    return requests / ((performance.now() - started) / 1000);
  };
  await withEndpoints(1, {}, async (_api, [endpoint]) => {
    await rate(endpoint.base, 500); // warm both, and cache the 100 visitors
    await rate(`http://127.0.0.1:${barePort}`, 500);
    const token = await rate(endpoint.base, 5000);
    const plain = await rate(`http://127.0.0.1:${barePort}`, 5000);
    console.log('\nd. requests per second, 16 at a time, same load generator, same run');
    console.log(`  token endpoint (cached answers, toNodeHandler): ${token.toFixed(0)} req/s`);
    console.log(`  bare node:http JSON answer: ${plain.toFixed(0)} req/s`);
  });
  bare.kill();
}

/**
 * e. A large value planted under a key, read the three ways docs/backend.md names: the node-redis
 * adapter (GETRANGE key 0 4096), node-redis's plain GET, and Keyv (createKeyv). Prints the longest
 * the event loop was blocked (monitorEventLoopDelay, 1 ms resolution) and how long the read took,
 * the worst of three reads each.
 */
async function plantedValue(redisUrl) {
  const client = createClient({ url: redisUrl });
  await client.connect();
  const keyv = createKeyv(redisUrl, { throwOnErrors: true });
  await keyv.get('warm-up');
  const readers = [
    [
      'node-redis GETRANGE key 0 4096 (the documented adapter)',
      (key) => client.getRange(key, 0, 4096),
    ],
    ['node-redis GET', (key) => client.get(key)],
    ['Keyv (createKeyv)', (key) => keyv.get(key)],
  ];
  console.log('\ne. a large value planted under a key, read three ways (worst of 3 reads)');
  try {
    for (const mb of [8, 32]) {
      const value = `v1.${'A'.repeat(mb * 1024 * 1024)}`;
      await client.set('planted', value);
      await client.set('planted-for-keyv', JSON.stringify({ value, expires: null })); // Keyv's format
      for (const [name, read] of readers) {
        let blocked = 0;
        let took = 0;
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          const delay = monitorEventLoopDelay({ resolution: 1 });
          delay.enable();
          const started = performance.now();
          await read(name.startsWith('Keyv') ? 'planted-for-keyv' : 'planted');
          took = Math.max(took, performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 10));
          delay.disable();
          blocked = Math.max(blocked, delay.max / 1e6);
        }
        console.log(
          `  ${mb} MB, ${name}: event loop blocked up to ${ms(blocked)}, read in ${ms(took)}`,
        );
      }
    }
  } finally {
    await client.del(['planted', 'planted-for-keyv']);
    await client.quit();
    await keyv.disconnect();
  }
}

console.log(
  `bench:server on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; fake HubSpot answers in ${HUBSPOT_DELAY_MS} ms`,
);
// BENCH_ONLY=a,b runs only those (1, 2, a, b, c, d, e); default all.
const only = process.env.BENCH_ONLY?.split(',').map((one) => one.trim());
const runs = (id) => !only || only.includes(id);
if (runs('1')) await scenario('1. one process, in-memory cache', 1, {});
let redis = await startRedis();
const redisEnv = { REDIS_URL: redis.url, TOKEN_STORE_SECRET: STORE_SECRET };
try {
  if (runs('2')) await scenario('2. two processes sharing Redis (Keyv + @keyv/redis)', 2, redisEnv);
  if (runs('a')) await burstAcrossProcesses(redisEnv);
  if (runs('b')) await stallInBurst(redis, redisEnv);
  if (runs('c')) redis = await outage(redis, redisEnv, Number(process.env.BENCH_OUTAGE_S ?? 60));
  if (runs('d')) await throughput();
  if (runs('e')) await plantedValue(redis.url);
} finally {
  await redis.stop();
  clearTimeout(watchdog);
}
