// @vitest-environment node
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTokenHandler,
  jwtTokenMinter,
  type NodeRequestLike,
  toNodeHandler,
} from '../../src/server/index';
import { fakeResponse } from './node-fakes';

const secret = 'a-test-secret-that-is-32-bytes-long!';
const echo = async (request: Request) =>
  new Response(await request.text(), { headers: { 'Content-Type': 'text/plain' } });

/** A request as Node's `http` hands it over, with a body arriving in the given chunks. */
function fakeRequest(
  over: Partial<Omit<NodeRequestLike, typeof Symbol.asyncIterator>>,
  chunks: Array<Uint8Array | string> = [],
  pulled: { count: number } = { count: 0 },
): NodeRequestLike {
  return {
    method: 'POST',
    url: '/api/chat-token',
    headers: { host: 'shop.example.com' },
    ...over,
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        pulled.count++;
        yield chunk;
      }
    },
  };
}

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Serves `handler` the documented way: `createServer((req, res) => void handler(req, res))`. */
async function serve(handler: ReturnType<typeof toNodeHandler>): Promise<number> {
  const server = createServer((req, res) => void handler(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends raw bytes (fetch cannot send a malformed Host) and returns the status line. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk;
      if (received.includes('\r\n')) {
        resolve(received.slice(0, received.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

describe('toNodeHandler never rejects', () => {
  it('answers 400 to a Host it cannot parse, and keeps serving', async () => {
    const res = fakeResponse();
    await toNodeHandler(echo)(fakeRequest({ headers: { host: 'a b' } }), res);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '')).toEqual({ error: 'bad request' });

    const port = await serve(toNodeHandler(echo));
    const bad = 'POST /api/chat-token HTTP/1.1\r\nHost: a b\r\nContent-Length: 0\r\n\r\n';
    expect(await rawRequest(port, bad)).toBe('HTTP/1.1 400 Bad Request');
    const after = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'still here' });
    expect(await after.text()).toBe('still here');
  });

  it.each([
    ['a Host with credentials', { host: 'user@shop.example.com' }],
    ['a Host with a path', { host: 'shop.example.com/evil' }],
  ])('answers 400 to %s', async (_name, headers) => {
    const res = fakeResponse();
    await toNodeHandler(echo)(fakeRequest({ headers }), res);
    expect(res.statusCode).toBe(400);
  });

  it("keeps a `//host/path` request-target on the Host's origin", async () => {
    const seen: string[] = [];
    const res = fakeResponse();
    await toNodeHandler(async (request) => {
      seen.push(request.url);
      return new Response('ok');
    })(fakeRequest({ url: '//evil.example/api/chat-token' }), res);
    expect(seen).toEqual(['http://shop.example.com//evil.example/api/chat-token']);
  });

  it('refuses a cross-site request whose request-target names the attacker as the host', async () => {
    const res = fakeResponse();
    const handler = toNodeHandler(
      createTokenHandler({
        getVisitor: () => ({ email: 'alice@example.com' }),
        mint: jwtTokenMinter({ secret }),
      }),
    );
    await handler(
      fakeRequest({
        url: '//evil.example/api/chat-token',
        headers: { host: 'shop.example.com', origin: 'http://evil.example' },
      }),
      res,
    );
    expect(res.statusCode).toBe(403);
  });

  it('answers 500 when the handler throws, and tells onError', async () => {
    const errors: unknown[] = [];
    const boom = new Error('session store down');
    const res = fakeResponse();
    await toNodeHandler(
      async () => {
        throw boom;
      },
      { onError: (error) => errors.push(error) },
    )(fakeRequest({}), res);
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body ?? '')).toEqual({ error: 'internal error' });
    expect(errors).toEqual([boom]);
  });

  it('survives an onError that throws too', async () => {
    const res = fakeResponse();
    await toNodeHandler(
      async () => {
        throw new Error('first');
      },
      {
        onError: () => {
          throw new Error('second');
        },
      },
    )(fakeRequest({}), res);
    expect(res.statusCode).toBe(500);
  });

  it('answers 400 when the body stream fails (client went away)', async () => {
    const res = fakeResponse();
    const req: NodeRequestLike = {
      method: 'POST',
      url: '/',
      headers: { host: 'shop.example.com' },
      // biome-ignore lint/correctness/useYield: a stream that fails before its first chunk
      async *[Symbol.asyncIterator]() {
        throw new Error('aborted');
      },
    };
    await toNodeHandler(echo)(req, res);
    expect(res.statusCode).toBe(400);
  });
});

describe('toNodeHandler bodies and headers', () => {
  it('answers 413 to a Content-Length over 64 KiB without reading the body', async () => {
    const pulled = { count: 0 };
    const res = fakeResponse();
    await toNodeHandler(echo)(
      fakeRequest(
        { headers: { host: 'shop.example.com', 'content-length': String(64 * 1024 + 1) } },
        ['x'],
        pulled,
      ),
      res,
    );
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body ?? '')).toEqual({ error: 'body too large' });
    expect(pulled.count).toBe(0);
  });

  it('counts bytes, not UTF-16 units: 40,000 euro signs (120,000 bytes) are too large', async () => {
    const res = fakeResponse();
    const euros = new TextEncoder().encode('€'.repeat(40_000));
    const chunks = Array.from({ length: 8 }, (_, i) =>
      euros.subarray(i * 15_000, (i + 1) * 15_000),
    );
    await toNodeHandler(echo)(fakeRequest({}, chunks), res);
    expect(res.statusCode).toBe(413);
  });

  it('stops reading a streamed body as soon as it passes 64 KiB', async () => {
    const pulled = { count: 0 };
    const chunk = new Uint8Array(16 * 1024);
    const res = fakeResponse();
    await toNodeHandler(echo)(fakeRequest({}, Array(64).fill(chunk), pulled), res); // 1 MiB
    expect(res.statusCode).toBe(413);
    expect(pulled.count).toBe(5); // 4 × 16 KiB is exactly the limit; the 5th passes it
  });

  it('takes a body of exactly 64 KiB', async () => {
    const res = fakeResponse();
    await toNodeHandler(echo)(fakeRequest({}, ['a'.repeat(64 * 1024)]), res);
    expect(res.statusCode).toBe(200);
    expect(res.body).toHaveLength(64 * 1024);
  });

  it('keeps a character split across chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë €"}');
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of ë
    const res = fakeResponse();
    await toNodeHandler(echo)(
      fakeRequest({}, [
        bytes.subarray(0, split),
        bytes.subarray(split, split + 3),
        bytes.subarray(split + 3),
      ]),
      res,
    );
    expect(res.body).toBe('{"name":"Zoë €"}');
  });

  it('answers 413 through a real server, with the connection closed after it', async () => {
    const port = await serve(toNodeHandler(echo));
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/' });
      req.on('response', (response: IncomingMessage) => {
        resolve(response.statusCode);
        response.resume();
      });
      req.on('error', reject);
      req.write(new Uint8Array(70 * 1024)); // chunked: no Content-Length
      req.end();
    });
    expect(status).toBe(413);
  });

  it("keeps the handler's answer when it cancels the body and the client's body ends after", async () => {
    const port = await serve(
      toNodeHandler(async (request) => {
        const reader = request.body?.getReader();
        await reader?.read(); // the first chunk is all it needs
        await reader?.cancel();
        await new Promise((resolve) => setTimeout(resolve, 100)); // e.g. a session lookup
        return new Response('{"ok":true}', { headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n',
        );
        setTimeout(() => socket.write('0\r\n\r\n'), 30);
      });
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk;
        if (received.includes('\r\n')) {
          resolve(received.slice(0, received.indexOf('\r\n')));
          socket.destroy();
        }
      });
      socket.on('error', reject);
    });
    expect(status).toBe('HTTP/1.1 200 OK');
  });

  it('passes every Set-Cookie header to the client', async () => {
    const port = await serve(
      toNodeHandler(async () => {
        const headers = new Headers({ 'Content-Type': 'application/json' });
        headers.append('Set-Cookie', 'a=1; Path=/; HttpOnly');
        headers.append('Set-Cookie', 'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT');
        headers.append('Set-Cookie', 'c=3; Path=/');
        return new Response('{}', { headers });
      }),
    );
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' });
    expect(response.headers.getSetCookie()).toEqual([
      'a=1; Path=/; HttpOnly',
      'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
      'c=3; Path=/',
    ]);
  });

  it('takes https from x-forwarded-proto and from a TLS socket', async () => {
    const urls: string[] = [];
    const handler = toNodeHandler(async (request) => {
      urls.push(request.url);
      return new Response('ok');
    });
    await handler(
      fakeRequest({ headers: { host: 'shop.example.com', 'x-forwarded-proto': 'https' } }),
      fakeResponse(),
    );
    await handler(fakeRequest({ socket: { encrypted: true } }), fakeResponse());
    await handler(fakeRequest({}), fakeResponse());
    expect(urls).toEqual([
      'https://shop.example.com/api/chat-token',
      'https://shop.example.com/api/chat-token',
      'http://shop.example.com/api/chat-token',
    ]);
  });
});

describe("toNodeHandler's own answers carry createTokenHandler's CORS headers", () => {
  const www = 'https://www.example.com';
  const tokenHandler = () =>
    createTokenHandler({
      getVisitor: () => ({ email: 'alice@example.com' }),
      mint: jwtTokenMinter({ secret }),
      allowedOrigins: [www],
    });
  const cors = (res: ReturnType<typeof fakeResponse>) =>
    Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-')));

  it.each([
    ['400 (a Host that is not a host)', { host: 'a b' }, [], 400],
    ['413 (a body over 64 KiB)', { host: 'api.example.com' }, [new Uint8Array(70 * 1024)], 413],
  ] as const)(
    '%s: Vary: Origin, and the CORS headers for an allowed origin',
    async (_name, headers, chunks, status) => {
      const res = fakeResponse();
      await toNodeHandler(tokenHandler())(
        fakeRequest({ headers: { ...headers, origin: www, 'sec-fetch-site': 'same-site' } }, [
          ...chunks,
        ]),
        res,
      );
      expect(res.statusCode).toBe(status);
      expect(res.headers.get('vary')).toBe('Origin');
      expect(cors(res)).toEqual({
        'access-control-allow-origin': www,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'Retry-After',
      });
    },
  );

  it('500 (a handler that throws, wrapping the token handler): the same headers', async () => {
    const inner = tokenHandler();
    const throwing = Object.assign(
      async (_request: Request): Promise<Response> => {
        throw new Error('bug');
      },
      { corsHeaders: inner.corsHeaders },
    );
    const res = fakeResponse();
    await toNodeHandler(throwing)(
      fakeRequest({ headers: { host: 'api.example.com', origin: www } }),
      res,
    );
    expect(res.statusCode).toBe(500);
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('access-control-allow-origin')).toBe(www);
  });

  it('gives another origin Vary: Origin and no CORS headers', async () => {
    const res = fakeResponse();
    await toNodeHandler(tokenHandler())(
      fakeRequest({ headers: { host: 'api.example.com', origin: 'https://evil.example' } }, [
        new Uint8Array(70 * 1024),
      ]),
      res,
    );
    expect(res.statusCode).toBe(413);
    expect(res.headers.get('vary')).toBe('Origin');
    expect(cors(res)).toEqual({});
  });

  it('adds nothing for a handler that is not a token handler', async () => {
    const res = fakeResponse();
    await toNodeHandler(echo)(
      fakeRequest({ headers: { host: 'api.example.com', origin: www } }, [
        new Uint8Array(70 * 1024),
      ]),
      res,
    );
    expect(res.statusCode).toBe(413);
    expect(res.headers.get('vary')).toBeUndefined();
    expect(cors(res)).toEqual({});
  });
});
