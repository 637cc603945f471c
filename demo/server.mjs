// The demo: a small site with its own sign-in, the token endpoint the SDK calls, and the HubSpot
// stand-in as the widget script. Offline by default; HUBSPOT_PORTAL_ID loads HubSpot's real loader.
// `/` (and its client-side routes) is the React app built by demo/rollup.config.mjs into
// demo/build/; `/plain` is the UMD <script> page. Failure switches (POST /api/switches) make the
// token endpoint answer 500 or slowly, or block HubSpot's script, for this browser only.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jwtVerify } from 'jose';
import {
  createTokenHandler,
  hubspotTokenMinter,
  jwtTokenMinter,
  toNodeHandler,
} from '../dist/server/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const FAKE_SECRET = 'fake-demo-secret-do-not-use-in-production-0123456789';
const secretText = process.env.DEMO_TOKEN_SECRET ?? FAKE_SECRET;
const secret = new TextEncoder().encode(secretText);
const ttlSeconds = Number(process.env.DEMO_TOKEN_TTL_SECONDS ?? 3600);
const portalId = process.env.HUBSPOT_PORTAL_ID;
const accessToken = process.env.HUBSPOT_ACCESS_TOKEN;
/** Real HubSpot mode: HubSpot's loader and HubSpot-minted tokens. */
const realHubSpot = Boolean(portalId && accessToken);
const host = process.env.HOST ?? '127.0.0.1';

/** Demo users; the passwords are shown on the page. */
const USERS = {
  'alice@example.com': { password: 'alice-demo', name: 'Alice' },
  'bob@example.com': { password: 'bob-demo', name: 'Bob' },
};
/** session id → email, in memory. */
const sessions = new Map();

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
};
/** What may be served as files: the demo (with the SPA's build in demo/build/) and the SDK's build. */
const STATIC = ['/demo/', '/dist/'];
/** The React app's shell serves every client-side route; React Router renders the page. */
const SPA = '/demo/index.html';
const PAGES = { '/': SPA, '/pricing': SPA, '/docs': SPA, '/plain': '/demo/plain.html' };

/** How long the token endpoint waits with the `slow` switch on. */
const SLOW_TOKEN_MS = 4000;
/**
 * Failure switches, per browser (an HttpOnly cookie, so that parallel e2e tests and other visitors
 * are not affected): `token` is `ok`, `500` or `slow`; `script` is `ok` or `blocked`.
 */
const SWITCHES = { token: ['ok', '500', 'slow'], script: ['ok', 'blocked'] };

function send(res, status, body, headers = {}) {
  const json = typeof body !== 'string';
  res.writeHead(status, {
    'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(json ? JSON.stringify(body) : body);
}

/** The signed-in email for a Cookie header, if its session exists. */
function sessionEmail(cookieHeader) {
  const match = /(?:^|;\s*)demo_session=([\w-]+)/.exec(cookieHeader ?? '');
  return match ? sessions.get(match[1]) : undefined;
}

/** Refuses cross-site requests to the API: the Origin, when sent, must be this server. */
function sameOrigin(req) {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host}`;
}

async function body(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) throw new Error('body too large');
  }
  return text ? JSON.parse(text) : {};
}

function switchesOf(cookieHeader) {
  const match = /(?:^|;\s*)demo_switches=([\w:,]+)/.exec(cookieHeader ?? '');
  const given = Object.fromEntries((match?.[1] ?? '').split(',').map((pair) => pair.split(':')));
  return Object.fromEntries(
    Object.entries(SWITCHES).map(([name, values]) => [
      name,
      values.includes(given[name]) ? given[name] : values[0],
    ]),
  );
}

/** Where the SDK loads HubSpot's loader from; a URL answering 403 while `script` is `blocked`. */
function scriptUrlFor(switches) {
  if (switches.script === 'blocked') return '/blocked/hubspot-loader.js';
  return portalId ? undefined : '/hubspot-stand-in.js?portal=1234567';
}

function passwordMatches(given, expected) {
  const a = Buffer.from(String(given));
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const api = {
  'GET /api/config': (req) => ({
    mode: portalId ? 'hubspot' : 'stand-in',
    tokens: realHubSpot ? 'hubspot' : 'demo-jwt',
    portalId: portalId ?? '1234567',
    scriptUrl: scriptUrlFor(switchesOf(req.headers.cookie)),
    tokenTtlSeconds: ttlSeconds,
  }),
  // For the plain page, which tells "signed in" by the status.
  'GET /api/session': (req) => {
    const email = sessionEmail(req.headers.cookie);
    return email ? { email } : [401, { error: 'not signed in' }];
  },
  // For the SPA: 200 either way, so that an anonymous page load shows no failed request.
  'GET /api/me': (req) => ({ email: sessionEmail(req.headers.cookie) ?? null }),
  'GET /api/switches': (req) => switchesOf(req.headers.cookie),
  'POST /api/switches': async (req, res) => {
    const wanted = { ...switchesOf(req.headers.cookie), ...(await body(req)) };
    for (const [name, values] of Object.entries(SWITCHES)) {
      if (!values.includes(wanted[name])) {
        return [400, { error: `${name} must be one of ${values.join(', ')}` }];
      }
    }
    const value = Object.keys(SWITCHES)
      .map((name) => `${name}:${wanted[name]}`)
      .join(',');
    res.setHeader('Set-Cookie', `demo_switches=${value}; HttpOnly; SameSite=Lax; Path=/`);
    return switchesOf(`demo_switches=${value}`);
  },
  'POST /api/sign-in': async (req, res) => {
    const { email, password } = await body(req);
    const user = USERS[String(email).toLowerCase()];
    if (!user || !passwordMatches(password, user.password)) {
      return [401, { error: 'wrong email or password' }];
    }
    // Signing in while signed in (the demo's switch of user) replaces the session: the old id ends.
    const previous = /(?:^|;\s*)demo_session=([\w-]+)/.exec(req.headers.cookie ?? '');
    if (previous) sessions.delete(previous[1]);
    const id = randomBytes(24).toString('base64url');
    sessions.set(id, String(email).toLowerCase());
    res.setHeader('Set-Cookie', `demo_session=${id}; HttpOnly; SameSite=Lax; Path=/`);
    return { email: String(email).toLowerCase() };
  },
  'POST /api/sign-out': (req, res) => {
    const match = /(?:^|;\s*)demo_session=([\w-]+)/.exec(req.headers.cookie ?? '');
    if (match) sessions.delete(match[1]);
    res.setHeader('Set-Cookie', 'demo_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0');
    return { ok: true };
  },
  // What HubSpot does with the token when the widget loads: check signature, expiry and email.
  'POST /api/verify-token': async (req) => {
    const { email, token } = await body(req);
    try {
      const { payload } = await jwtVerify(String(token), secret, { algorithms: ['HS256'] });
      return { valid: String(payload.email).toLowerCase() === String(email).toLowerCase() };
    } catch {
      return { valid: false };
    }
  },
};

// HUBSPOT_TOKEN_STORE=redis://…: HubSpot-minted tokens are shared through Redis (several demo
// processes make one HubSpot call per visitor); by default each process keeps its own in memory.
// They are real HubSpot tokens, so their encryption key comes from HUBSPOT_TOKEN_STORE_SECRET
// only: never from FAKE_SECRET, which anyone can read in this repository.
const tokenStoreUrl = process.env.HUBSPOT_TOKEN_STORE;
async function tokenStore() {
  if (!tokenStoreUrl || !realHubSpot) return {};
  const storeSecret = process.env.HUBSPOT_TOKEN_STORE_SECRET;
  if (!storeSecret) {
    console.error(
      'HUBSPOT_TOKEN_STORE is set but HUBSPOT_TOKEN_STORE_SECRET is not: set it to a secret of 32 bytes or more, ' +
        'the same for every process sharing the store (openssl rand -base64 48). The store holds real HubSpot ' +
        'tokens; the demo will not encrypt them under its published demo secret.',
    );
    process.exit(1);
  }
  const { createKeyv } = await import('@keyv/redis');
  return {
    // throwOnErrors: so that a failing Redis reaches onStoreError instead of looking like a miss
    store: createKeyv(tokenStoreUrl, { throwOnErrors: true }),
    storeSecret,
    onStoreError: (error) => console.error(`token store skipped: ${error.message ?? error}`),
  };
}

// The endpoint the SDK calls (tokenUrl), built with hubspot-visitor-chat/server: HubSpot mints the
// token in real mode; offline, an HS256 JWT that the stand-in checks through /api/verify-token.
const tokenEndpoint = toNodeHandler(
  createTokenHandler({
    getVisitor: (request) => {
      const email = sessionEmail(request.headers.get('cookie'));
      return email ? { email, firstName: USERS[email].name } : null;
    },
    mint: realHubSpot
      ? hubspotTokenMinter({
          accessToken,
          baseUrl: process.env.HUBSPOT_API_BASE_URL,
          ...(await tokenStore()),
        })
      : jwtTokenMinter({ secret, ttlSeconds }),
    onError: (error) => console.error(`token endpoint: ${error.message ?? error}`),
  }),
);

async function serveFile(res, path) {
  const file = normalize(join(root, path));
  if (!file.startsWith(root) || !STATIC.some((prefix) => path.startsWith(prefix))) {
    return send(res, 404, 'not found');
  }
  try {
    const data = await readFile(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    res.end(data);
  } catch {
    const hint = path.startsWith('/dist/')
      ? ' (run npm run build)'
      : path.startsWith('/demo/build/')
        ? ' (run npx rollup -c demo/rollup.config.mjs)'
        : '';
    send(res, 404, `not found: ${path}${hint}`);
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = api[`${req.method} ${url.pathname}`];
  try {
    if (route) {
      if (req.method !== 'GET' && !sameOrigin(req))
        return send(res, 403, { error: 'cross-site request' });
      const result = await route(req, res);
      const [status, payload] = Array.isArray(result) ? result : [200, result];
      return send(res, status, payload);
    }
    if (url.pathname === '/api/chat-token') {
      const { token } = switchesOf(req.headers.cookie);
      if (token === '500') {
        return send(res, 500, { error: 'the failure switch "token endpoint answers 500" is on' });
      }
      if (token === 'slow') await new Promise((resolve) => setTimeout(resolve, SLOW_TOKEN_MS));
      return tokenEndpoint(req, res);
    }
    if (url.pathname.startsWith('/api/')) return send(res, 405, { error: 'method not allowed' });
    if (url.pathname === '/hubspot-stand-in.js') {
      return serveFile(res, '/dist/testing/hubspot-stand-in.js');
    }
    // What an ad blocker does to HubSpot's script, with the `script` switch on.
    if (url.pathname.startsWith('/blocked/')) {
      return send(res, 403, "blocked by the demo's failure switch");
    }
    return serveFile(res, PAGES[url.pathname] ?? url.pathname);
  } catch (error) {
    send(res, 400, { error: String(error.message ?? error) });
  }
});

function listen(port) {
  server.once('error', (error) => {
    if (error.code === 'EADDRINUSE' && !process.env.PORT) listen(0);
    else throw error;
  });
  server.listen(port, host, () => {
    const { port: actual } = server.address();
    console.log(
      `hubspot-visitor-chat demo: http://${host}:${actual}/  (plain <script> page: /plain)`,
    );
    console.log(
      portalId
        ? `HubSpot mode: real loader for portal ${portalId}`
        : 'Offline mode: the HubSpot stand-in plays the widget (set HUBSPOT_PORTAL_ID for the real one)',
    );
    if (secretText === FAKE_SECRET) {
      console.log(
        'DEMO_TOKEN_SECRET not set: signing tokens with a FAKE demo secret (not for production)',
      );
    }
    console.log(
      realHubSpot
        ? `Tokens: minted by HubSpot (HUBSPOT_ACCESS_TOKEN), cached ${tokenStoreUrl ? 'in Redis too (HUBSPOT_TOKEN_STORE)' : 'in memory (HUBSPOT_TOKEN_STORE=redis://… shares them between processes)'}`
        : `Tokens: demo JWTs living ${ttlSeconds} s (DEMO_TOKEN_TTL_SECONDS)`,
    );
  });
}
listen(Number(process.env.PORT ?? 5173));
