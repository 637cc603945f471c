import { isEmail } from '../email';
import { HubSpotApiError } from './hubspot-api-error';
import { MAX_BODY_BYTES, tell } from './shared';
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
   * matches; an entry that is not an http(s) URL throws a `TypeError` at once.
   *
   * @example
   * ```ts
   * allowedOrigins: ['https://www.example.com', 'https://shop.example.com/'],
   * ```
   */
  allowedOrigins?: string[];
  /**
   * Told why an answer was 500, 502 or 503; the answer itself only says that it failed. Never
   * given a token. It may be async: a throw or a rejected promise is ignored, never a crash.
   *
   * @example
   * ```ts
   * onError: (error) => logger.error({ err: error }, 'chat token endpoint'),
   * ```
   */
  onError?: (error: unknown) => void;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
/** When HubSpot rate-limits us without saying for how long: its window is 10 s (hubspot-api.md §9). */
const DEFAULT_RETRY_AFTER_S = 10;
/** The longest `Retry-After` passed on: a bigger one (a proxy's, a bug's) would stall browsers for days. */
const MAX_RETRY_AFTER_S = 3600;
const PREFLIGHT_MAX_AGE_S = 600;
/** One header name (an RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

function normaliseOrigin(entry: unknown): string {
  let origin: string | undefined;
  try {
    const url = new URL(String(entry));
    if (url.protocol === 'https:' || url.protocol === 'http:') origin = url.origin;
  } catch {
    // not a URL
  }
  if (!origin || typeof entry !== 'string') {
    throw new TypeError(
      `createTokenHandler: \`allowedOrigins\` entries must be http(s) URLs such as "https://www.example.com"; got ${JSON.stringify(entry)}`,
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

/**
 * Whether the body is over {@link MAX_BODY_BYTES} (413), unreadable (400), or fine (undefined). A
 * larger `Content-Length` is refused unread. Otherwise the bytes are counted through a clone: the
 * request keeps its own body (a tee branch holding at most the limit), so `getVisitor` gets the
 * very request it was given (a Next.js `NextRequest` stays one) and can still read it.
 */
async function bodyProblem(request: Request): Promise<400 | 413 | undefined> {
  if (Number(request.headers.get('content-length')) > MAX_BODY_BYTES) return 413;
  if (request.body === null || request.bodyUsed) return undefined;
  let probe: ReadableStream<Uint8Array> | null;
  try {
    probe = request.clone().body;
  } catch {
    return undefined; // locked by a framework that reads it itself: getVisitor cannot read it either
  }
  if (!probe) return undefined;
  const reader = probe.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return undefined;
      if (!ArrayBuffer.isView(value)) return 400;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        // Both branches cancelled: the source stops, nothing more is read or buffered.
        reader.cancel().catch(() => {});
        request.body?.cancel().catch(() => {});
        return 413;
      }
    }
  } catch {
    return 400; // the body stream failed (the client went away)
  }
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
  const { getVisitor, mint, onError } = options;
  if (typeof getVisitor !== 'function') {
    throw new TypeError('createTokenHandler: `getVisitor` must be a function');
  }
  if (typeof mint !== 'function')
    throw new TypeError('createTokenHandler: `mint` must be a function');
  if (options.allowedOrigins !== undefined && !Array.isArray(options.allowedOrigins)) {
    throw new TypeError('createTokenHandler: `allowedOrigins` must be an array of origins');
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
    const problem = await bodyProblem(request);
    if (problem === 413) return answer(413, { error: 'body too large' });
    if (problem === 400) return answer(400, { error: 'bad request' });
    let visitor: Visitor | null;
    try {
      visitor = await getVisitor(request);
    } catch (error) {
      report(error);
      return answer(500, { error: 'internal error' });
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
      if (error instanceof HubSpotApiError && error.code === 'RATE_LIMITED') {
        return answer(
          503,
          { error: 'too many token requests, retry later' },
          { 'Retry-After': retryAfter(error.retryAfterSeconds) },
        );
      }
      return answer(502, { error: 'could not create a chat token' });
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

  const handler = async (request: Request): Promise<Response> => {
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
