import { SignJWT } from 'jose';
import { isMissing, MissingSecretError } from './shared';
import type { TokenMinter } from './visitor';

/** HubSpot's own token lifetime, the longest a stand-in token may live — docs/hubspot.md §5. */
const MAX_TTL_SECONDS = 43_200;

/** Options of {@link jwtTokenMinter}. */
export interface JwtTokenMinterOptions {
  /**
   * The HS256 key, at least 32 bytes (a string is taken as UTF-8).
   *
   * @example
   * ```ts
   * jwtTokenMinter({ secret: process.env.CHAT_TOKEN_SECRET ?? '' }); // openssl rand -base64 48
   * ```
   */
  secret: string | Uint8Array;
  /**
   * How long a token lives, in whole seconds from 1 to 43200 (12 hours, HubSpot's own lifetime,
   * also the default); more throws a `TypeError`.
   *
   * @example
   * ```ts
   * jwtTokenMinter({ secret, ttlSeconds: 3600 });
   * ```
   */
  ttlSeconds?: number | undefined;
  /**
   * The `iss` claim; none by default.
   *
   * @example
   * ```ts
   * jwtTokenMinter({ secret, issuer: 'https://shop.example.com' });
   * ```
   */
  issuer?: string | undefined;
  /**
   * The `aud` claim; none by default.
   *
   * @example
   * ```ts
   * jwtTokenMinter({ secret, audience: 'chat-widget' });
   * ```
   */
  audience?: string | string[] | undefined;
  /**
   * Put the visitor's `firstName` and `lastName` in the token; default `false`, so that a token
   * (readable by anyone who holds it) carries no more personal data than the email.
   *
   * @example
   * ```ts
   * jwtTokenMinter({ secret, includeNames: true });
   * ```
   */
  includeNames?: boolean | undefined;
}

/**
 * Mints HS256 JWTs (`sub` and `email` = the visitor's email, `iat`, `exp`, and `iss`/`aud` when
 * set) with jose: for the offline demo and for setups that verify the token themselves. Not
 * accepted by HubSpot. Throws a TypeError at once if the secret is shorter than 32 bytes or
 * `ttlSeconds` is not a whole number from 1 to 43200. A missing secret (`undefined` or `''`, a
 * build without runtime secrets) throws nothing here: each call rejects, and
 * {@link createTokenHandler} answers 500 and tells `onError`.
 *
 * @example
 * ```ts
 * const mint = jwtTokenMinter({ secret: process.env.CHAT_TOKEN_SECRET ?? '', ttlSeconds: 3600 });
 * const { token, expiresIn } = await mint({ email: 'alice@example.com' });
 * ```
 */
export function jwtTokenMinter(options: JwtTokenMinterOptions): TokenMinter {
  if (isMissing(options.secret)) {
    // A build without runtime secrets (next build): nothing throws at setup, each call does.
    const missing = new MissingSecretError(
      'jwtTokenMinter: `secret` was missing when the minter was created (CHAT_TOKEN_SECRET unset at runtime?); no token can be minted',
    );
    return () => Promise.reject(missing);
  }
  const key =
    typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (!(key instanceof Uint8Array) || key.length < 32) {
    throw new TypeError('jwtTokenMinter: `secret` must be at least 32 bytes');
  }
  const ttlSeconds = options.ttlSeconds ?? MAX_TTL_SECONDS;
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds > 0 && ttlSeconds <= MAX_TTL_SECONDS)) {
    throw new TypeError(
      `jwtTokenMinter: \`ttlSeconds\` must be a whole number from 1 to ${MAX_TTL_SECONDS} (12 hours, HubSpot's own lifetime)`,
    );
  }
  const { issuer, audience, includeNames = false } = options;
  return async (visitor) => {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, string> = { email: visitor.email };
    if (includeNames && visitor.firstName) claims.firstName = visitor.firstName;
    if (includeNames && visitor.lastName) claims.lastName = visitor.lastName;
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(visitor.email)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds);
    if (issuer !== undefined) jwt.setIssuer(issuer);
    if (audience !== undefined) jwt.setAudience(audience);
    return { token: await jwt.sign(key), expiresIn: ttlSeconds };
  };
}
