// @vitest-environment node
// Issue 20, items 6-12: the token endpoint deploys anywhere (a build without secrets, Express 4
// mounted by hand, a slow session store, a client that never sends its body) and the minter
// behaves under HubSpot's rate limits, redirects and odd access tokens. HubSpot is the local fake.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTokenHandler,
  HubSpotApiError,
  hubspotTokenMinter,
  jwtTokenMinter,
  type TokenStore,
  toNodeHandler,
} from '../../src/server/index';
import { ACCESS_TOKEN, type FakeApi, startFakeHubSpotApi } from './fake-hubspot-api.mjs';

const endpoint = 'https://shop.example.com/api/chat-token';
const alice = { email: 'alice@example.com' };
const post = () => new Request(endpoint, { method: 'POST' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let api: FakeApi;
const servers: Server[] = [];
beforeEach(async () => {
  api = await startFakeHubSpotApi();
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  await api.close();
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends raw bytes, leaving the socket open, and resolves with the status line (or 'no answer'). */
function rawRequest(port: number, text: string, waitMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('no answer');
    }, waitMs);
    socket.on('data', (chunk) => {
      received += chunk;
      if (received.includes('\r\n')) {
        clearTimeout(timer);
        resolve(received.slice(0, received.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

const minter = (over: Partial<Parameters<typeof hubspotTokenMinter>[0]> = {}) =>
  hubspotTokenMinter({ accessToken: ACCESS_TOKEN, baseUrl: api.baseUrl, ...over });

describe('20.6: a handler created without its secrets (next build) does not throw', () => {
  it('hubspotTokenMinter without an access token: created fine, the first request answers 500 and tells onError', async () => {
    const errors: unknown[] = [];
    for (const accessToken of ['', process.env.HVC_UNSET_ACCESS_TOKEN]) {
      const handler = createTokenHandler({
        getVisitor: () => alice,
        mint: hubspotTokenMinter({ accessToken: accessToken as string }),
        onError: (error) => errors.push(error),
      });
      const response = await handler(post());
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: 'internal error' });
    }
    expect(errors.map(String)).toEqual([
      expect.stringMatching(/`accessToken` was missing/),
      expect.stringMatching(/`accessToken` was missing/),
    ]);
  });

  it('a missing storeSecret or jwtTokenMinter secret: the same 500 and a report naming it', async () => {
    const store: TokenStore = { get: () => undefined, set: () => undefined };
    const errors: unknown[] = [];
    for (const mint of [
      minter({ store, storeSecret: process.env.HVC_UNSET_STORE_SECRET ?? '' }),
      jwtTokenMinter({ secret: process.env.HVC_UNSET_CHAT_SECRET ?? '' }),
    ]) {
      const response = await createTokenHandler({
        getVisitor: () => alice,
        mint,
        onError: (error) => errors.push(error),
      })(post());
      expect(response.status).toBe(500);
    }
    expect(errors.map(String)).toEqual([
      expect.stringMatching(/`storeSecret` was missing/),
      expect.stringMatching(/`secret` was missing/),
    ]);
    expect(api.calls).toHaveLength(0);
  });

  it('still throws a TypeError at once for secrets that are present but malformed', () => {
    const store: TokenStore = { get: () => undefined, set: () => undefined };
    expect(() => minter({ store, storeSecret: 'too short' })).toThrow(TypeError);
    // Also while the access token is still missing (a build without its runtime secrets).
    expect(() => minter({ accessToken: '', store, storeSecret: 'too short' })).toThrow(TypeError);
    expect(() => jwtTokenMinter({ secret: 'too short' })).toThrow(TypeError);
    expect(() => minter({ accessToken: 'pat-na1-x\n' })).toThrow(TypeError);
  });
});

describe('20.7: HubSpot asking us to wait is remembered and passed on', () => {
  it('after a 429 with Retry-After, no new visitor goes to HubSpot: each gets 503 and the time left', async () => {
    api.answers.push({ status: 429, headers: { 'Retry-After': '30' } }, { status: 200 });
    const handler = createTokenHandler({
      getVisitor: (request) => ({ email: request.headers.get('x-visitor') ?? '' }),
      mint: minter(),
    });
    const ask = (email: string) =>
      handler(new Request(endpoint, { method: 'POST', headers: { 'X-Visitor': email } }));
    const first = await ask('alice@example.com');
    expect(first.status).toBe(503);
    expect(first.headers.get('Retry-After')).toBe('30');
    const second = await ask('bob@example.com');
    expect(second.status).toBe(503);
    expect(Number(second.headers.get('Retry-After'))).toBeGreaterThan(25);
    expect(Number(second.headers.get('Retry-After'))).toBeLessThanOrEqual(30);
    expect(api.calls).toHaveLength(1); // bob never reached HubSpot
  });

  it('the window lasts what Retry-After said even when the wall clock steps back meanwhile', async () => {
    api.answers.push(
      { status: 429, headers: { 'Retry-After': '1' } },
      { status: 200, body: { token: 'hs-token-for-bob' } },
    );
    const handler = createTokenHandler({
      getVisitor: (request) => ({ email: request.headers.get('x-visitor') ?? '' }),
      mint: minter(),
    });
    const ask = (email: string) =>
      handler(new Request(endpoint, { method: 'POST', headers: { 'X-Visitor': email } }));
    expect((await ask('alice@example.com')).status).toBe(503);
    // An NTP step or a VM resume: the wall clock goes back ten minutes.
    const real = Date.now.bind(Date);
    const stepped = vi.spyOn(Date, 'now').mockImplementation(() => real() - 600_000);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await ask('bob@example.com')).status).toBe(200);
    } finally {
      stepped.mockRestore();
    }
  });

  it('a HubSpot 503 with Retry-After is answered 503 with it (not 502), and remembered the same way', async () => {
    api.answers.push({ status: 503, headers: { 'Retry-After': '20' } }, { status: 200 });
    const errors: unknown[] = [];
    const handler = createTokenHandler({
      getVisitor: () => alice,
      mint: minter(),
      onError: (error) => errors.push(error),
    });
    const first = await handler(post());
    expect(first.status).toBe(503);
    expect(first.headers.get('Retry-After')).toBe('20');
    const second = await handler(post());
    expect(second.status).toBe(503);
    expect(api.calls).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HubSpotApiError);
  });
});

describe('20.8: the token cache evicts by use', () => {
  it('keeps a token that is used again over one minted later (LRU, not mint order)', async () => {
    const mint = minter({ cacheSize: 2 });
    await mint({ email: 'a@example.com' });
    await mint({ email: 'b@example.com' });
    await mint({ email: 'a@example.com' }); // a is used: b is now the least recently used
    await mint({ email: 'c@example.com' }); // evicts b
    expect(api.calls).toHaveLength(3);
    await mint({ email: 'a@example.com' });
    expect(api.calls).toHaveLength(3); // a was kept
    await mint({ email: 'b@example.com' });
    expect(api.calls).toHaveLength(4); // b was not
  });
});

describe('20.9: redirects and baseUrl', () => {
  it("never follows HubSpot's redirect: the email is not re-sent elsewhere, nor that origin's token served", async () => {
    const elsewhere: string[] = [];
    const port = await listen(
      createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          elsewhere.push(body);
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ token: 'token-from-elsewhere' }));
        });
      }),
    );
    api.answers.push({
      status: 307,
      headers: {
        Location: `http://127.0.0.1:${port}/conversations/v3/visitor-identification/tokens/create`,
      },
    });
    const errors: unknown[] = [];
    const response = await createTokenHandler({
      getVisitor: () => alice,
      mint: minter(),
      onError: (error) => errors.push(error),
    })(post());
    expect(response.status).toBe(502);
    expect(elsewhere).toEqual([]);
    expect(errors[0]).toBeInstanceOf(HubSpotApiError);
  });

  it('refuses a baseUrl that is not an https origin (http only for localhost) at setup', () => {
    for (const baseUrl of [
      'api.hubapi.com',
      'ftp://api.hubapi.com',
      'http://api.hubapi.com',
      'https://user:password@api.hubapi.com',
      'https://api.hubapi.com?portal=1',
      'https://api.hubapi.com#x',
    ]) {
      expect(() => minter({ baseUrl }), baseUrl).toThrow(/`baseUrl`/);
    }
    expect(() => minter({ baseUrl: 'https://api.hubapi.com' })).not.toThrow();
    expect(() => minter({ baseUrl: 'http://localhost:4010' })).not.toThrow();
  });
});

describe('20.10: the access token never reaches onError', () => {
  it('one with a line break or a NUL is refused at setup, without quoting it', () => {
    for (const accessToken of [
      'pat-na1-SECRET-VALUE\n',
      'pat-na1-SECRET\r\nX-Evil: 1',
      'pat-na1-SECRET\0',
    ]) {
      let message = '';
      try {
        hubspotTokenMinter({ accessToken });
      } catch (error) {
        message = String(error);
      }
      expect(message).toMatch(/`accessToken` contains a line break or a NUL/);
      expect(message).not.toContain('SECRET');
    }
  });

  it('an error from fetch that quotes the Authorization header is reported without the token', async () => {
    const errors: string[] = [];
    const quoting: typeof fetch = async (_input, init) => {
      const auth = new Headers(init?.headers).get('authorization');
      throw new TypeError(`invalid header value: ${auth}`);
    };
    const response = await createTokenHandler({
      getVisitor: () => alice,
      mint: minter({ fetch: quoting }),
      onError: (error) => errors.push(String(error)),
    })(post());
    expect(response.status).toBe(502);
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain(ACCESS_TOKEN);
  });
});

describe('20.11: nothing waits forever', () => {
  it('getVisitorTimeoutMs: a getVisitor that never settles gets 504, and onError is told', async () => {
    const errors: unknown[] = [];
    const handler = createTokenHandler({
      getVisitor: () => new Promise<never>(() => {}),
      mint: minter(),
      getVisitorTimeoutMs: 100,
      onError: (error) => errors.push(error),
    });
    const response = await Promise.race([handler(post()), sleep(3000).then(() => 'no answer')]);
    expect(response === 'no answer' ? response : (response as Response).status).toBe(504);
    expect(String(errors[0])).toMatch(/did not settle within 100 ms/);
  });

  it('refuses a getVisitorTimeoutMs that is not a number of milliseconds', () => {
    for (const getVisitorTimeoutMs of [0, -1, Number.NaN, 2 ** 31]) {
      expect(() =>
        createTokenHandler({ getVisitor: () => alice, mint: minter(), getVisitorTimeoutMs }),
      ).toThrow(/`getVisitorTimeoutMs`/);
    }
  });

  it('toNodeHandler answers without waiting for a body the endpoint does not read', async () => {
    const port = await listen(
      createServer(
        (req, res) =>
          void toNodeHandler(createTokenHandler({ getVisitor: () => alice, mint: minter() }))(
            req,
            res,
          ),
      ),
    );
    // Announces 100 bytes, sends 10, and never the rest.
    const status = await rawRequest(
      port,
      'POST /api/chat-token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789',
    );
    expect(status).toBe('HTTP/1.1 200 OK');
  });
});

describe('20.12: mounted by hand, and odd requests', () => {
  it('mounted in Express 4 without toNodeHandler: a 500 that says to use it, and the process lives', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const errors: unknown[] = [];
    const handler = createTokenHandler({
      getVisitor: () => alice,
      mint: minter(),
      onError: (error) => errors.push(error),
    });
    // What Express 4 does with `app.post(path, handler)`: calls it with Node's req, res and next,
    // and drops the promise it returns.
    const express4 = handler as unknown as (
      req: unknown,
      res: unknown,
      next: () => void,
    ) => unknown;
    const port = await listen(
      createServer((req, res) => {
        express4(req, res, () => {});
      }),
    );
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/chat-token`, {
        method: 'POST',
        signal: AbortSignal.timeout(3000),
      });
      expect(response.status).toBe(500);
      expect(JSON.stringify(await response.json())).toMatch(/toNodeHandler/);
      await sleep(50);
      expect(unhandled).toEqual([]);
      expect(String(errors[0])).toMatch(/toNodeHandler/);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses an allowedOrigins entry with a * or a path at setup', () => {
    for (const entry of [
      'https://*.example.com',
      'https://www.example.com/app',
      'https://www.example.com/?x=1',
    ]) {
      expect(
        () =>
          createTokenHandler({ getVisitor: () => alice, mint: minter(), allowedOrigins: [entry] }),
        entry,
      ).toThrow(/`allowedOrigins`/);
    }
    expect(() =>
      createTokenHandler({
        getVisitor: () => alice,
        mint: minter(),
        allowedOrigins: ['https://www.example.com/', 'http://localhost:3000'],
      }),
    ).not.toThrow();
  });

  it('answers TRACE with 405 through toNodeHandler', async () => {
    const port = await listen(
      createServer(
        (req, res) =>
          void toNodeHandler(createTokenHandler({ getVisitor: () => alice, mint: minter() }))(
            req,
            res,
          ),
      ),
    );
    expect(
      await rawRequest(port, 'TRACE /api/chat-token HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
    ).toBe('HTTP/1.1 405 Method Not Allowed');
  });
});
