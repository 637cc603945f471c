import { MAX_BODY_BYTES, markLimitedBody, tell } from './shared';

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
  method?: string | undefined;
  /** The request-target: `/path?query` (an absolute URL keeps only its path and query). */
  url?: string | undefined;
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
  onError?: ((error: unknown) => void) | undefined;
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
  corsHeaders?: ((origin: string | null) => Headers) | undefined;
}

const utf8 = new TextEncoder();

/** A request the adapter refuses itself: 400, 405 (a method no Request can carry) or 413. */
class Refused {
  constructor(readonly status: 400 | 405 | 413) {}
}

const REFUSALS = { 400: 'bad request', 405: 'method not allowed', 413: 'body too large' } as const;

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

/** Methods a `Request` cannot be built with: answered 405 by the adapter itself. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The request's body as it arrives: read eagerly up to MAX_BODY_BYTES, never waited for. */
interface PumpedBody {
  stream: ReadableStream<Uint8Array>;
  /** 413 once past the limit, 400 once the stream failed; undefined so far. */
  refused(): 400 | 413 | undefined;
}

/**
 * Reads `req` in the background into a stream the handler may read or ignore: the handler's
 * answer never waits for a body it does not read (a client that announces bytes and never sends
 * them). Past MAX_BODY_BYTES reading stops and the stream fails; the adapter then answers 413
 * whatever the handler said. Pulled by hand: leaving `for await` early would destroy Node's
 * request, and with it the socket the 413 has to go out on. The rest is never read;
 * `Connection: close` ends it.
 */
function pumpBody(req: NodeRequestLike): PumpedBody {
  let refused: 400 | 413 | undefined;
  let stopped = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      void (async () => {
        const iterator = req[Symbol.asyncIterator]();
        let size = 0;
        try {
          while (!stopped) {
            const { done, value } = await iterator.next();
            // A handler that cancelled the stream has what it wanted: the end is nobody's concern.
            if (done) return stopped || controller.close();
            const bytes = typeof value === 'string' ? utf8.encode(value) : value;
            size += bytes.byteLength;
            if (size > MAX_BODY_BYTES) {
              refused = 413;
              return controller.error(new Refused(413));
            }
            if (!stopped) controller.enqueue(bytes);
          }
        } catch {
          if (stopped) return; // a body the handler no longer reads cannot spoil its answer
          refused = 400;
          controller.error(new Refused(400));
        }
      })();
    },
    cancel() {
      stopped = true; // the handler wants no more; Node discards the rest after the answer
    },
  });
  return { stream, refused: () => refused };
}

function toRequest(req: NodeRequestLike): { request: Request; body: PumpedBody | undefined } {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const url = requestUrl(req, headers);
  const method = (req.method ?? 'GET').toUpperCase();
  if (FORBIDDEN_METHODS.has(method)) throw new Refused(405);
  if (Number(headers.get('content-length')) > MAX_BODY_BYTES) throw new Refused(413);
  const body = method === 'GET' || method === 'HEAD' ? undefined : pumpBody(req);
  const init = body ? { body: body.stream, duplex: 'half' } : {};
  return { request: markLimitedBody(new Request(url, { method, headers, ...init })), body };
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
  /** The adapter's own answer: 400, 405 or 413, with the handler's CORS headers. */
  const refuse = (req: NodeRequestLike, status: 400 | 405 | 413): Response => {
    const headers = headersFor(req);
    if (status === 405) headers.set('Allow', 'POST');
    else headers.set('Connection', 'close');
    return plain(status, REFUSALS[status], headers);
  };
  return async (req, res) => {
    try {
      let built: ReturnType<typeof toRequest> | Refused;
      try {
        built = toRequest(req);
      } catch (error) {
        built = error instanceof Refused ? error : new Refused(400);
      }
      let response: Response;
      if (built instanceof Refused) {
        response = refuse(req, built.status);
      } else {
        response = await run(req, built.request);
        // The body went wrong while the handler ran (it read it, or it simply arrived): the
        // adapter's refusal wins over whatever the handler made of it.
        const refused = built.body?.refused();
        if (refused !== undefined) response = refuse(req, refused);
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
