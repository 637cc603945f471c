import { joinBytes, MAX_BODY_BYTES, tell } from './shared';

/**
 * The parts of Node's `http.IncomingMessage` (and Express' `req`) the adapter reads.
 *
 * @example
 * ```ts
 * app.post('/api/chat-token', (req: NodeRequestLike, res: NodeResponseLike) => void handler(req, res));
 * ```
 */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  /** `req.method`; `GET` when missing. */
  method?: string;
  /** The request-target: `/path?query` (an absolute URL keeps only its path and query). */
  url?: string;
  /** Node's lower-cased header object. */
  headers: Record<string, string | string[] | undefined>;
  /** A TLS socket has `encrypted: true`; `https` is also assumed when `x-forwarded-proto` says so. */
  socket?: unknown;
}

/**
 * The parts of Node's `http.ServerResponse` (and Express' `res`) the adapter writes.
 *
 * @example
 * ```ts
 * createServer((req, res: NodeResponseLike) => void handler(req, res));
 * ```
 */
export interface NodeResponseLike {
  statusCode: number;
  /** Called once per header name; `set-cookie` gets all its values as an array. */
  setHeader(name: string, value: string | string[]): unknown;
  end(body?: string): unknown;
}

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * Told when the handler threw (answered 500) or the answer could not be written. A request the
   * adapter cannot parse (400) or whose body is too large (413) is the client's fault and is not
   * reported. It may be async: a throw or a rejected promise is ignored, never a crash.
   *
   * @example
   * ```ts
   * toNodeHandler(handler, { onError: (error) => console.error('chat token endpoint:', error) });
   * ```
   */
  onError?: (error: unknown) => void;
}

/**
 * What {@link toNodeHandler} adapts: a Web-standard handler. {@link createTokenHandler}'s also has
 * `corsHeaders`, which the adapter puts on the answers it gives itself (400, 413, 500), so that a
 * page on one of `allowedOrigins` can read those as well.
 *
 * @example
 * ```ts
 * const hello: WebHandler = async () => new Response('hello');
 * toNodeHandler(hello);
 * ```
 */
export interface WebHandler {
  (request: Request): Promise<Response>;
  /** The headers every answer to a request with this `Origin` carries (see `TokenHandler`). */
  corsHeaders?: (origin: string | null) => Headers;
}

const utf8 = new TextEncoder();

/** A request the adapter refuses itself: 400 or 413. */
class Refused {
  constructor(readonly status: 400 | 413) {}
}

function plain(status: number, error: string, headers: Headers = new Headers()): Response {
  headers.set('Content-Type', 'application/json');
  headers.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify({ error }), { status, headers });
}

/** The request's URL: scheme from TLS or `x-forwarded-proto`, origin from `Host`, path from the target. */
function requestUrl(req: NodeRequestLike, headers: Headers): URL {
  const encrypted = (req.socket as { encrypted?: unknown } | null | undefined)?.encrypted === true;
  const proto = encrypted || headers.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  const host = headers.get('host') ?? 'localhost';
  const base = new URL(`${proto}://${host}`); // throws on `Host: a b`
  if (base.username || base.password || base.pathname !== '/' || base.search || base.hash) {
    throw new Refused(400); // `Host: user@host`, `Host: host/path`: not a host
  }
  let target = req.url ?? '/';
  if (!target.startsWith('/')) {
    const absolute = new URL(target); // absolute-form (proxies); `*` and the like throw
    target = absolute.pathname + absolute.search;
  }
  // Concatenated, not resolved: `new URL('//evil.example/x', base)` would change the host.
  return new URL(base.origin + target);
}

/** The body's bytes, at most MAX_BODY_BYTES; decoded later, once, by whoever reads the Request. */
async function readBody(req: NodeRequestLike, headers: Headers): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(headers.get('content-length')) > MAX_BODY_BYTES) throw new Refused(413);
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Pulled by hand: leaving `for await` early would destroy Node's request, and with it the
  // socket the 413 has to go out on. The rest is never read; Connection: close ends it.
  const iterator = req[Symbol.asyncIterator]();
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    const bytes = typeof value === 'string' ? utf8.encode(value) : value;
    size += bytes.byteLength;
    if (size > MAX_BODY_BYTES) throw new Refused(413);
    chunks.push(bytes);
  }
  return joinBytes(chunks, size);
}

async function toRequest(req: NodeRequestLike): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const url = requestUrl(req, headers);
  const method = (req.method ?? 'GET').toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, headers);
  return new Request(url, { method, headers, ...(body?.byteLength ? { body } : {}) });
}

async function write(res: NodeResponseLike, response: Response): Promise<void> {
  const text = await response.text();
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  // Headers joins nothing for Set-Cookie; setHeader would keep only the last one.
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(text);
}

/**
 * Adapts a Web-standard handler such as {@link createTokenHandler}'s to Node's `http` server or
 * Express. The returned function never rejects: a request it cannot parse (a `Host` that is not a
 * host, a body stream that fails) gets 400, a body over 64 KiB (in bytes) gets 413 without being
 * read further, and a handler that throws gets 500 and `onError`. These answers carry the
 * handler's `corsHeaders` when it has them ({@link createTokenHandler}'s: `Vary: Origin`, and CORS
 * headers for an allowed origin). The body is handed over as bytes, so a character split across
 * chunks survives; every `Set-Cookie` reaches the client.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * const handler = toNodeHandler(createTokenHandler({ getVisitor: () => null, mint: jwtTokenMinter({ secret: 'x'.repeat(32) }) }));
 * createServer((req, res) => void handler(req, res)).listen(3000);
 * // Express: app.post('/api/chat-token', (req, res) => void handler(req, res));
 * ```
 */
export function toNodeHandler(
  handler: WebHandler,
  options: NodeHandlerOptions = {},
): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  const report = (error: unknown) => tell(options.onError, error);
  /** The handler's own headers for this request's Origin, for the answers given here. */
  const headersFor = (req: NodeRequestLike): Headers => {
    if (typeof handler.corsHeaders !== 'function') return new Headers();
    const origin = req.headers.origin;
    return handler.corsHeaders((Array.isArray(origin) ? origin[0] : origin) ?? null);
  };
  const run = async (req: NodeRequestLike, request: Request): Promise<Response> => {
    try {
      return await handler(request);
    } catch (error) {
      report(error);
      return plain(500, 'internal error', headersFor(req));
    }
  };
  return async (req, res) => {
    try {
      const request = await toRequest(req).catch((error: unknown) =>
        error instanceof Refused ? error : new Refused(400),
      );
      let response: Response;
      if (request instanceof Refused) {
        const headers = headersFor(req);
        headers.set('Connection', 'close');
        response = plain(
          request.status,
          request.status === 413 ? 'body too large' : 'bad request',
          headers,
        );
      } else {
        response = await run(req, request);
      }
      await write(res, response);
    } catch (error) {
      report(error); // the answer could not be written (socket gone, headers already sent)
      try {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: 'internal error' }));
      } catch {
        // nothing more can be done for this request
      }
    }
  };
}
