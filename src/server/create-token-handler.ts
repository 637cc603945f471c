import { isEmail } from '../email';
import type { TokenMinter, Visitor } from './visitor';

/** Options of {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /** Who is signed in, from your app's own session; `null` when nobody is (answered 401). */
  getVisitor: (request: Request) => Promise<Visitor | null> | Visitor | null;
  /** Mints the token: {@link hubspotTokenMinter} or {@link jwtTokenMinter}. */
  mint: TokenMinter;
  /**
   * Origins allowed besides the endpoint's own (e.g. `https://www.example.com` when the API lives
   * on `api.example.com`). Requests whose `Origin` is another one are refused with 403.
   */
  allowedOrigins?: string[];
  /** Told why minting failed; the response only says it failed. Never given a token. */
  onError?: (error: unknown) => void;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/**
 * Whether a browser sent this request from another site. `Sec-Fetch-Site` is trusted when present
 * (`same-origin` and `none` pass, `same-site` only with an allowed `Origin`); otherwise `Origin`,
 * when sent, must be the endpoint's own or an allowed one. Requests with neither (curl, servers)
 * are not cross-site requests.
 */
function isCrossSite(request: Request, allowed: Set<string>): boolean {
  const origin = request.headers.get('Origin');
  const originAllowed =
    origin === null || origin === new URL(request.url).origin || allowed.has(origin);
  const site = request.headers.get('Sec-Fetch-Site');
  if (site === 'same-origin' || site === 'none') return !originAllowed;
  if (site === 'same-site' || site === 'cross-site')
    return !(origin !== null && allowed.has(origin));
  return !originAllowed;
}

/**
 * The token endpoint the SDK's `tokenUrl` calls, as a Web-standard handler (`Request` in,
 * `Response` out): Next.js route handlers, Hono, Bun, Deno, Cloudflare Workers; Node's `http` and
 * Express through {@link toNodeHandler}. Answers `POST` only (405), refuses cross-site requests
 * (403), 401 when `getVisitor` returns null, `{ email, token, expiresIn }` with
 * `Cache-Control: no-store`, and 502 with a generic message when minting fails.
 *
 * @example
 * ```ts
 * export const POST = createTokenHandler({
 *   getVisitor: async (request) => (request.headers.get('cookie')?.includes('session=') ? { email: 'alice@example.com' } : null),
 *   mint: hubspotTokenMinter({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' }),
 * });
 * ```
 */
export function createTokenHandler(
  options: TokenHandlerOptions,
): (request: Request) => Promise<Response> {
  const { getVisitor, mint, onError } = options;
  if (typeof getVisitor !== 'function') {
    throw new TypeError('createTokenHandler: `getVisitor` must be a function');
  }
  if (typeof mint !== 'function')
    throw new TypeError('createTokenHandler: `mint` must be a function');
  const allowed = new Set(options.allowedOrigins ?? []);
  return async (request) => {
    if (request.method !== 'POST') {
      return answer(405, { error: 'method not allowed' }, { Allow: 'POST' });
    }
    if (isCrossSite(request, allowed)) return answer(403, { error: 'cross-site request refused' });
    const visitor = await getVisitor(request);
    if (!visitor) return answer(401, { error: 'not signed in' });
    if (!isEmail(visitor.email)) {
      onError?.(new TypeError('createTokenHandler: getVisitor returned no valid email'));
      return answer(502, { error: 'could not create a chat token' });
    }
    try {
      const { token, expiresIn } = await mint(visitor);
      return answer(200, { email: visitor.email, token, expiresIn });
    } catch (error) {
      onError?.(error);
      return answer(502, { error: 'could not create a chat token' });
    }
  };
}
