// The token endpoint on another origin than the page (api.example.com for www.example.com), in
// Chromium: two small servers on free localhost ports, built from dist/ as a site would use it.
// - the page's origin, http://127.0.0.1:<page>: the SDK (UMD), the HubSpot stand-in, a sign-in
//   that sets a SameSite=Lax session cookie (cookies ignore ports: the endpoint receives it);
// - the endpoint's origin, http://127.0.0.1:<api>: createTokenHandler with allowedOrigins = the page;
// - a third origin, http://localhost:<page> (the same page server under another host name), which
//   is not allowed.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { jwtVerify } from 'jose';

// The build a site installs (npm test builds before e2e). Typed from the source, so that
// `tsc --noEmit`, which runs before the build, does not need dist/.
const DIST_SERVER: string = '../dist/server/index.mjs';
const { createTokenHandler, jwtTokenMinter, toNodeHandler } = (await import(
  DIST_SERVER
)) as typeof import('../src/server/index');

const secret = 'cross-origin-e2e-secret-at-least-32-bytes';
const CSRF = 'csrf-4f1d'; // a header the site adds through tokenRequest.headers

interface Seen {
  method: string;
  origin: string | undefined;
  status: number;
  allowOrigin: string | number | string[] | undefined;
  cookie: string | undefined;
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

function page(apiBase: string) {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Shop</title>
<p>SDK state: <output id="state"></output></p><p>Error: <output id="error"></output></p>
<script>
  // Offline HubSpot: the stand-in asks this page's backend whether a token is genuine.
  window.__fakeHubSpot = { config: { verifyToken: async (email, token) => (await (await fetch(
    '/verify-token', { method: 'POST', body: JSON.stringify({ email, token }) })).json()).valid } };
</script>
<script src="/sdk.js"></script>
<script>
  window.chat = HubSpotVisitorChat.createChat({
    portalId: '1234567',
    scriptUrl: '/hubspot-stand-in.js?portal=1234567',
    tokenUrl: '${apiBase}/api/chat-token',
    tokenRequest: { credentials: 'include', headers: { 'X-CSRF-Token': '${CSRF}' } },
    retries: 0,
    syncTabs: false,
  });
  const show = () => { document.getElementById('state').textContent = chat.state; };
  chat.on('state', show);
  chat.on('error', (error) => { document.getElementById('error').textContent = error.code; });
  window.signIn = async () => {
    await fetch('/sign-in', { method: 'POST' });
    await chat.login().catch(() => {});
  };
  chat.start();
  show();
</script></html>`;
}

let pageServer: Server;
let apiServer: Server;
let pageOrigin: string;
let thirdOrigin: string;
let apiBase: string;
const seen: Seen[] = [];

test.beforeAll(async () => {
  const mint = jwtTokenMinter({ secret, ttlSeconds: 3600 });
  const getVisitor = (request: Request) =>
    /(?:^|;\s*)session=alice(?:;|$)/.test(request.headers.get('cookie') ?? '') &&
    request.headers.get('x-csrf-token') === CSRF
      ? { email: 'alice@example.com' }
      : null;
  const files: Record<string, [string, string]> = {
    '/sdk.js': ['dist/hubspot-visitor-chat.umd.min.js', 'text/javascript'],
    '/hubspot-stand-in.js': ['dist/testing/hubspot-stand-in.js', 'text/javascript'],
  };
  pageServer = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page(apiBase));
    } else if (files[path]) {
      const [file, type] = files[path];
      res.setHeader('Content-Type', type);
      res.end(readFileSync(file));
    } else if (path === '/sign-in' && req.method === 'POST') {
      res.setHeader('Set-Cookie', 'session=alice; HttpOnly; SameSite=Lax; Path=/');
      res.end('{}');
    } else if (path === '/verify-token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { email, token } = JSON.parse(body) as { email: string; token: string };
      const valid = await jwtVerify(token, new TextEncoder().encode(secret)).then(
        ({ payload }) => payload.email === email,
        () => false,
      );
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ valid }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  const pagePort = await listen(pageServer);
  pageOrigin = `http://127.0.0.1:${pagePort}`;
  thirdOrigin = `http://localhost:${pagePort}`;
  const endpoint = toNodeHandler(
    createTokenHandler({ getVisitor, mint, allowedOrigins: [`${pageOrigin}/`] }), // with a slash, as people write it
  );
  apiServer = createServer((req, res) => {
    res.on('finish', () =>
      seen.push({
        method: req.method ?? '',
        origin: req.headers.origin,
        status: res.statusCode,
        allowOrigin: res.getHeader('access-control-allow-origin'),
        cookie: req.headers.cookie,
      }),
    );
    void endpoint(req, res);
  });
  apiBase = `http://127.0.0.1:${await listen(apiServer)}`;
});

test.afterAll(() => {
  for (const server of [pageServer, apiServer]) {
    server.closeAllConnections();
    server.close();
  }
});

test.beforeEach(() => {
  seen.length = 0;
});

test('login works with the token endpoint on another origin (preflight, cookie, CSRF header)', async ({
  page,
}) => {
  await page.goto(`${pageOrigin}/`);
  await expect(page.locator('#state')).toHaveText('anonymous');
  await page.evaluate(() => (window as unknown as { signIn(): Promise<void> }).signIn());
  await expect(page.locator('#state')).toHaveText('authenticated');
  await expect(page.locator('#error')).toHaveText('');
  await expect(page.locator('#hubspot-messages-iframe-container')).toHaveAttribute(
    'data-identification-email',
    'alice@example.com',
  );
  await expect(page.locator('#hubspot-messages-iframe-container')).toHaveAttribute(
    'data-identified',
    'true',
  );
  expect(seen).toEqual([
    {
      method: 'OPTIONS',
      origin: pageOrigin,
      status: 204,
      allowOrigin: pageOrigin,
      cookie: undefined,
    },
    {
      method: 'POST',
      origin: pageOrigin,
      status: 200,
      allowOrigin: pageOrigin,
      cookie: expect.stringMatching(/(?:^|; )session=alice(?:;|$)/), // beside the widget's own
    },
  ]);
});

test('a third origin is refused: no CORS headers, the browser never sends the POST', async ({
  page,
}) => {
  await page.goto(`${thirdOrigin}/`);
  await expect(page.locator('#state')).toHaveText('anonymous');
  await page.evaluate(() => (window as unknown as { signIn(): Promise<void> }).signIn());
  await expect(page.locator('#error')).toHaveText('TOKEN_NETWORK'); // CORS failures look like this
  await expect(page.locator('#state')).toHaveText('anonymous');
  expect(seen).toEqual([
    {
      method: 'OPTIONS',
      origin: thirdOrigin,
      status: 403,
      allowOrigin: undefined,
      cookie: undefined,
    },
  ]);
  // Without the CSRF header there is no preflight: the POST itself gets 403 and no CORS headers.
  const direct = await page.evaluate(
    (url) =>
      fetch(url, { method: 'POST', credentials: 'include' }).then(
        (response) => `read ${response.status}`,
        (error: Error) => `blocked: ${error.name}`,
      ),
    `${apiBase}/api/chat-token`,
  );
  expect(direct).toBe('blocked: TypeError');
  expect(seen.at(-1)).toMatchObject({ method: 'POST', origin: thirdOrigin, status: 403 });
  expect(seen.at(-1)?.allowOrigin).toBeUndefined();
});
