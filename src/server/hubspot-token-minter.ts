import { HubSpotApiError, type HubSpotApiErrorCode } from './hubspot-api-error';
import { joinBytes } from './shared';
import { type StoredToken, sharedTokens, type TokenStore } from './store';
import type { MintedToken, TokenMinter, Visitor } from './visitor';

/** Options of {@link hubspotTokenMinter}. */
export interface HubSpotTokenMinterOptions {
  /**
   * A private-app or OAuth access token with `conversations.visitor_identification.tokens.create`.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' });
   * ```
   */
  accessToken: string;
  /**
   * HubSpot's API origin; default `https://api.hubapi.com`.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, baseUrl: 'http://127.0.0.1:4010' }); // a local fake in tests
   * ```
   */
  baseUrl?: string;
  /**
   * Milliseconds one call to HubSpot may take, reading its answer included; default 10000. From 1
   * to 2147483647 (a timer's limit); anything else throws a `TypeError` at setup.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, timeoutMs: 5000 });
   * ```
   */
  timeoutMs?: number;
  /**
   * Tokens kept in this process, one per email, at most; default 1000 (the oldest goes first). A
   * positive integer; anything else (`NaN` from an unset environment variable) throws a `TypeError`.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, cacheSize: 10_000 });
   * ```
   */
  cacheSize?: number;
  /**
   * Seconds a cached token must still live to be handed out again; default 3600. Entries in
   * `store` expire at that point too. At least 0 and under 43200 (HubSpot's 12 hours, when nothing
   * would ever be reused); anything else throws a `TypeError` at setup.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, cacheMarginSeconds: 2 * 3600 });
   * ```
   */
  cacheMarginSeconds?: number;
  /**
   * The fetch to use; default the global one.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, fetch: (input, init) => tracedFetch('hubspot', input, init) });
   * ```
   */
  fetch?: typeof fetch;
  /**
   * Shares tokens between instances (several pods, serverless): looked up after this process's own
   * cache and before HubSpot. Any object with `get`, `set` and optionally `delete`; a `Keyv` fits
   * as it is. Requires `storeSecret`. Keys never hold the email in clear, values are encrypted.
   * A store that throws or takes longer than 250 ms is skipped and reported to `onStoreError`.
   *
   * @example
   * ```ts
   * import Keyv from 'keyv';
   * import KeyvRedis from '@keyv/redis';
   * const mint = hubspotTokenMinter({
   *   accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '',
   *   store: new Keyv(new KeyvRedis(process.env.REDIS_URL)),
   *   storeSecret: process.env.TOKEN_STORE_SECRET ?? '', // 32 bytes or more
   *   onStoreError: (error) => console.warn('token store skipped:', error),
   * });
   * ```
   */
  store?: TokenStore;
  /**
   * The secret the store's AES-GCM key is derived from: at least 32 bytes (a string counts as
   * UTF-8), the same on every instance. Required with `store`: a leaked store must not let anyone
   * chat as any visitor.
   *
   * @example
   * ```ts
   * // openssl rand -base64 48
   * hubspotTokenMinter({ accessToken, store, storeSecret: process.env.TOKEN_STORE_SECRET ?? '' });
   * ```
   */
  storeSecret?: string | Uint8Array;
  /**
   * Told when the store failed, was slower than 250 ms, or held a value that did not decrypt; the
   * token is minted anyway. Never given a token. It may be async: a throw or a rejected promise is
   * ignored, never a crash.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, store, storeSecret, onStoreError: (error) => logger.warn(error) });
   * ```
   */
  onStoreError?: (error: unknown) => void;
}

/** "This token is temporary and will expire after 12 hours" — hubspot-api.md §5. */
const HUBSPOT_TOKEN_LIFETIME_S = 12 * 60 * 60;
const PATH = '/conversations/v3/visitor-identification/tokens/create';
/** HubSpot answers `{ "token": "…" }`; a larger answer is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** setTimeout fires at once for anything longer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function codeFor(status: number): HubSpotApiErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  return status >= 500 ? 'SERVER' : 'BAD_REQUEST';
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date; undefined when absent or past. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim())
    ? Number(header)
    : Math.ceil((Date.parse(header) - Date.now()) / 1000);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** Throws a TypeError naming the option unless `ok`. */
function check(ok: boolean, name: string, value: unknown, what: string): void {
  if (!ok) {
    throw new TypeError(
      `hubspotTokenMinter: \`${name}\` must be ${what}; got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    );
  }
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** The whole body as text, or undefined when it is larger than `limit` bytes (then cancelled). */
async function readText(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(joinBytes(chunks, size));
}

function secretBytes(secret: unknown): Uint8Array | undefined {
  if (typeof secret === 'string') return new TextEncoder().encode(secret);
  return secret instanceof Uint8Array ? secret : undefined;
}

/**
 * Mints tokens with HubSpot's Visitor Identification API. Tokens are reusable for 12 hours, so
 * each email's token is cached (bounded, in memory, keyed by the exact address) until
 * `cacheMarginSeconds` before it expires, and concurrent requests for one email share one call: a
 * burst of page loads makes one request. With `store`, instances share their tokens too: the
 * process cache first, then the store, then HubSpot. Throws {@link HubSpotApiError}.
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
    store,
  } = options;
  if (typeof accessToken !== 'string' || !accessToken) {
    throw new TypeError('hubspotTokenMinter: `accessToken` must be a non-empty string');
  }
  check(
    isNumber(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_TIMER_MS,
    'timeoutMs',
    timeoutMs,
    `a number of milliseconds from 1 to ${MAX_TIMER_MS}`,
  );
  check(
    Number.isSafeInteger(cacheSize) && cacheSize >= 1,
    'cacheSize',
    cacheSize,
    'a positive integer',
  );
  check(
    isNumber(cacheMarginSeconds) &&
      cacheMarginSeconds >= 0 &&
      cacheMarginSeconds < HUBSPOT_TOKEN_LIFETIME_S,
    'cacheMarginSeconds',
    cacheMarginSeconds,
    `a number of seconds from 0 to under ${HUBSPOT_TOKEN_LIFETIME_S} (12 hours)`,
  );
  let shared:
    | ((email: string, mint: () => Promise<StoredToken>) => Promise<StoredToken>)
    | undefined;
  if (store !== undefined) {
    if (
      typeof store !== 'object' ||
      store === null ||
      typeof store.get !== 'function' ||
      typeof store.set !== 'function'
    ) {
      throw new TypeError('hubspotTokenMinter: `store` must have `get` and `set` methods');
    }
    const secret = secretBytes(options.storeSecret);
    if (!secret || secret.length < 32) {
      throw new TypeError(
        'hubspotTokenMinter: `storeSecret` must be at least 32 bytes when `store` is given',
      );
    }
    if (typeof globalThis.crypto?.subtle?.deriveKey !== 'function') {
      throw new TypeError('hubspotTokenMinter: `store` needs WebCrypto (globalThis.crypto.subtle)');
    }
    shared = sharedTokens({
      store,
      secret,
      accessToken,
      marginMs: cacheMarginSeconds * 1000,
      claimMs: timeoutMs + 1000,
      onStoreError: options.onStoreError,
    });
  }
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const url = `${baseUrl.replace(/\/+$/, '')}${PATH}`;
  const where = `POST ${url}`;
  /**
   * email → token; Map order is age order. Keyed by the exact address: folding case would hand
   * kate@example.com's token to "\u212Aate@example.com" (Kelvin sign), which lower-cases to it.
   */
  const cache = new Map<string, StoredToken>();
  const inFlight = new Map<string, Promise<MintedToken>>();

  /**
   * One call to HubSpot. `timeoutMs` covers all of it, the answer's body included: a body that
   * stalls after the headers is a TIMEOUT too (the abort cancels it, and the race below does not
   * rely on `fetch` honouring the signal).
   */
  async function call(visitor: Visitor): Promise<StoredToken> {
    const controller = new AbortController();
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new HubSpotApiError('TIMEOUT', `HubSpot did not answer within ${timeoutMs} ms: ${where}`),
        );
        controller.abort();
        reader?.cancel().catch(() => {});
      }, timeoutMs);
    });
    try {
      return await Promise.race([
        exchange(visitor, controller.signal, (r) => (reader = r)),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function exchange(
    visitor: Visitor,
    signal: AbortSignal,
    reading: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
  ): Promise<StoredToken> {
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
        signal,
      });
    } catch (error) {
      throw signal.aborted
        ? new HubSpotApiError('TIMEOUT', `HubSpot did not answer within ${timeoutMs} ms: ${where}`)
        : new HubSpotApiError(
            'NETWORK',
            `HubSpot could not be reached (${String(error)}): ${where}`,
          );
    }
    if (!response.ok || signal.aborted) {
      // Not read: cancelled, so that the connection is not held by a body nobody wants.
      if (typeof response.body?.cancel === 'function') response.body.cancel().catch(() => {});
    }
    if (signal.aborted) {
      throw new HubSpotApiError(
        'TIMEOUT',
        `HubSpot did not answer within ${timeoutMs} ms: ${where}`,
      );
    }
    if (!response.ok) {
      const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
      throw new HubSpotApiError(
        codeFor(response.status),
        `HubSpot answered ${response.status}: ${where}`,
        {
          status: response.status,
          ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
        },
      );
    }
    // A body that fails or is not JSON is no token (after a timeout, the race has settled).
    let body: unknown;
    if (typeof response.body?.getReader === 'function') {
      const reader = response.body.getReader();
      reading(reader);
      body = await readText(reader, MAX_ANSWER_BYTES)
        .then((text) => (text === undefined ? null : JSON.parse(text)))
        .catch(() => null);
    } else {
      body = await Promise.resolve()
        .then(() => response.json()) // a hand-made stand-in for Response, in someone's tests
        .catch(() => null);
    }
    const token = (body as { token?: unknown } | null)?.token;
    if (typeof token !== 'string' || !token) {
      throw new HubSpotApiError('BAD_RESPONSE', `HubSpot answered without a token: ${where}`);
    }
    return { token, expiresAt: Date.now() + HUBSPOT_TOKEN_LIFETIME_S * 1000 };
  }

  const fresh = (entry: StoredToken | undefined, now: number) =>
    entry !== undefined && entry.expiresAt - now > cacheMarginSeconds * 1000;
  const answer = (entry: StoredToken, now: number): MintedToken => ({
    token: entry.token,
    expiresIn: Math.min(HUBSPOT_TOKEN_LIFETIME_S, Math.floor((entry.expiresAt - now) / 1000)),
  });

  return (visitor) => {
    const { email } = visitor;
    const now = Date.now();
    const cached = cache.get(email);
    if (cached && fresh(cached, now)) return Promise.resolve(answer(cached, now));
    const running = inFlight.get(email);
    if (running) return running;
    const minted = (shared ? shared(email, () => call(visitor)) : call(visitor))
      .then((entry) => {
        cache.delete(email);
        cache.set(email, entry);
        while (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
        return answer(entry, Date.now());
      })
      .finally(() => inFlight.delete(email));
    inFlight.set(email, minted);
    return minted;
  };
}
