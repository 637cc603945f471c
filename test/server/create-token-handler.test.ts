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

/**
 * HubSpot's 12 hours, less the whole seconds between minting and answering: a millisecond of a busy
 * machine between the two makes it 43199 (an exact 43200 failed `npm test` under load).
 */
const twelveHoursLessElapsed = expect.toSatisfy(
  (seconds: unknown) => typeof seconds === 'number' && seconds <= 43_200 && seconds > 43_200 - 60,
);

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
      expiresIn: twelveHoursLessElapsed,
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
      'Sec-Fetch-Site: same-site from a look-alike host',
      { 'Sec-Fetch-Site': 'same-site', Origin: 'https://shop.example.com.evil.example' },
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
      expect(await ok.json()).toMatchObject({
        email: alice.email,
        expiresIn: twelveHoursLessElapsed,
      });
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

describe('createTokenHandler failures', () => {
  it('answers 500 with a generic body when getVisitor throws, and tells onError', async () => {
    const errors: unknown[] = [];
    const down = new Error('session store down: redis://10.0.0.5 refused');
    const response = await handler({
      getVisitor: async () => {
        throw down;
      },
      onError: (error) => errors.push(error),
    })(post());
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal error' });
    expect(errors).toEqual([down]);
  });

  it('answers 500 when getVisitor throws synchronously, even with an onError that throws', async () => {
    const response = await handler({
      getVisitor: () => {
        throw new Error('sync');
      },
      onError: () => {
        throw new Error('logger down');
      },
    })(post());
    expect(response.status).toBe(500);
  });

  it("answers HubSpot's 429 with 503 and HubSpot's Retry-After", async () => {
    const errors: unknown[] = [];
    const limited = new HubSpotApiError('RATE_LIMITED', 'HubSpot answered 429: POST …', {
      status: 429,
      retryAfterSeconds: 7,
    });
    const response = await handler({
      mint: async () => {
        throw limited;
      },
      onError: (error) => errors.push(error),
    })(post());
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(await response.json()).toEqual({ error: 'too many token requests, retry later' });
    expect(errors).toEqual([limited]);
  });

  it('answers a 429 without Retry-After with 503 and a default Retry-After of 10 s', async () => {
    const response = await handler({
      mint: async () => {
        throw new HubSpotApiError('RATE_LIMITED', 'HubSpot answered 429: POST …', { status: 429 });
      },
    })(post());
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('10');
  });

  it.each([
    ['SERVER', 500],
    ['SERVER', 503],
    ['FORBIDDEN', 403],
    ['UNAUTHORIZED', 401],
  ] as const)('keeps HubSpot %s (%i) a 502 without Retry-After', async (code, status) => {
    const response = await handler({
      mint: async () => {
        throw new HubSpotApiError(code, `HubSpot answered ${status}: POST …`, { status });
      },
    })(post());
    expect(response.status).toBe(502);
    expect(response.headers.get('Retry-After')).toBeNull();
    expect(await response.json()).toEqual({ error: 'could not create a chat token' });
  });
});

describe('createTokenHandler behind a proxy', () => {
  // TLS ended at the proxy, and nginx's default `proxy_set_header Host $proxy_host`: the app sees
  // http://127.0.0.1:3000 while the browser is on https://shop.example.com.
  const behindProxy = (headers: Record<string, string>) =>
    new Request('http://127.0.0.1:3000/api/chat-token', { method: 'POST', headers });

  it('trusts Sec-Fetch-Site: same-origin whatever Origin says about scheme or host', async () => {
    const response = await handler()(
      behindProxy({ Origin: 'https://shop.example.com', 'Sec-Fetch-Site': 'same-origin' }),
    );
    expect(response.status).toBe(200);
  });

  it('still refuses a cross-site request behind the proxy', async () => {
    const response = await handler()(
      behindProxy({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' }),
    );
    expect(response.status).toBe(403);
  });

  it('accepts an allowedOrigins entry written with a trailing slash', async () => {
    const h = handler({ allowedOrigins: ['https://shop.example.com/'] });
    const response = await h(behindProxy({ Origin: 'https://shop.example.com' }));
    expect(response.status).toBe(200);
  });

  it.each([['not a url'], ['shop.example.com'], ['file:///etc/passwd'], ['']])(
    'refuses the allowedOrigins entry %j at setup',
    (entry) => {
      expect(() => handler({ allowedOrigins: [entry] })).toThrow(TypeError);
      expect(() => handler({ allowedOrigins: [entry] })).toThrow('`allowedOrigins`');
    },
  );
});

describe('createTokenHandler across origins (CORS)', () => {
  const www = 'https://www.example.com';
  const api = 'https://api.example.com/chat-token';
  const cors = () => handler({ allowedOrigins: [www] });
  const preflight = (origin: string, requestHeaders?: string) =>
    new Request(api, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Sec-Fetch-Site': 'same-site',
        ...(requestHeaders ? { 'Access-Control-Request-Headers': requestHeaders } : {}),
      },
    });
  const corsHeaders = (response: Response) =>
    [...response.headers].filter(([name]) => name.startsWith('access-control-'));

  it('answers a preflight from an allowed origin with 204 and the headers the request needs', async () => {
    const response = await cors()(preflight(www, 'content-type,x-csrf-token'));
    expect(response.status).toBe(204);
    expect(Object.fromEntries(corsHeaders(response))).toEqual({
      'access-control-allow-origin': www,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type,x-csrf-token',
      'access-control-max-age': '600',
    });
    expect(response.headers.get('Vary')).toContain('Origin');
    expect(await response.text()).toBe('');
  });

  it('allows Content-Type in a preflight that asks for no header', async () => {
    const response = await cors()(preflight(www));
    expect(response.headers.get('Access-Control-Allow-Headers')).toBe('content-type');
  });

  it('adds Allow-Origin, Allow-Credentials and Vary: Origin to every answer for an allowed origin', async () => {
    const ok = await cors()(post({ Origin: www, 'Sec-Fetch-Site': 'same-site' }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe(www);
    expect(ok.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(ok.headers.get('Access-Control-Expose-Headers')).toBe('Retry-After');
    expect(ok.headers.get('Vary')).toContain('Origin');
    // The SDK must be able to read a 401 or a 503 too, not see a network error.
    const nobody = await handler({ allowedOrigins: [www], getVisitor: () => null })(
      post({ Origin: www, 'Sec-Fetch-Site': 'same-site' }),
    );
    expect(nobody.status).toBe(401);
    expect(nobody.headers.get('Access-Control-Allow-Origin')).toBe(www);
  });

  it('gives other origins no CORS headers: a preflight or a POST gets 403', async () => {
    const evil = 'https://evil.example';
    for (const request of [
      preflight(evil, 'x-csrf-token'),
      post({ Origin: evil, 'Sec-Fetch-Site': 'cross-site' }),
    ]) {
      const response = await cors()(request);
      expect(response.status).toBe(403);
      expect(corsHeaders(response)).toEqual([]);
    }
  });

  it('sends no CORS headers to same-origin requests, and answers a bare OPTIONS with 405', async () => {
    const same = await cors()(
      post({ Origin: 'https://shop.example.com', 'Sec-Fetch-Site': 'same-origin' }),
    );
    expect(same.status).toBe(200);
    expect(corsHeaders(same)).toEqual([]);
    const bare = await cors()(new Request(api, { method: 'OPTIONS' }));
    expect(bare.status).toBe(405);
    expect(bare.headers.get('Allow')).toBe('OPTIONS, POST');
  });
});

describe('createTokenHandler reads at most 64 KiB of body (Next.js, Hono: no toNodeHandler)', () => {
  /** A body stream of `count` `chunk`s (16 MiB of 16 KiB ones by default), counting the pulls. */
  function streamed(chunk: Uint8Array, count = 1024) {
    const pulled = { count: 0 };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled.count >= count) return controller.close();
        pulled.count++;
        controller.enqueue(chunk);
      },
    });
    return { body, pulled };
  }
  const withBody = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request(endpoint, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
  const reading = () =>
    handler({
      getVisitor: async (request) => {
        await request.text(); // a CSRF token in the body, say
        return alice;
      },
    });

  it('answers 413 to a Content-Length over 64 KiB without reading the body', async () => {
    const { body, pulled } = streamed(new Uint8Array(1024));
    const response = await reading()(withBody(body, { 'Content-Length': String(64 * 1024 + 1) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'body too large' });
    expect(pulled.count).toBeLessThanOrEqual(1); // a stream may pull one chunk ahead on its own
  });

  it('stops reading a streamed body as soon as it passes 64 KiB', async () => {
    const { body, pulled } = streamed(new Uint8Array(16 * 1024)); // 16 MiB
    const response = await reading()(withBody(body));
    expect(response.status).toBe(413);
    expect(pulled.count).toBeLessThanOrEqual(8); // 5 cross the limit, and a little read-ahead: not 1024
  });

  it('counts bytes, not UTF-16 units: 40,000 euro signs (120,000 bytes) are too large', async () => {
    const response = await reading()(withBody('€'.repeat(40_000)));
    expect(response.status).toBe(413);
  });

  it('takes a body of exactly 64 KiB, and hands getVisitor the very request, body unread', async () => {
    const request = withBody(streamed(new Uint8Array(1024).fill(97), 64).body);
    let seen: { same: boolean; length: number } | undefined;
    const response = await handler({
      getVisitor: async (given) => {
        seen = { same: given === request, length: (await given.text()).length };
        return alice;
      },
    })(request);
    expect(response.status).toBe(200);
    expect(seen).toEqual({ same: true, length: 64 * 1024 });
  });

  it('answers 400 when the body stream fails (client went away)', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('aborted'));
      },
    });
    const response = await reading()(withBody(body));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'bad request' });
  });

  it('does not look at the body of a cross-site request: 403', async () => {
    const { body, pulled } = streamed(new Uint8Array(16 * 1024));
    const response = await reading()(withBody(body, { 'Sec-Fetch-Site': 'cross-site' }));
    expect(response.status).toBe(403);
    expect(pulled.count).toBeLessThanOrEqual(1);
  });
});

describe('createTokenHandler: Retry-After', () => {
  it.each([
    [1e9, '3600'],
    [Number.MAX_VALUE, '3600'],
    [Number.POSITIVE_INFINITY, '10'],
    [Number.NaN, '10'],
    [0.2, '1'],
  ])('re-emits a HubSpot Retry-After of %d s as %s', async (retryAfterSeconds, expected) => {
    const response = await handler({
      mint: async () => {
        throw new HubSpotApiError('RATE_LIMITED', 'HubSpot answered 429: POST …', {
          status: 429,
          retryAfterSeconds,
        });
      },
    })(post());
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe(expected);
  });
});
