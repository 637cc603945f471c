import { HubSpotApiError, type HubSpotApiErrorCode } from './hubspot-api-error';
import type { MintedToken, TokenMinter, Visitor } from './visitor';

/** Options of {@link hubspotTokenMinter}. */
export interface HubSpotTokenMinterOptions {
  /** A private-app or OAuth access token with `conversations.visitor_identification.tokens.create`. */
  accessToken: string;
  /** HubSpot's API origin; default `https://api.hubapi.com`. */
  baseUrl?: string;
  /** Milliseconds one call to HubSpot may take; default 10000. */
  timeoutMs?: number;
  /** Tokens kept, one per email, at most; default 1000 (the oldest goes first). */
  cacheSize?: number;
  /** Seconds a cached token must still live to be handed out again; default 3600. */
  cacheMarginSeconds?: number;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

/** "This token is temporary and will expire after 12 hours" — hubspot-api.md §5. */
const HUBSPOT_TOKEN_LIFETIME_S = 12 * 60 * 60;
const PATH = '/conversations/v3/visitor-identification/tokens/create';

function codeFor(status: number): HubSpotApiErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  return status >= 500 ? 'SERVER' : 'BAD_REQUEST';
}

/**
 * Mints tokens with HubSpot's Visitor Identification API. Tokens are reusable for 12 hours, so
 * each email's token is cached (bounded, in memory) until `cacheMarginSeconds` before it expires,
 * and concurrent requests for one email share one call: a burst of page loads makes one request.
 * Throws {@link HubSpotApiError}.
 *
 * @example
 * ```ts
 * const mint = hubspotTokenMinter({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' });
 * const { token, expiresIn } = await mint({ email: 'alice@example.com' });
 * ```
 */
export function hubspotTokenMinter(options: HubSpotTokenMinterOptions): TokenMinter {
  const {
    accessToken,
    baseUrl = 'https://api.hubapi.com',
    timeoutMs = 10_000,
    cacheSize = 1000,
    cacheMarginSeconds = 3600,
  } = options;
  if (typeof accessToken !== 'string' || !accessToken) {
    throw new TypeError('hubspotTokenMinter: `accessToken` must be a non-empty string');
  }
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const url = `${baseUrl.replace(/\/+$/, '')}${PATH}`;
  const where = `POST ${url}`;
  /** email → token and when it expires (epoch ms); Map order is age order. */
  const cache = new Map<string, { token: string; expiresAt: number }>();
  const inFlight = new Map<string, Promise<MintedToken>>();

  async function call(visitor: Visitor): Promise<{ token: string; expiresAt: number }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${accessToken}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({
          email: visitor.email,
          ...(visitor.firstName ? { firstName: visitor.firstName } : {}),
          ...(visitor.lastName ? { lastName: visitor.lastName } : {}),
        }),
        signal: controller.signal,
      });
    } catch (error) {
      throw controller.signal.aborted
        ? new HubSpotApiError('TIMEOUT', `HubSpot did not answer within ${timeoutMs} ms: ${where}`)
        : new HubSpotApiError(
            'NETWORK',
            `HubSpot could not be reached (${String(error)}): ${where}`,
          );
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('Retry-After'));
      throw new HubSpotApiError(
        codeFor(response.status),
        `HubSpot answered ${response.status}: ${where}`,
        {
          status: response.status,
          ...(Number.isFinite(retryAfter) && retryAfter > 0
            ? { retryAfterSeconds: retryAfter }
            : {}),
        },
      );
    }
    const body = (await response.json().catch(() => null)) as { token?: unknown } | null;
    if (typeof body?.token !== 'string' || !body.token) {
      throw new HubSpotApiError('BAD_RESPONSE', `HubSpot answered without a token: ${where}`);
    }
    return { token: body.token, expiresAt: Date.now() + HUBSPOT_TOKEN_LIFETIME_S * 1000 };
  }

  return (visitor) => {
    const key = visitor.email.toLowerCase();
    const cached = cache.get(key);
    if (cached && cached.expiresAt - Date.now() > cacheMarginSeconds * 1000) {
      return Promise.resolve({
        token: cached.token,
        expiresIn: Math.floor((cached.expiresAt - Date.now()) / 1000),
      });
    }
    const running = inFlight.get(key);
    if (running) return running;
    const minted = call(visitor)
      .then((entry) => {
        cache.delete(key);
        cache.set(key, entry);
        while (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
        return { token: entry.token, expiresIn: HUBSPOT_TOKEN_LIFETIME_S };
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, minted);
    return minted;
  };
}
