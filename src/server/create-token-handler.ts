import { isEmail } from '../email';
import { asksToWait, DEFAULT_RETRY_AFTER_S } from './hubspot-backoff';
import { hasLimitedBody, MAX_BODY_BYTES, MissingSecretError, tell } from './shared';
import type { TokenMinter, Visitor } from './visitor';

/** Options of {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /**
   * Who is signed in, from your app's own session; `null` when nobody is (answered 401). If it
   * throws (session store down), the answer is 500 and the error goes to `onError`.
   *
   * @example
   * ```ts
   * getVisitor: async (request) => {
   *   const session = await sessions.read(request.headers.get('cookie'));
   *   return session ? { email: session.email, firstName: session.firstName } : null;
   * },
   * ```
   */
  getVisitor: (request: Request) => Promise<Visitor | null> | Visitor | null;
  /**
   * Mints the token: {@link hubspotTokenMinter} or {@link jwtTokenMinter}.
   *
   * @example
   * ```ts
   * mint: hubspotTokenMinter({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' }),
   * ```
   */
  mint: TokenMinter;
  /**
   * Origins allowed besides the endpoint's own, when the page and the endpoint live on different
   * origins (`https://www.example.com` calling `https://api.example.com`). Their requests get
   * CORS headers (with credentials) and their preflights a 204; any other origin gets no CORS
   * headers and 403. Each entry is normalised with `new URL(entry).origin`, so a trailing slash
   * matches; an entry that is not an http(s) origin (a `*` wildcard, a path, a query) throws a
   * `TypeError` at once.
   *
   * @example
   * ```ts
   * allowedOrigins: ['https://www.example.com', 'https://shop.example.com/'],
   * ```
   */
  allowedOrigins?: string[] | undefined;
  /**
   * Told why an answer was 500, 502 or 503; the answer itself only says that it failed. Never
   * given a token. It may be async: a throw or a rejected promise is ignored, never a crash.
   *
   * @example
   * ```ts
   * onError: (error) => logger.error({ err: error }, 'chat token endpoint'),
   * ```
   */
  onError?: ((error: unknown) => void) | undefined;
  /**
   * Milliseconds `getVisitor` may take; when it has not settled by then (a session store that
   * hangs), the answer is 504 and `onError` is told. From 1 to 2147483647; default none (wait as
   * long as `getVisitor` does).
   *
   * @example
   * ```ts
   * getVisitorTimeoutMs: 3000,
   * ```
   */
  getVisitorTimeoutMs?: number | undefined;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
/** The longest `Retry-After` passed on: a bigger one (a proxy's, a bug's) would stall browsers for days. */
const MAX_RETRY_AFTER_S = 3600;
const PREFLIGHT_MAX_AGE_S = 600;
/** setTimeout fires at once for anything longer. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** One header name (an RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/**
 * `entry` as an origin. Only a scheme, a host and a port (and a trailing slash): a `*` would match
 * nothing (`Origin` never holds one) while looking like a wildcard, and a path is not part of an
 * origin, so both are refused rather than silently reduced.
 */
function normaliseOrigin(entry: unknown): string {
  let origin: string | undefined;
  try {
    const url = new URL(String(entry));
    const originOnly =
      url.pathname === '/' &&
      !url.search &&
      !url.hash &&
      !url.username &&
      !url.password &&
      !String(entry).includes('*');
    if ((url.protocol === 'https:' || url.protocol === 'http:') && originOnly) origin = url.origin;
  } catch {
    // not a URL
  }
  if (!origin || typeof entry !== 'string') {
    throw new TypeError(
      `createTokenHandler: \`allowedOrigins\` entries must be http(s) origins such as "https://www.example.com" (no "*", no path); got ${JSON.stringify(entry)}`,
    );
  }
  return origin;
}

/**
 * Whether a browser sent this request from a site we do not serve. `Sec-Fetch-Site` comes from the
 * browser and cannot be set by a page, so it is trusted when present: `same-origin` and `none`
 * pass whatever `Origin` says (behind a proxy the endpoint sees `http://127.0.0.1:3000` while the
 * page is on `https://shop.example.com`), `same-site` and `cross-site` only with an allowed
 * `Origin`. Without it (older browsers), `Origin`, when sent, must be the endpoint's own or an
 * allowed one. Requests with neither (curl, servers) are not cross-site requests.
 */
function isCrossSite(request: Request, origin: string | null, allowed: Set<string>): boolean {
  const site = request.headers.get('Sec-Fetch-Site');
  if (site === 'same-origin' || site === 'none') return false;
  if (site === 'same-site' || site === 'cross-site')
    return !(origin !== null && allowed.has(origin));
  return !(origin === null || origin === new URL(request.url).origin || allowed.has(origin));
}

/** The `Retry-After` to send for HubSpot's: whole seconds from 1 to an hour, else the default. */
function retryAfter(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    return String(DEFAULT_RETRY_AFTER_S);
  }
  return String(Math.min(MAX_RETRY_AFTER_S, Math.ceil(seconds)));
}

/** A body being counted: its verdict, and a way to stop reading it. */
interface BodyCount {
  /** 413 over {@link MAX_BODY_BYTES}, 400 when the stream fails, undefined when fine or stopped. */
  verdict: Promise<400 | 413 | undefined>;
  /** Cancels both branches of the body: the source stops, nothing more is read or buffered. */
  stop(): void;
}

/**
 * Counts the body's bytes through a clone, starting at once (before anything else can read the
 * body): the request keeps its own body (a tee branch holding at most the limit), so
 * `getVisitor` gets the very request it was given (a Next.js `NextRequest` stays one) and can
 * still read it.
 */
function countBody(request: Request): BodyCount {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    if (request.body !== null && !request.bodyUsed) reader = request.clone().body?.getReader();
  } catch {
    // locked by a framework that reads it itself: getVisitor cannot read it either
  }
  const stop = () => {
    reader?.cancel().catch(() => {});
    request.body?.cancel().catch(() => {});
  };
  const verdict = (async (): Promise<400 | 413 | undefined> => {
    if (!reader) return undefined;
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        if (!ArrayBuffer.isView(value)) return 400;
        size += value.byteLength;
        if (size > MAX_BODY_BYTES) {
          stop();
          return 413;
        }
      }
    } catch {
      return 400; // the body stream failed (the client went away)
    }
  })();
  return { verdict, stop };
}

/** The headers a preflight asked for, lower-cased and checked, plus Content-Type. */
function allowedHeaders(requested: string | null): string {
  const names = new Set(['content-type']);
  for (const name of (requested ?? '').split(',')) {
    const trimmed = name.trim().toLowerCase();
    if (HEADER_NAME.test(trimmed)) names.add(trimmed);
  }
  return [...names].join(',');
}

/** `getVisitor` did not settle within `getVisitorTimeoutMs`: answered 504. */
class VisitorTimeout extends Error {
  constructor(ms: number) {
    super(
      `createTokenHandler: getVisitor did not settle within ${ms} ms (getVisitorTimeoutMs); answered 504`,
    );
    this.name = 'TimeoutError';
  }
}

const USE_ADAPTER =
  'createTokenHandler: the handler was called with a Node request, not a Web Request: mount it with toNodeHandler(handler) in Express and node:http';

/**
 * The handler was mounted as a Node/Express middleware (`app.post(path, handler)`), so it got
 * Node's `req` and `res`. Express 4 ignores the promise a middleware returns, so a rejection would
 * end the process: instead the answer is a 500 that says what to do, written on `res` when it
 * looks like Node's, and `onError` is told.
 */
function mountedWithoutAdapter(
  _req: unknown,
  res: unknown,
  report: (error: unknown) => void,
): Response {
  const error = new TypeError(USE_ADAPTER);
  report(error);
  const body = JSON.stringify({ error: USE_ADAPTER });
  const node = res as {
    headersSent?: boolean;
    statusCode?: number;
    setHeader?: (name: string, value: string) => unknown;
    end?: (body: string) => unknown;
  } | null;
  try {
    if (
      node &&
      typeof node.end === 'function' &&
      typeof node.setHeader === 'function' &&
      !node.headersSent
    ) {
      node.statusCode = 500;
      for (const [name, value] of Object.entries(JSON_HEADERS)) node.setHeader(name, value);
      node.end(body);
    }
  } catch {
    // a response we cannot write: the returned Response still says it
  }
  return new Response(body, { status: 500, headers: JSON_HEADERS });
}

/**
 * What {@link createTokenHandler} returns: the handler, plus the CORS decision it applies to every
 * answer, so that {@link toNodeHandler} can put the same headers on the answers it gives itself.
 *
 * @example
 * ```ts
 * const handler: TokenHandler = createTokenHandler({ getVisitor, mint, allowedOrigins: ['https://www.example.com'] });
 * handler.corsHeaders('https://www.example.com').get('Access-Control-Allow-Origin'); // 'https://www.example.com'
 * ```
 */
export interface TokenHandler {
  (request: Request): Promise<Response>;
  /**
   * The headers every answer (but a preflight's 204) to a request with this `Origin` carries:
   * `Vary: Origin`, and for one of `allowedOrigins` `Access-Control-Allow-Origin`,
   * `Access-Control-Allow-Credentials: true` and `Access-Control-Expose-Headers: Retry-After`.
   *
   * @example
   * ```ts
   * const headers = handler.corsHeaders(request.headers.get('Origin'));
   * return new Response('{"error":"bad request"}', { status: 400, headers });
   * ```
   */
  corsHeaders(origin: string | null): Headers;
}

/**
 * The token endpoint the SDK's `tokenUrl` calls, as a Web-standard handler (`Request` in,
 * `Response` out): Next.js route handlers, Hono, Bun, Deno, Cloudflare Workers; Node's `http` and
 * Express through {@link toNodeHandler}. It never rejects. Answers (bodies are generic; details go
 * to `onError`):
 * - 200 `{ email, token, expiresIn }` with `Cache-Control: no-store`;
 * - 204 to a CORS preflight from one of `allowedOrigins`;
 * - 400 when the body stream fails; 413 to a body over 64 KiB (in bytes; a larger
 *   `Content-Length` is refused unread, a stream stops being read once past the limit);
 * - 401 when `getVisitor` returns null; 403 to a cross-site request; 405 to other methods;
 * - 500 when `getVisitor` throws; 502 when minting fails; 503 with `Retry-After` when HubSpot
 *   rate-limits us (HubSpot's value up to an hour, else 10 s), so the SDK backs off and retries.
 *
 * @example
 * ```ts
 * // app/api/chat-token/route.ts (Next.js)
 * export const POST = createTokenHandler({
 *   getVisitor: async (request) => (await getSession(request))?.user ?? null,
 *   mint: hubspotTokenMinter({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' }),
 * });
 * ```
 */
export function createTokenHandler(options: TokenHandlerOptions): TokenHandler {
  const { getVisitor, mint, onError, getVisitorTimeoutMs } = options;
  if (typeof getVisitor !== 'function') {
    throw new TypeError('createTokenHandler: `getVisitor` must be a function');
  }
  if (typeof mint !== 'function')
    throw new TypeError('createTokenHandler: `mint` must be a function');
  if (options.allowedOrigins !== undefined && !Array.isArray(options.allowedOrigins)) {
    throw new TypeError('createTokenHandler: `allowedOrigins` must be an array of origins');
  }
  if (
    getVisitorTimeoutMs !== undefined &&
    !(
      typeof getVisitorTimeoutMs === 'number' &&
      getVisitorTimeoutMs >= 1 &&
      getVisitorTimeoutMs <= MAX_TIMER_MS
    )
  ) {
    throw new TypeError(
      `createTokenHandler: \`getVisitorTimeoutMs\` must be a number of milliseconds from 1 to ${MAX_TIMER_MS}; got ${String(getVisitorTimeoutMs)}`,
    );
  }
  const allowed = new Set((options.allowedOrigins ?? []).map(normaliseOrigin));
  const allow = allowed.size > 0 ? 'OPTIONS, POST' : 'POST';
  const report = (error: unknown) => tell(onError, error);

  async function respond(request: Request, origin: string | null): Promise<Response> {
    if (request.method === 'OPTIONS' && origin !== null) {
      if (!allowed.has(origin)) return answer(403, { error: 'cross-site request refused' });
      return new Response(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Methods': 'POST',
          'Access-Control-Allow-Headers': allowedHeaders(
            request.headers.get('Access-Control-Request-Headers'),
          ),
          'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
          'Cache-Control': 'no-store',
          Vary: 'Access-Control-Request-Headers',
        },
      });
    }
    if (request.method !== 'POST') {
      return answer(405, { error: 'method not allowed' }, { Allow: allow });
    }
    if (isCrossSite(request, origin, allowed)) {
      return answer(403, { error: 'cross-site request refused' });
    }
    if (Number(request.headers.get('content-length')) > MAX_BODY_BYTES) {
      return answer(413, { error: 'body too large' });
    }
    // Behind toNodeHandler the adapter counts the body as it arrives, without holding the answer
    // for a body nobody reads; a Web handler on its own counts it here first.
    if (!hasLimitedBody(request)) {
      const problem = await countBody(request).verdict;
      if (problem === 413) return answer(413, { error: 'body too large' });
      if (problem === 400) return answer(400, { error: 'bad request' });
    }
    return serve(request);
  }

  /** `getVisitor`, then `mint`: the answer for a request that passed every check. */
  async function serve(request: Request): Promise<Response> {
    let visitor: Visitor | null;
    try {
      visitor = await visitorOf(request);
    } catch (error) {
      report(error);
      return error instanceof VisitorTimeout
        ? answer(504, { error: 'timed out' })
        : answer(500, { error: 'internal error' });
    }
    if (!visitor) return answer(401, { error: 'not signed in' });
    if (!isEmail(visitor.email)) {
      report(new TypeError('createTokenHandler: getVisitor returned no valid email'));
      return answer(502, { error: 'could not create a chat token' });
    }
    try {
      const { token, expiresIn } = await mint(visitor);
      return answer(200, { email: visitor.email, token, expiresIn });
    } catch (error) {
      report(error);
      if (error instanceof MissingSecretError) return answer(500, { error: 'internal error' });
      if (asksToWait(error)) {
        return answer(
          503,
          { error: 'too many token requests, retry later' },
          { 'Retry-After': retryAfter(error.retryAfterSeconds) },
        );
      }
      return answer(502, { error: 'could not create a chat token' });
    }
  }

  /** `getVisitor(request)`, given up after `getVisitorTimeoutMs` with a {@link VisitorTimeout}. */
  async function visitorOf(request: Request): Promise<Visitor | null> {
    if (getVisitorTimeoutMs === undefined) return getVisitor(request);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new VisitorTimeout(getVisitorTimeoutMs)),
        getVisitorTimeoutMs,
      );
    });
    try {
      return await Promise.race([Promise.resolve().then(() => getVisitor(request)), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Adds the headers every answer to `origin` carries; `preflight` answers expose nothing. */
  function decorate(headers: Headers, origin: string | null, preflight: boolean): Headers {
    // The answer depends on Origin: caches must not hand one origin's answer to another.
    headers.append('Vary', 'Origin');
    if (origin !== null && allowed.has(origin)) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Allow-Credentials', 'true');
      if (!preflight) {
        // Not CORS-safelisted: without this the SDK cannot read how long to back off after a 503.
        headers.set('Access-Control-Expose-Headers', 'Retry-After');
      }
    }
    return headers;
  }

  const handler = async (request: Request, ...rest: unknown[]): Promise<Response> => {
    const given: unknown = request;
    if (typeof (given as { headers?: { get?: unknown } } | null)?.headers?.get !== 'function') {
      return mountedWithoutAdapter(request, rest[0], report);
    }
    const origin = request.headers.get('Origin');
    let response: Response;
    try {
      response = await respond(request, origin);
    } catch (error) {
      report(error);
      response = answer(500, { error: 'internal error' });
    }
    decorate(response.headers, origin, response.status === 204);
    return response;
  };
  return Object.assign(handler, {
    corsHeaders: (origin: string | null) => decorate(new Headers(), origin, false),
  });
}
