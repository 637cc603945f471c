import { tell } from './shared';

/**
 * Where {@link hubspotTokenMinter} shares minted tokens between instances (several pods,
 * serverless cold starts): any object with `get`, `set` and optionally `delete`, each synchronous
 * or returning a Promise. A [Keyv](https://keyv.org) instance (5.x) fits as it is; other clients
 * need a three-line adapter (see docs/backend.md). Keys look like `hvc:<64 hex digits>` (plus
 * `:lock` for the short-lived claim of the instance that is minting); values are opaque strings.
 *
 * @example
 * ```ts
 * import Keyv from 'keyv';
 * import KeyvRedis from '@keyv/redis';
 * const store: TokenStore = new Keyv(new KeyvRedis('redis://127.0.0.1:6379'));
 * // or an adapter over any client:
 * const map = new Map<string, string>();
 * const inMemory: TokenStore = { get: (key) => map.get(key), set: (key, value) => void map.set(key, value) };
 * ```
 */
export interface TokenStore {
  /** The value stored under `key`; `undefined` or `null` when there is none. */
  get(key: string): Promise<unknown> | unknown;
  /** Stores `value` under `key` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<unknown> | unknown;
  /**
   * Removes `key`. Used to release the short claim an instance holds while it mints, once `get`
   * shows the claim is still that instance's own; without `delete`, the claim is overwritten with
   * an empty value that lives 1 ms.
   */
  delete?(key: string): Promise<unknown> | unknown;
}

/** A token and when it expires (epoch ms); internal. */
export interface StoredToken {
  token: string;
  expiresAt: number;
}

/** What {@link sharedTokens} needs; checked by {@link hubspotTokenMinter}; internal. */
export interface SharedTokensOptions {
  store: TokenStore;
  /** At least 32 bytes; the AES-GCM key is derived from it. */
  secret: Uint8Array;
  /** Only its SHA-256 fingerprint is used, so that two HubSpot accounts never share keys. */
  accessToken: string;
  /** An entry is a miss once its token has this little left. */
  marginMs: number;
  /** How long an instance's claim to mint lasts (HubSpot's timeout plus slack). */
  claimMs: number;
  onStoreError?: ((error: unknown) => void) | undefined;
}

/** A store that throws or takes longer than this is skipped for the rest of the request. */
const STORE_TIMEOUT_MS = 250;
/** How long a claim must stand before its writer trusts it (other instances' writes land). */
const SETTLE_MS = 50;
/** How often an instance that lost the claim looks for the winner's token. */
const POLL_MS = 50;
const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function hex(bytes: ArrayBuffer | Uint8Array): string {
  let out = '';
  for (const byte of new Uint8Array(bytes)) out += byte.toString(16).padStart(2, '0');
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TypeError('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Resolves what `run` resolves; rejects when it throws, rejects, or takes longer than the limit. */
function bounded(what: string, run: () => unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `hubspotTokenMinter: the token store's ${what} took longer than ${STORE_TIMEOUT_MS} ms; skipped`,
          ),
        ),
      STORE_TIMEOUT_MS,
    );
    // A late answer or failure after the timeout lands here and is dropped: never unhandled.
    Promise.resolve()
      .then(run)
      .then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
  });
}

/**
 * Shares tokens through `options.store`, encrypted (AES-256-GCM under a key derived with
 * HKDF-SHA256 from the secret, with the storage key as associated data), and keeps concurrent
 * instances from minting the same email twice: the first to find nothing writes a short claim,
 * waits {@link SETTLE_MS} for competing claims to land, and whoever's claim stands mints while the
 * others poll for its token. The winner releases its claim when it is done, whatever happened
 * (its HubSpot call or its token write failed), and only if the claim is still its own.
 * `get`/`set`/`delete` are not atomic, so this is best-effort: at worst each instance mints once.
 * Any store failure (thrown, or slower than {@link STORE_TIMEOUT_MS}) is reported to
 * `onStoreError` and the request goes on without the store, but for releasing its claim in the
 * background.
 *
 * @returns a function that resolves the email's token from the store or from `mint`; it only
 * rejects with `mint`'s own errors.
 */
export function sharedTokens(
  options: SharedTokensOptions,
): (email: string, mint: () => Promise<StoredToken>) => Promise<StoredToken> {
  const { store, marginMs, claimMs } = options;
  const subtle = globalThis.crypto.subtle;
  const report = (error: unknown) => tell(options.onStoreError, error);
  const keys = (async () => {
    const secret = new Uint8Array(options.secret); // a copy the caller cannot change later
    const material = await subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
    const aes = await subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: utf8.encode('hubspot-visitor-chat/server token store'),
        info: utf8.encode('v1 aes-256-gcm'),
      },
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
    const fingerprint = hex(await subtle.digest('SHA-256', utf8.encode(options.accessToken)));
    return { aes, fingerprint };
  })();
  keys.catch(() => {}); // reported at first use, where it is awaited again

  async function seal(aes: CryptoKey, key: string, email: string, entry: StoredToken) {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const plain = utf8.encode(JSON.stringify({ e: email, t: entry.token, x: entry.expiresAt }));
    const sealed = new Uint8Array(
      await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8.encode(key) }, aes, plain),
    );
    const out = new Uint8Array(IV_BYTES + sealed.length);
    out.set(iv);
    out.set(sealed, IV_BYTES);
    return VERSION + toBase64Url(out);
  }

  /** The entry in `value`, if it decrypts, is the email's, and lives beyond the margin. */
  async function open(aes: CryptoKey, key: string, email: string, value: unknown) {
    if (value === undefined || value === null) return undefined;
    let entry: { e?: unknown; t?: unknown; x?: unknown };
    try {
      if (typeof value !== 'string' || !value.startsWith(VERSION)) throw new TypeError('format');
      const bytes = fromBase64Url(value.slice(VERSION.length));
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new TypeError('too short');
      const plain = await subtle.decrypt(
        { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: utf8.encode(key) },
        aes,
        bytes.subarray(IV_BYTES),
      );
      entry = JSON.parse(fromUtf8.decode(plain)) as typeof entry;
    } catch {
      report(
        new Error(
          'hubspotTokenMinter: a token store value did not decrypt (tampered with, or written under another storeSecret); minting anew',
        ),
      );
      return undefined;
    }
    const { e, t, x } = entry ?? {};
    if (e !== email || typeof t !== 'string' || !t || typeof x !== 'number') {
      report(
        new Error('hubspotTokenMinter: a token store value belongs to another email; ignored'),
      );
      return undefined;
    }
    return x - Date.now() > marginMs ? { token: t, expiresAt: x } : undefined;
  }

  return async (email, mint) => {
    // Every store call goes through `op`: after the first failure the store is left alone for the
    // rest of this request, so a dead store costs at most one STORE_TIMEOUT_MS.
    let failed = false;
    const op = async (what: string, run: () => unknown): Promise<unknown> => {
      if (failed) return undefined;
      try {
        return await bounded(what, run);
      } catch (error) {
        if (!failed) report(error); // once per request: two reads in parallel fail together
        failed = true;
        return undefined;
      }
    };
    let aes: CryptoKey;
    let key: string;
    try {
      const derived = await keys;
      aes = derived.aes;
      key = `hvc:${hex(await subtle.digest('SHA-256', utf8.encode(`${derived.fingerprint}\n${email}`)))}`;
    } catch (error) {
      report(error);
      return mint();
    }
    const claimKey = `${key}:lock`;
    const isClaim = (value: unknown): value is string => typeof value === 'string' && value !== '';

    const [value, holder] = await Promise.all([
      op('get', () => store.get(key)),
      op('get', () => store.get(claimKey)),
    ]);
    if (failed) return mint();
    const found = await open(aes, key, email, value);
    if (found) return found;

    let mine = false;
    /** The claim this instance wrote and may still hold: released once it is done, whatever happened. */
    let ours: string | undefined;
    /**
     * Removes our claim, if `get` shows it is still ours (another instance's, written after ours
     * expired, stays). Left to run in the background once the store has failed in this request,
     * so that a dead store adds no second wait; never rejects. Not atomic: a claim can expire and
     * be replaced between the `get` and the `delete`, and then another instance's claim goes, which
     * costs at most one more HubSpot call (never a wrong token).
     */
    const release = (): Promise<void> => {
      const id = ours;
      ours = undefined;
      if (id === undefined) return Promise.resolve();
      const releasing = (async () => {
        try {
          if ((await bounded('get', () => store.get(claimKey))) !== id) return;
          const remove = store.delete;
          await bounded('delete', () =>
            remove ? remove.call(store, claimKey) : store.set(claimKey, '', 1),
          );
        } catch (error) {
          if (!failed) report(error);
          failed = true;
        }
      })();
      return failed ? Promise.resolve() : releasing;
    };

    let claim = isClaim(holder) ? holder : undefined;
    if (!claim) {
      const id = hex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
      ours = id; // even if the write seems to fail: a slow store may still take it
      await op('set', () => store.set(claimKey, id, claimMs));
      await sleep(SETTLE_MS);
      const standing = await op('get', () => store.get(claimKey));
      if (failed) {
        // Not waited for: the store failed us, so others must not wait for our claim either.
        void release();
        return mint();
      }
      mine = standing === id || !isClaim(standing); // a store that kept nothing: ours
      if (!mine) ours = undefined; // another instance's claim replaced ours
      claim = mine ? id : (standing as string);
    }
    if (!mine) {
      for (const deadline = Date.now() + claimMs; Date.now() < deadline; ) {
        await sleep(POLL_MS);
        const [later, still] = await Promise.all([
          op('get', () => store.get(key)),
          op('get', () => store.get(claimKey)),
        ]);
        if (failed) break;
        const theirs = await open(aes, key, email, later);
        if (theirs) return theirs;
        if (still !== claim) break; // the winner gave up, or its claim expired
      }
    }
    let minted: StoredToken;
    try {
      minted = await mint();
    } catch (error) {
      await release();
      throw error;
    }
    const ttlMs = minted.expiresAt - marginMs - Date.now();
    if (ttlMs > 0) {
      await op('set', async () => store.set(key, await seal(aes, key, email, minted), ttlMs));
    }
    // Even when that write failed: the others then stop waiting for a token that is not coming.
    await release();
    return minted;
  };
}
