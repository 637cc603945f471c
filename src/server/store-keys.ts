import type { StoredToken } from './store';

/**
 * What the store's secrets derive, per secret: the AES-GCM key that seals values and the HMAC
 * key that names them; internal. Both come from the secret through HKDF-SHA256 with different
 * `info`, so the names reveal nothing about the encryption key, and two deployments that share
 * a Redis but not a secret (staging and production) never read or overwrite each other's keys.
 */
export interface StoreKeys {
  seal(key: string, email: string, entry: StoredToken): Promise<string>;
  /** The token in `value`, or why it is not one (a miss, to report). */
  open(key: string, email: string, value: unknown): Promise<StoredToken | Error | undefined>;
  /** `hvc:` + 64 hex digits: HMAC-SHA256 of the access token's fingerprint and the email. */
  name(email: string): Promise<string>;
}

/** A stored value longer than this (in UTF-16 units) is not one of ours: a miss, never decoded. */
export const MAX_VALUE_CHARS = 4096;
/** The fewest distinct bytes a secret may have: below this it is a word or a pattern, not random. */
const MIN_DISTINCT_BYTES = 8;
/**
 * The fewest pieces (see {@link pieces}) a secret's first {@link PATTERN_SAMPLE_BYTES} may be cut
 * into: a repeated word (`'Summer2024!'.repeat(3)`: 12) or a run (`abcdef…`: 4) has few, 32
 * random bytes have about 32, `openssl rand -base64 48` about 64.
 */
const MIN_PIECES = 16;
/** Only the start of a secret is looked at for patterns: a long secret costs no more to check. */
const PATTERN_SAMPLE_BYTES = 256;
/** The shortest repeat {@link pieces} counts as one piece. */
const MIN_REPEAT = 3;
const MIN_SECRET_BYTES = 32;
const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = 'hubspot-visitor-chat/server token store';
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A value of the 64 base64url characters, and -1 for anything else (one table, one pass). */
const BASE64URL = (() => {
  const table = new Int16Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  let out = '';
  for (const byte of new Uint8Array(bytes)) out += byte.toString(16).padStart(2, '0');
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of `text` from `from` on, or undefined if it is not base64url; linear, no regex. */
function fromBase64Url(text: string, from: number): Uint8Array<ArrayBuffer> | undefined {
  const length = text.length - from;
  if (length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let bits = 0;
  let buffered = 0;
  let at = 0;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (BASE64URL[code] as number) : -1;
    if (value < 0) return undefined;
    bits = (bits << 6) | value;
    buffered += 6;
    if (buffered >= 8) {
      buffered -= 8;
      out[at++] = (bits >> buffered) & 0xff;
    }
  }
  return out;
}

/**
 * How many pieces a greedy LZ77 parse cuts `values` into: a stretch that repeats
 * {@link MIN_REPEAT} or more values seen earlier (overlapping allowed) is one piece, any other
 * value one piece of its own. A rough count of what is not predictable from what came before.
 */
function pieces(values: ArrayLike<number>): number {
  let count = 0;
  for (let at = 0; at < values.length; count++) {
    let longest = 0;
    for (let from = 0; from < at; from++) {
      let length = 0;
      while (at + length < values.length && values[from + length] === values[at + length]) length++;
      longest = Math.max(longest, length);
    }
    at += longest >= MIN_REPEAT ? longest : 1;
  }
  return count;
}

/**
 * Whether `bytes` is mostly a repeated pattern (`abcabc…`, a word said four times) or a run
 * (`abcdef…`, `0123…`): few pieces in the bytes, or in the steps between neighbouring bytes.
 */
function isPatterned(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, PATTERN_SAMPLE_BYTES);
  const steps = new Int16Array(Math.max(0, sample.length - 1));
  for (let i = 0; i < steps.length; i++)
    steps[i] = (sample[i + 1] as number) - (sample[i] as number);
  return pieces(sample) < MIN_PIECES || pieces(steps) < MIN_PIECES;
}

/**
 * The secrets as bytes, current first; throws a TypeError for one that is present but too short
 * or obviously not random. Missing ones are the caller's business (see hubspotTokenMinter).
 */
export function storeSecrets(secret: unknown): Uint8Array[] {
  const list = Array.isArray(secret) ? secret : [secret];
  if (list.length < 1 || list.length > 2) {
    throw new TypeError(
      'hubspotTokenMinter: `storeSecret` must be one secret, or [current, previous] while rotating',
    );
  }
  return list.map((one, i) => {
    const bytes = typeof one === 'string' ? utf8.encode(one) : one;
    const which = list.length > 1 ? `\`storeSecret[${i}]\`` : '`storeSecret`';
    if (!(bytes instanceof Uint8Array) || bytes.length < MIN_SECRET_BYTES) {
      throw new TypeError(
        `hubspotTokenMinter: ${which} must be at least ${MIN_SECRET_BYTES} bytes when \`store\` is given`,
      );
    }
    const distinct = new Set(bytes).size;
    if (distinct < MIN_DISTINCT_BYTES) {
      // The message never repeats the secret.
      throw new TypeError(
        `hubspotTokenMinter: ${which} has only ${distinct} distinct byte${distinct === 1 ? '' : 's'}: use a random secret (openssl rand -base64 48)`,
      );
    }
    if (isPatterned(bytes)) {
      throw new TypeError(
        `hubspotTokenMinter: ${which} is mostly a repeated pattern or a run (like abcabc… or abcdef…): use a random secret (openssl rand -base64 48)`,
      );
    }
    return new Uint8Array(bytes); // a copy the caller cannot change later
  });
}

/** One secret's keys. */
async function derive(secret: Uint8Array<ArrayBuffer>) {
  const subtle = globalThis.crypto.subtle;
  const material = await subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  const hkdf = (info: string) => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: utf8.encode(SALT),
    info: utf8.encode(info),
  });
  const [aes, names] = await Promise.all([
    subtle.deriveKey(hkdf('v1 aes-256-gcm'), material, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]),
    subtle.deriveKey(hkdf('v2 key names'), material, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]),
  ]);
  return { aes, names };
}

/** The keys of one secret, for one access token (whose fingerprint goes into every name). */
export async function storeKeys(secret: Uint8Array, accessToken: string): Promise<StoreKeys> {
  const subtle = globalThis.crypto.subtle;
  const { aes, names } = await derive(new Uint8Array(secret));
  const fingerprint = hex(await subtle.digest('SHA-256', utf8.encode(accessToken)));
  return {
    async name(email) {
      const mac = await subtle.sign('HMAC', names, utf8.encode(`${fingerprint}\n${email}`));
      return `hvc:${hex(mac)}`;
    },
    async seal(key, email, entry) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plain = utf8.encode(JSON.stringify({ e: email, t: entry.token, x: entry.expiresAt }));
      const sealed = new Uint8Array(
        await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8.encode(key) }, aes, plain),
      );
      const out = new Uint8Array(IV_BYTES + sealed.length);
      out.set(iv);
      out.set(sealed, IV_BYTES);
      return VERSION + toBase64Url(out);
    },
    async open(key, email, value) {
      // '' is what a store that reads with GETRANGE answers for a missing key (docs/backend.md).
      if (value === undefined || value === null || value === '') return undefined;
      // Checked before anything else looks at it: a planted 32 MB value costs one comparison. Its
      // true length is not said: a store that reads a range (GETRANGE) never had it.
      if (typeof value === 'string' && value.length > MAX_VALUE_CHARS) {
        return new Error(
          `hubspotTokenMinter: a token store value is over ${MAX_VALUE_CHARS} characters long: not one of ours; minting anew`,
        );
      }
      let entry: { e?: unknown; t?: unknown; x?: unknown } | null;
      try {
        if (typeof value !== 'string' || !value.startsWith(VERSION)) throw new TypeError('format');
        const bytes = fromBase64Url(value, VERSION.length);
        if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) throw new TypeError('not base64url');
        const plain = await subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: utf8.encode(key) },
          aes,
          bytes.subarray(IV_BYTES),
        );
        entry = JSON.parse(fromUtf8.decode(plain)) as typeof entry;
      } catch {
        return new Error(
          'hubspotTokenMinter: a token store value did not decrypt (tampered with, or written under another storeSecret); minting anew',
        );
      }
      const { e, t, x } = entry ?? {};
      if (e !== email || typeof t !== 'string' || !t || typeof x !== 'number') {
        return new Error(
          'hubspotTokenMinter: a token store value belongs to another email; ignored',
        );
      }
      return { token: t, expiresAt: x };
    },
  };
}
