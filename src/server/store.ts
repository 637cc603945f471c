import { tell } from './shared';
import { claimHolder, takeClaim, waitForToken } from './store-claim';
import { type Admission, guardStore } from './store-guard';
import { MAX_VALUE_CHARS, type StoreKeys, storeKeys } from './store-keys';

/**
 * Where {@link hubspotTokenMinter} shares minted tokens between instances (several pods,
 * serverless cold starts): any object with `get`, `set` and optionally `delete`, each synchronous
 * or returning a Promise. A [Keyv](https://keyv.org) instance (5.x) fits as it is; other clients
 * need a three-line adapter (see docs/backend.md). Keys look like `hvc:<64 hex digits>` (plus
 * `:lock` for the short-lived claim of the instance that is minting); values are opaque strings
 * of at most a few KiB. A value over 4096 characters is not ours: a miss, never decoded. A store
 * that can read part of a value should read no more than that, so that a large value planted
 * under a key costs nothing (Redis: `GETRANGE key 0 4096`, see docs/backend.md).
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
  /**
   * The value stored under `key`; `undefined`, `null` or `''` when there is none (Redis's
   * `GETRANGE` answers `''` for a missing key). For a longer value it may answer only the first
   * 4097 characters: that is enough to know the value is not ours.
   */
  get(key: string): Promise<unknown> | unknown;
  /** Stores `value` under `key` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<unknown> | unknown;
  /**
   * Removes `key`. Used to release the short claim an instance holds while it mints, once `get`
   * shows the claim is still that instance's own; without `delete`, the claim is overwritten with
   * an empty value that lives 1 ms.
   */
  delete?: ((key: string) => Promise<unknown> | unknown) | undefined;
}

/** A token and when it expires (epoch ms); internal. */
export interface StoredToken {
  token: string;
  expiresAt: number;
}

/** What {@link sharedTokens} needs; checked by {@link hubspotTokenMinter}; internal. */
export interface SharedTokensOptions {
  store: TokenStore;
  /**
   * At least 32 bytes each, current first: values are sealed with the first and opened with the
   * secret whose key name they were found under (a rotation reads the previous secret's entries).
   */
  secrets: Uint8Array[];
  /** Only its SHA-256 fingerprint is used, so that two HubSpot accounts never share keys. */
  accessToken: string;
  /** An entry is a miss once its token has this little left. */
  marginMs: number;
  onStoreError?: ((error: unknown) => void) | undefined;
}

/** Where one secret names and seals an email's entry. */
interface Slot {
  keys: StoreKeys;
  key: string;
}

/**
 * Shares tokens through `options.store`, encrypted (AES-256-GCM under a key derived with
 * HKDF-SHA256 from the secret, with the storage key as associated data) under key names that are
 * an HMAC under a second key derived from the secret. Concurrent instances take turns for one
 * email (store-claim.ts): one mints while the others wait at most 1 s of real time. Any store
 * failure (thrown, or slower than 250 ms of loop-free time) is reported to `onStoreError`, the
 * request goes on without the store, and the store is left alone for a short cool-down
 * (store-guard.ts).
 *
 * @returns a function that resolves the email's token from the store or from `mint`; it only
 * rejects with `mint`'s own errors.
 */
export function sharedTokens(
  options: SharedTokensOptions,
): (email: string, mint: () => Promise<StoredToken>) => Promise<StoredToken> {
  const { marginMs } = options;
  const report = (error: unknown) => tell(options.onStoreError, error);
  const guard = guardStore(options.store, report);
  const keyring = Promise.all(
    options.secrets.map((secret) => storeKeys(secret, options.accessToken)),
  );
  keyring.catch(() => {}); // reported at first use, where it is awaited again

  /** The token in `value` if it opens, is the email's, and lives beyond the margin. */
  const openIn = async (slot: Slot, email: string, value: unknown) => {
    const opened = await slot.keys.open(slot.key, email, value);
    if (opened instanceof Error) {
      report(opened);
      return undefined;
    }
    return opened && opened.expiresAt - Date.now() > marginMs ? opened : undefined;
  };

  /** Writes the minted token under the current secret's key; a token too long to share is not. */
  const keep = async (access: Admission, slot: Slot, email: string, minted: StoredToken) => {
    const ttlMs = minted.expiresAt - marginMs - Date.now();
    if (ttlMs <= 0) return;
    const value = await slot.keys.seal(slot.key, email, minted);
    if (value.length > MAX_VALUE_CHARS) return; // would be a miss for everyone
    await access.op('set', (store) => store.set(slot.key, value, ttlMs));
  };

  return async (email, mint) => {
    let slots: Slot[];
    try {
      const keys = await keyring;
      const names = await Promise.all(keys.map((one) => one.name(email)));
      slots = keys.map((one, i) => ({ keys: one, key: names[i] as string }));
    } catch (error) {
      report(error);
      return mint();
    }
    const access = guard.admit();
    if (!access) return mint(); // cooling down after a failure, or another request is probing
    const [current, previous] = slots as [Slot, Slot | undefined];
    const claimKey = `${current.key}:lock`;

    const [value, holder, old] = await Promise.all([
      access.op('get', (store) => store.get(current.key)),
      access.op('get', (store) => store.get(claimKey)),
      previous ? access.op('get', (store) => store.get(previous.key)) : undefined,
    ]);
    if (access.failed) return mint();
    const found =
      (await openIn(current, email, value)) ??
      (previous ? await openIn(previous, email, old) : undefined);
    if (found) return found;

    const outcome: Awaited<ReturnType<typeof takeClaim>> = claimHolder(holder)
      ? { kind: 'theirs', id: holder as string }
      : await takeClaim(access, claimKey);
    if (outcome.kind === 'failed') return mint();
    if (outcome.kind === 'theirs') {
      const theirs = await waitForToken(access, current.key, claimKey, outcome.id, (later) =>
        openIn(current, email, later),
      );
      if (theirs) return theirs;
      // The winner failed, its claim lapsed, or it took too long: mint without claiming.
      const minted = await mint();
      await keep(access, current, email, minted);
      return minted;
    }
    let minted: StoredToken;
    try {
      minted = await mint();
    } catch (error) {
      await outcome.claim.release();
      throw error;
    }
    await keep(access, current, email, minted);
    // Even when that write failed: the others then stop waiting for a token that is not coming.
    await outcome.claim.release();
    return minted;
  };
}
