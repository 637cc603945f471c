import { hubspotBackoff } from './hubspot-backoff';
import { HUBSPOT_TOKEN_LIFETIME_S, hubspotCall } from './hubspot-call';
import { isMissing, MissingSecretError } from './shared';
import { type StoredToken, sharedTokens, type TokenStore } from './store';
import { storeSecrets } from './store-keys';
import { tokenCache } from './token-cache';
import type { MintedToken, TokenMinter } from './visitor';

/** Options of {@link hubspotTokenMinter}. */
export interface HubSpotTokenMinterOptions {
  /**
   * A private-app or OAuth access token with `conversations.visitor_identification.tokens.create`.
   * When it is missing (`undefined` or `''`: a build without runtime secrets) nothing throws here;
   * every call rejects instead, and {@link createTokenHandler} answers 500 and tells `onError`
   * why. One that holds a line break or a NUL throws a `TypeError` at once (never quoting it).
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' });
   * ```
   */
  accessToken: string;
  /**
   * HubSpot's API origin; default `https://api.hubapi.com`. An `https:` URL (`http:` only for
   * localhost and 127.0.0.1, a local fake), without credentials, query or fragment; anything else
   * throws a `TypeError` at setup. Redirects are never followed.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, baseUrl: 'http://127.0.0.1:4010' }); // a local fake in tests
   * ```
   */
  baseUrl?: string | undefined;
  /**
   * Milliseconds one call to HubSpot may take, reading its answer included; default 10000. From 1
   * to 2147483647 (a timer's limit); anything else throws a `TypeError` at setup.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, timeoutMs: 5000 });
   * ```
   */
  timeoutMs?: number | undefined;
  /**
   * Tokens kept in this process, one per email, at most; default 1000 (the least recently used
   * goes first). A
   * positive integer; anything else (`NaN` from an unset environment variable) throws a `TypeError`.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, cacheSize: 10_000 });
   * ```
   */
  cacheSize?: number | undefined;
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
  cacheMarginSeconds?: number | undefined;
  /**
   * The fetch to use; default the global one.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, fetch: (input, init) => tracedFetch('hubspot', input, init) });
   * ```
   */
  fetch?: typeof fetch | undefined;
  /**
   * Shares tokens between instances (several pods, serverless): looked up after this process's own
   * cache and before HubSpot. Any object with `get`, `set` and optionally `delete`; a `Keyv` fits
   * as it is. Requires `storeSecret`. Keys never hold the email in clear, values are encrypted.
   * A store that throws or takes longer than 250 ms is skipped and reported to `onStoreError`,
   * then left alone for 2 s before one request tries it again. Another instance minting the
   * same email is waited for at most 1 s of real time; then this one mints too.
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
  store?: TokenStore | undefined;
  /**
   * The secret the store's keys are derived from (the AES-GCM key that seals values, the HMAC key
   * that names them): at least 32 random bytes (a string counts as UTF-8), the same on every
   * instance. Required with `store`: a leaked store must not let anyone chat as any visitor. A
   * short one, one with few distinct bytes (`'x'.repeat(40)`), or one that is mostly a repeated
   * pattern or a run (`'Summer2024!'.repeat(3)`, `'abcdefghijklmnopqrstuvwxyz012345'`) throws a
   * `TypeError` that asks for a random one; a missing one (an unset environment variable) fails
   * each request instead, as for `accessToken`. To rotate it without a cold store, pass
   * `[current, previous]`: entries are written under the first, and those of the second are still
   * read until they expire. A missing `previous` is left out; a missing `current` beside a
   * present `previous` fails each request (never written under the previous secret alone).
   *
   * @example
   * ```ts
   * // openssl rand -base64 48
   * hubspotTokenMinter({ accessToken, store, storeSecret: process.env.TOKEN_STORE_SECRET ?? '' });
   * // while rotating:
   * hubspotTokenMinter({ accessToken, store, storeSecret: [newSecret, oldSecret] });
   * ```
   */
  storeSecret?: string | Uint8Array | [string | Uint8Array, string | Uint8Array] | undefined;
  /**
   * Told when the store failed, was slower than 250 ms, or held a value that did not decrypt or
   * was too large (over 4 KiB: never decoded); the token is minted anyway. Never given a token. It may be async: a throw or a rejected promise is
   * ignored, never a crash.
   *
   * @example
   * ```ts
   * hubspotTokenMinter({ accessToken, store, storeSecret, onStoreError: (error) => logger.warn(error) });
   * ```
   */
  onStoreError?: ((error: unknown) => void) | undefined;
}

/** setTimeout fires at once for anything longer. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

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

/** Whether `baseUrl` is somewhere the access token may be sent. */
function isApiOrigin(baseUrl: unknown): boolean {
  if (typeof baseUrl !== 'string') return false;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
  return secure && !url.username && !url.password && !url.search && !url.hash;
}

/** Checks the options' numbers and URL; throws a TypeError naming the first bad one. */
function checkOptions(
  options: Required<
    Pick<HubSpotTokenMinterOptions, 'baseUrl' | 'timeoutMs' | 'cacheSize' | 'cacheMarginSeconds'>
  >,
): void {
  const { baseUrl, timeoutMs, cacheSize, cacheMarginSeconds } = options;
  check(
    isApiOrigin(baseUrl),
    'baseUrl',
    baseUrl,
    'an https: URL (http: only for localhost) without credentials, query or fragment',
  );
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
}

/** A present access token that cannot go into a header throws; its value is never shown. */
function checkAccessToken(accessToken: unknown): void {
  if (isMissing(accessToken)) return;
  if (typeof accessToken !== 'string') {
    throw new TypeError('hubspotTokenMinter: `accessToken` must be a string');
  }
  if (/[\r\n\0]/.test(accessToken)) {
    throw new TypeError(
      'hubspotTokenMinter: `accessToken` contains a line break or a NUL (a trailing newline from a secrets file?); its value is not shown',
    );
  }
}

/** `storeSecret` as a list, current first, missing entries included. */
function secretList(secret: HubSpotTokenMinterOptions['storeSecret']): unknown[] {
  return Array.isArray(secret) ? secret : [secret];
}

/** `storeSecret` as a list without its missing entries (`[current, process.env.OLD ?? '']`). */
function presentSecrets(secret: HubSpotTokenMinterOptions['storeSecret']): unknown[] {
  return secretList(secret).filter((one) => !isMissing(one));
}

/** The store's part, checked; a missing secret is reported by the first request instead. */
function sharing(
  options: HubSpotTokenMinterOptions,
  accessToken: string,
): ((email: string, mint: () => Promise<StoredToken>) => Promise<StoredToken>) | undefined {
  const { store } = options;
  if (store === undefined) return undefined;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function'
  ) {
    throw new TypeError('hubspotTokenMinter: `store` must have `get` and `set` methods');
  }
  const given = presentSecrets(options.storeSecret);
  if (given.length === 0) return undefined;
  // Checked even while the access token is missing: a malformed secret fails the build, not a request.
  const secrets = storeSecrets(given);
  // The current one missing: never write under the previous one (missingSecret says why).
  if (isMissing(accessToken) || isMissing(secretList(options.storeSecret)[0])) return undefined;
  if (typeof globalThis.crypto?.subtle?.deriveKey !== 'function') {
    throw new TypeError('hubspotTokenMinter: `store` needs WebCrypto (globalThis.crypto.subtle)');
  }
  return sharedTokens({
    store,
    secrets,
    accessToken,
    marginMs: (options.cacheMarginSeconds ?? 3600) * 1000,
    onStoreError: options.onStoreError,
  });
}

/** Why every request fails, when a secret was missing at setup; undefined when none was. */
function missingSecret(options: HubSpotTokenMinterOptions): MissingSecretError | undefined {
  if (isMissing(options.accessToken)) {
    return new MissingSecretError(
      'hubspotTokenMinter: `accessToken` was missing when the minter was created (HUBSPOT_ACCESS_TOKEN unset at runtime?); no token can be minted',
    );
  }
  if (options.store !== undefined && presentSecrets(options.storeSecret).length === 0) {
    return new MissingSecretError(
      'hubspotTokenMinter: `storeSecret` was missing when the minter was created (TOKEN_STORE_SECRET unset at runtime?); it is required with `store`',
    );
  }
  if (options.store !== undefined && isMissing(secretList(options.storeSecret)[0])) {
    // Writing under the previous secret would undo the rotation on the instances that have it.
    return new MissingSecretError(
      'hubspotTokenMinter: `storeSecret[0]`, the current secret, was missing when the minter was created while `storeSecret[1]`, the previous one, is set (the new secret unset at runtime?); refusing to use the previous secret alone',
    );
  }
  return undefined;
}

/**
 * Mints tokens with HubSpot's Visitor Identification API. Tokens are reusable for 12 hours, so
 * each email's token is cached (bounded, least recently used out, in memory, keyed by the exact
 * address) until `cacheMarginSeconds` before it expires, and concurrent requests for one email
 * share one call: a burst of page loads makes one request. With `store`, instances share their
 * tokens too: the process cache first, then the store, then HubSpot. After a 429 (or a 503 with
 * `Retry-After`), no new visitor goes to HubSpot until its `Retry-After` has passed. Throws
 * {@link HubSpotApiError}. Creating it never throws for a missing secret (a build without
 * runtime secrets): each call rejects instead.
 *
 * @example
 * ```ts
 * const mint = hubspotTokenMinter({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' });
 * const { token, expiresIn } = await mint({ email: 'alice@example.com' });
 * ```
 */
export function hubspotTokenMinter(options: HubSpotTokenMinterOptions): TokenMinter {
  const {
    baseUrl = 'https://api.hubapi.com',
    timeoutMs = 10_000,
    cacheSize = 1000,
    cacheMarginSeconds = 3600,
  } = options;
  checkAccessToken(options.accessToken);
  checkOptions({ baseUrl, timeoutMs, cacheSize, cacheMarginSeconds });
  const accessToken = isMissing(options.accessToken) ? '' : options.accessToken;
  const shared = sharing(options, accessToken);
  const missing = missingSecret(options);
  if (missing) return () => Promise.reject(missing);

  const call = hubspotCall({
    accessToken,
    baseUrl,
    timeoutMs,
    fetch: options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args)),
  });
  const backoff = hubspotBackoff();
  const cache = tokenCache(cacheSize);
  const inFlight = new Map<string, Promise<MintedToken>>();

  const fresh = (entry: StoredToken | undefined, now: number): entry is StoredToken =>
    entry !== undefined && entry.expiresAt - now > cacheMarginSeconds * 1000;
  const answer = (entry: StoredToken, now: number): MintedToken => ({
    token: entry.token,
    expiresIn: Math.min(HUBSPOT_TOKEN_LIFETIME_S, Math.floor((entry.expiresAt - now) / 1000)),
  });

  return (visitor) => {
    const { email } = visitor;
    const now = Date.now();
    const cached = cache.get(email);
    if (fresh(cached, now)) return Promise.resolve(answer(cached, now));
    const running = inFlight.get(email);
    if (running) return running;
    const mint = () => backoff.run(() => call(visitor));
    const minted = (shared ? shared(email, mint) : mint())
      .then((entry) => {
        cache.set(email, entry);
        return answer(entry, Date.now());
      })
      .finally(() => inFlight.delete(email));
    inFlight.set(email, minted);
    return minted;
  };
}
