// @ts-check
// The app's backend: a demo sign-in (a session cookie), and the token endpoint the chat calls.
// One connect-style middleware, mounted by Vite in development (vite.config.ts) and by
// server/index.js in production.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  createTokenHandler,
  hubspotTokenMinter,
  jwtTokenMinter,
  toNodeHandler,
} from 'hubspot-visitor-chat/server';
import { jwtVerify } from 'jose';

/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */

// Offline, tokens are JWTs signed with this secret and checked by the HubSpot stand-in. The
// default is public and fake: set CHAT_TOKEN_SECRET to your own (32 bytes or more).
const secret = process.env.CHAT_TOKEN_SECRET ?? 'fake-example-secret-do-not-use-in-production-0123';
// With a HubSpot private app's token, HubSpot mints real visitor-identification tokens instead.
const accessToken = process.env.HUBSPOT_ACCESS_TOKEN;

/** Says so when tokens are signed with the fake default (called when a server starts). */
export function warnIfFakeSecret() {
  if (!accessToken && !process.env.CHAT_TOKEN_SECRET) {
    console.warn('CHAT_TOKEN_SECRET is not set: chat tokens are signed with a FAKE, public secret');
  }
}

/** The demo's users: sign-in asks only which one you are. Your app has its own sign-in. */
const USERS = new Set(['alice@example.com', 'bob@example.com']);
/** session id → email, in memory. */
const sessions = new Map();

/** @param {string | null | undefined} cookie */
function sessionIdOf(cookie) {
  return /(?:^|;\s*)session=([\w-]+)/.exec(cookie ?? '')?.[1];
}

/** @param {Response} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** @param {Request} req @returns {Promise<Record<string, unknown>>} */
async function readJson(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) throw new Error('body too large');
  }
  return text ? JSON.parse(text) : {};
}

const chatToken = toNodeHandler(
  createTokenHandler({
    getVisitor: (request) => {
      const id = sessionIdOf(request.headers.get('cookie'));
      const email = id && sessions.get(id);
      return email ? { email } : null;
    },
    mint: accessToken ? hubspotTokenMinter({ accessToken }) : jwtTokenMinter({ secret }),
    onError: (error) => console.error('chat token:', error),
  }),
);

const standInPath = createRequire(import.meta.url).resolve(
  'hubspot-visitor-chat/testing/hubspot-stand-in.js',
);

/** @type {Record<string, (req: Request, res: Response) => Promise<void> | void>} */
const routes = {
  'GET /api/me': (req, res) => {
    const id = sessionIdOf(req.headers.cookie);
    send(res, 200, { email: (id && sessions.get(id)) ?? null });
  },
  'POST /api/sign-in': async (req, res) => {
    const email = String((await readJson(req)).email).toLowerCase();
    if (!USERS.has(email)) return send(res, 401, { error: 'unknown user' });
    const old = sessionIdOf(req.headers.cookie);
    if (old) sessions.delete(old);
    const id = randomBytes(24).toString('base64url');
    sessions.set(id, email);
    send(res, 200, { email }, { 'Set-Cookie': `session=${id}; HttpOnly; SameSite=Lax; Path=/` });
  },
  'POST /api/sign-out': (req, res) => {
    const id = sessionIdOf(req.headers.cookie);
    if (id) sessions.delete(id);
    send(res, 200, { email: null }, { 'Set-Cookie': 'session=; Max-Age=0; Path=/' });
  },
  // Same-origin only: a page on another origin would also need OPTIONS (see docs/backend.md).
  'POST /api/chat-token': (req, res) => chatToken(req, res),
  // Offline only: the HubSpot stand-in asks here whether a token is valid, as HubSpot would check
  // the tokens it minted. With HubSpot's real widget, neither of the two routes below is used.
  'POST /api/verify-token': async (req, res) => {
    const { email, token } = await readJson(req);
    try {
      const key = new TextEncoder().encode(secret);
      const { payload } = await jwtVerify(String(token), key, { algorithms: ['HS256'] });
      send(res, 200, { valid: payload.email === String(email).toLowerCase() });
    } catch {
      send(res, 200, { valid: false });
    }
  },
  'GET /hubspot-stand-in.js': async (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    res.end(await readFile(standInPath));
  },
};

/**
 * Answers the API's routes and passes everything else on.
 * @param {Request} req @param {Response} res @param {() => void} next
 */
export function api(req, res, next) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const route = routes[`${req.method} ${path}`];
  if (!route) return next();
  Promise.resolve(route(req, res)).catch((error) => {
    console.error(`${req.method} ${path}:`, error);
    if (!res.headersSent) send(res, 400, { error: 'bad request' });
  });
}
