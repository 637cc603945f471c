import { SignJWT } from 'jose';
import type { TokenMinter } from './visitor';

/** Options of {@link jwtTokenMinter}. */
export interface JwtTokenMinterOptions {
  /** The HS256 key, at least 32 bytes (a string is taken as UTF-8). */
  secret: string | Uint8Array;
  /** How long a token lives; default 43200 (12 hours, as HubSpot's). */
  ttlSeconds?: number;
}

/**
 * Mints HS256 JWTs (`sub` and `email` = the visitor's email, `iat`, `exp`) with jose: for the
 * offline demo and for setups that verify the token themselves. Not accepted by HubSpot.
 * Throws a TypeError at once if the secret is shorter than 32 bytes.
 *
 * @example
 * ```ts
 * const mint = jwtTokenMinter({ secret: process.env.CHAT_TOKEN_SECRET ?? '', ttlSeconds: 3600 });
 * ```
 */
export function jwtTokenMinter(options: JwtTokenMinterOptions): TokenMinter {
  const key =
    typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (!(key instanceof Uint8Array) || key.length < 32) {
    throw new TypeError('jwtTokenMinter: `secret` must be at least 32 bytes');
  }
  const ttlSeconds = options.ttlSeconds ?? 43_200;
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds > 0)) {
    throw new TypeError('jwtTokenMinter: `ttlSeconds` must be a positive whole number');
  }
  return async (visitor) => {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, string> = { email: visitor.email };
    if (visitor.firstName) claims.firstName = visitor.firstName;
    if (visitor.lastName) claims.lastName = visitor.lastName;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(visitor.email)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(key);
    return { token, expiresIn: ttlSeconds };
  };
}
