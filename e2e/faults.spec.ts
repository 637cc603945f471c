// The fault matrix for the token endpoint, in a real browser: each hostile or broken answer must
// end in a typed ChatError, the state unchanged and nothing applied to the widget.
// `npm run test:faults` prints the table this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Route, test } from '@playwright/test';
import { alice, bob, hubspotSettings, sdkState, signIn, standInState, widget } from './demo';

type Respond = (route: Route, helpers: { dripUrl: string; crossOrigin: string }) => Promise<void>;
const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}): Respond =>
  (route) =>
    route.fulfill({
      status,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      contentType: 'application/json',
      headers,
    });
const good = { email: alice.email, token: 'header.payload.signature', expiresIn: 600 };

const cases: Array<{ name: string; expected: string; respond: Respond }> = [
  {
    name: '500 with a JSON error',
    expected: 'TOKEN_HTTP 500',
    respond: json({ error: 'boom' }, 500),
  },
  {
    name: '502 with an HTML error page',
    expected: 'TOKEN_HTTP 502',
    respond: (r) =>
      r.fulfill({ status: 502, body: '<h1>Bad gateway</h1>', contentType: 'text/html' }),
  },
  {
    name: '503 with Retry-After',
    expected: 'TOKEN_HTTP 503',
    respond: json({}, 503, { 'Retry-After': '1' }),
  },
  {
    name: '429 with Retry-After',
    expected: 'TOKEN_HTTP 429',
    respond: json({}, 429, { 'Retry-After': '1' }),
  },
  { name: '400', expected: 'TOKEN_HTTP 400', respond: json({ error: 'bad' }, 400) },
  {
    name: '401 (no session)',
    expected: 'TOKEN_HTTP 401',
    respond: json({ error: 'not signed in' }, 401),
  },
  {
    name: '403 (CSRF refused)',
    expected: 'TOKEN_HTTP 403',
    respond: json({ error: 'forbidden' }, 403),
  },
  {
    name: '404',
    expected: 'TOKEN_HTTP 404',
    respond: (r) => r.fulfill({ status: 404, body: 'Not Found', contentType: 'text/plain' }),
  },
  { name: '204 No Content', expected: 'TOKEN_INVALID', respond: (r) => r.fulfill({ status: 204 }) },
  {
    name: '301 to a same-origin login page',
    expected: 'TOKEN_INVALID',
    respond: (r) => r.fulfill({ status: 301, headers: { Location: '/plain' } }),
  },
  {
    name: '302 to a login page on another origin (CORS)',
    expected: 'TOKEN_NETWORK',
    respond: (r, h) => r.fulfill({ status: 302, headers: { Location: `${h.crossOrigin}/login` } }),
  },
  {
    name: 'HTML login page with status 200',
    expected: 'TOKEN_INVALID',
    respond: (r) =>
      r.fulfill({
        status: 200,
        body: '<!doctype html><form>Sign in</form>',
        contentType: 'text/html',
      }),
  },
  {
    name: 'valid JSON sent as text/plain',
    expected: 'TOKEN_INVALID',
    respond: (r) =>
      r.fulfill({ status: 200, body: JSON.stringify(good), contentType: 'text/plain' }),
  },
  {
    name: 'truncated JSON',
    expected: 'TOKEN_INVALID',
    respond: json('{"email":"alice@example.com","tok'),
  },
  { name: 'empty body', expected: 'TOKEN_INVALID', respond: json('') },
  { name: 'null', expected: 'TOKEN_INVALID', respond: json('null') },
  { name: 'an array', expected: 'TOKEN_INVALID', respond: json([good]) },
  { name: 'a number', expected: 'TOKEN_INVALID', respond: json('42') },
  { name: 'a JSON string', expected: 'TOKEN_INVALID', respond: json('"header.payload.signature"') },
  { name: 'an empty object', expected: 'TOKEN_INVALID', respond: json({}) },
  { name: 'missing token', expected: 'TOKEN_INVALID', respond: json({ email: alice.email }) },
  { name: 'missing email', expected: 'TOKEN_INVALID', respond: json({ token: good.token }) },
  {
    name: 'email without @',
    expected: 'TOKEN_INVALID',
    respond: json({ ...good, email: 'alice.example.com' }),
  },
  {
    name: 'email with spaces',
    expected: 'TOKEN_INVALID',
    respond: json({ ...good, email: 'alice @example.com' }),
  },
  {
    name: 'token with a newline',
    expected: 'TOKEN_INVALID',
    respond: json({ ...good, token: 'abc\ndef' }),
  },
  { name: 'empty token', expected: 'TOKEN_INVALID', respond: json({ ...good, token: '' }) },
  { name: 'numeric token', expected: 'TOKEN_INVALID', respond: json({ ...good, token: 12345 }) },
  {
    name: 'token over 4096 characters',
    expected: 'TOKEN_INVALID',
    respond: json({ ...good, token: 'x'.repeat(4097) }),
  },
  {
    name: 'huge body (1 MB)',
    expected: 'TOKEN_INVALID',
    respond: json({ ...good, padding: 'x'.repeat(1_000_000) }),
  },
  {
    name: 'expiresIn as a string',
    expected: 'TOKEN_INVALID',
    respond: json({ ...good, expiresIn: '600' }),
  },
  {
    name: 'negative expiresIn',
    expected: 'TOKEN_INVALID',
    respond: json({ ...good, expiresIn: -1 }),
  },
  {
    name: 'expiresAt in the past',
    expected: 'TOKEN_INVALID',
    respond: json({ email: alice.email, token: good.token, expiresAt: 1 }),
  },
  {
    name: 'prototype pollution attempt',
    expected: 'TOKEN_INVALID',
    respond: json('{"__proto__":{"email":"alice@example.com","token":"x"}}'),
  },
  {
    name: 'connection reset',
    expected: 'TOKEN_NETWORK',
    respond: (r) => r.abort('connectionreset'),
  },
  {
    name: 'connection refused',
    expected: 'TOKEN_NETWORK',
    respond: (r) => r.abort('connectionrefused'),
  },
  {
    name: 'no answer (hang past the timeout)',
    expected: 'TOKEN_TIMEOUT',
    respond: () => new Promise(() => {}),
  },
  {
    name: 'slow drip (headers, then a body too slow)',
    expected: 'TOKEN_TIMEOUT',
    respond: (r, h) => r.continue({ url: h.dripUrl }),
  },
];

let drip: Server;
let dripUrl = '';
test.beforeAll(async () => {
  drip = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const body = JSON.stringify(good);
    let i = 0;
    const timer = setInterval(() => {
      if (i >= body.length || res.destroyed) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(body[i++]);
    }, 200);
  });
  await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
  dripUrl = `http://127.0.0.1:${(drip.address() as AddressInfo).port}/token`;
});
test.afterAll(() => {
  drip.closeAllConnections();
  drip.close();
});

test('token endpoint fault matrix: typed ChatError, state unchanged, nothing applied', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const crossOrigin = (baseURL as string).replace('127.0.0.1', 'localhost');
  await page.goto('/?timeoutMs=800');
  await expect(sdkState(page)).toHaveText('anonymous');
  await expect(widget(page)).toHaveAttribute('data-identified', 'false');
  const before = await standInState(page);
  const rows: Array<{ case: string; expected: string; observed: string; pass: boolean }> = [];
  for (const c of cases) {
    await test.step(c.name, async () => {
      await page.unroute('**/api/chat-token');
      await page.route('**/api/chat-token', (route) => c.respond(route, { dripUrl, crossOrigin }));
      const outcome = await page.evaluate(() =>
        (window as unknown as { chat: { login(): Promise<unknown> } }).chat.login().then(
          () => 'resolved',
          (error: { name: string; code: string; status?: number }) =>
            `${error.name === 'ChatError' ? '' : `${error.name} `}${error.code}${error.status ? ` ${error.status}` : ''}`,
        ),
      );
      const state = await sdkState(page).textContent();
      const settings = await hubspotSettings(page);
      const hubspot = await standInState(page);
      const untouched =
        state === 'anonymous' &&
        !('identificationEmail' in settings) &&
        !('identificationToken' in settings) &&
        hubspot.shellGeneration === before.shellGeneration &&
        (hubspot.identity as { identified: boolean }).identified === false;
      const observed = `${outcome}; ${untouched ? 'state and widget unchanged' : `state ${state}, widget changed`}`;
      const pass = outcome === c.expected && untouched;
      rows.push({
        case: c.name,
        expected: `${c.expected}; state and widget unchanged`,
        observed,
        pass,
      });
      expect.soft(observed, c.name).toBe(`${c.expected}; state and widget unchanged`);
    });
  }

  await test.step('a token for a different email than the previous login: accepted, with a reset', async () => {
    await page.unroute('**/api/chat-token');
    await signIn(page, alice);
    await expect(sdkState(page)).toHaveText('authenticated');
    await expect(widget(page)).toHaveAttribute('data-identification-email', alice.email);
    const generation = (await standInState(page)).shellGeneration as number;
    await page.evaluate(async (user) => {
      await fetch('/api/sign-in', { method: 'POST', body: JSON.stringify(user) });
      await (window as unknown as { chat: { login(): Promise<unknown> } }).chat.login();
    }, bob);
    await expect(widget(page)).toHaveAttribute('data-identification-email', bob.email);
    const after = await standInState(page);
    const pass =
      after.shellGeneration === generation + 1 &&
      (await sdkState(page).textContent()) === 'authenticated';
    rows.push({
      case: 'token for a different email than the previous login',
      expected: 'accepted; widget reset to the new email',
      observed: pass
        ? 'accepted; widget reset to the new email'
        : `shell ${String(after.shellGeneration)}`,
      pass,
    });
    expect.soft(pass).toBe(true);
  });

  mkdirSync('.ci-out', { recursive: true });
  writeFileSync('.ci-out/faults-token.json', JSON.stringify(rows, null, 2));
  expect(rows.length).toBeGreaterThanOrEqual(30);
});
