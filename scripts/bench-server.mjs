// `npm run bench:server`: the token endpoint (dist/server through toNodeHandler) under load, against
// a local fake of HubSpot's API on 127.0.0.1 that answers in 100 ms. Prints figures, asserts nothing.
//  1. one process: 10,000 requests for 500 visitors → HubSpot calls (want 500), p50/p99 of the
//     cached answers (want p99 < 2 ms), errors (want 0);
//  2. two processes sharing a throwaway redis-server: the same load split between them → HubSpot
//     calls (want 500, not 1,000).
// Each endpoint runs in its own Node process (test/server/fixtures/token-server.mjs), so that the
// load generator's work is not counted in the server's latency: latencies are measured in the server,
// from the request to the last byte of the answer.
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
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
  console.error('bench:server: still running after 5 minutes; giving up');
  process.exit(1);
}, 300_000);

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

console.log(
  `bench:server on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; fake HubSpot answers in ${HUBSPOT_DELAY_MS} ms`,
);
await scenario('1. one process, in-memory cache', 1, {});
const redis = await startRedis();
try {
  await scenario('2. two processes sharing Redis (Keyv + @keyv/redis)', 2, {
    REDIS_URL: redis.url,
    TOKEN_STORE_SECRET: STORE_SECRET,
  });
} finally {
  await redis.stop();
  clearTimeout(watchdog);
}
