// @vitest-environment node
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createTokenHandler,
  HubSpotApiError,
  jwtTokenMinter,
  toNodeHandler,
} from '../../src/server/index';

const secret = 'a-test-secret-that-is-32-bytes-long!';
const endpoint = 'https://shop.example.com/api/chat-token';
const alice = { email: 'alice@example.com' };

function handler(over: Partial<Parameters<typeof createTokenHandler>[0]> = {}) {
  return createTokenHandler({ getVisitor: () => alice, mint: jwtTokenMinter({ secret }), ...over });
}
const post = (headers: Record<string, string> = {}) =>
  new Request(endpoint, { method: 'POST', headers });

describe('createTokenHandler', () => {
  it('answers { email, token, expiresIn } with Cache-Control: no-store', async () => {
    const response = await handler()(
      post({ Origin: 'https://shop.example.com', 'Sec-Fetch-Site': 'same-origin' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(await response.json()).toEqual({
      email: alice.email,
      token: expect.any(String),
      expiresIn: 43_200,
    });
  });

  it('passes the request to getVisitor and the visitor to mint', async () => {
    const seen: unknown[] = [];
    const response = await handler({
      getVisitor: (request) => {
        seen.push(request.headers.get('cookie'));
        return { email: 'bob@example.com', firstName: 'Bob' };
      },
      mint: async (visitor) => {
        seen.push(visitor);
        return { token: 'tok', expiresIn: 60 };
      },
    })(post({ Cookie: 'session=1' }));
    expect(await response.json()).toEqual({
      email: 'bob@example.com',
      token: 'tok',
      expiresIn: 60,
    });
    expect(seen).toEqual(['session=1', { email: 'bob@example.com', firstName: 'Bob' }]);
  });

  it.each(['GET', 'PUT', 'DELETE'])('answers %s with 405 and Allow: POST', async (method) => {
    const response = await handler()(new Request(endpoint, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('POST');
  });

  it('answers 401 when nobody is signed in', async () => {
    const response = await handler({ getVisitor: async () => null })(post());
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'not signed in' });
  });

  it.each([
    ['an Origin of another site', { Origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    [
      'Sec-Fetch-Site: same-site from a sibling not allowed',
      { 'Sec-Fetch-Site': 'same-site', Origin: 'https://blog.example.com' },
    ],
    [
      'a same-origin claim with a foreign Origin',
      { 'Sec-Fetch-Site': 'same-origin', Origin: 'https://evil.example' },
    ],
  ])('refuses %s with 403, before asking who is signed in', async (_name, headers) => {
    let asked = false;
    const response = await handler({
      getVisitor: () => {
        asked = true;
        return alice;
      },
    })(post(headers));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'cross-site request refused' });
    expect(asked).toBe(false);
  });

  it('accepts allowed origins, and requests with no Origin (servers, curl)', async () => {
    const h = handler({ allowedOrigins: ['https://www.example.com'] });
    expect(
      (await h(post({ Origin: 'https://www.example.com', 'Sec-Fetch-Site': 'same-site' }))).status,
    ).toBe(200);
    expect((await h(post())).status).toBe(200);
  });

  it('answers 502 with a generic message when minting fails, and tells onError why', async () => {
    const errors: unknown[] = [];
    const cause = new HubSpotApiError(
      'FORBIDDEN',
      'HubSpot answered 403: POST https://api.hubapi.com/…',
      { status: 403 },
    );
    const response = await handler({
      mint: async () => {
        throw cause;
      },
      onError: (error) => errors.push(error),
    })(post());
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'could not create a chat token' });
    expect(errors).toEqual([cause]);
  });

  it('never gives onError a token, and answers 502 for a visitor without a valid email', async () => {
    const logged: string[] = [];
    const response = await handler({
      getVisitor: () => ({ email: 'not an email' }),
      onError: (error) => logged.push(String(error)),
    })(post());
    expect(response.status).toBe(502);
    expect(logged).toEqual(['TypeError: createTokenHandler: getVisitor returned no valid email']);
  });

  it('refuses bad options at creation', () => {
    expect(() =>
      createTokenHandler({
        getVisitor: 'x',
        mint: async () => ({ token: 't', expiresIn: 1 }),
      } as never),
    ).toThrow('`getVisitor`');
    expect(() => createTokenHandler({ getVisitor: () => null } as never)).toThrow('`mint`');
  });
});

describe('toNodeHandler', () => {
  it("serves the handler from Node's http server, with the request's cookies, origin and body", async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      void toNodeHandler(
        createTokenHandler({
          getVisitor: async (request) => {
            bodies.push(await request.text());
            return request.headers.get('cookie') === 'session=alice' ? alice : null;
          },
          mint: jwtTokenMinter({ secret }),
        }),
      )(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = await fetch(`${base}/api/chat-token`, {
        method: 'POST',
        headers: { Cookie: 'session=alice', Origin: base },
        body: '{"hello":1}',
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cache-control')).toBe('no-store');
      expect(await ok.json()).toMatchObject({ email: alice.email, expiresIn: 43_200 });
      expect(bodies).toEqual(['{"hello":1}']);
      const anonymous = await fetch(`${base}/api/chat-token`, { method: 'POST' });
      expect(anonymous.status).toBe(401);
      const foreign = await fetch(`${base}/api/chat-token`, {
        method: 'POST',
        headers: { Origin: 'https://evil.example' },
      });
      expect(foreign.status).toBe(403);
      expect((await fetch(`${base}/api/chat-token`)).status).toBe(405);
    } finally {
      server.close();
    }
  });
});
