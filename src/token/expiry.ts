import { decodeJwt } from 'jose';

/** HubSpot's documented token lifetime, used when nothing else says when a token expires. */
export const HUBSPOT_TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * When `token` expires, in epoch ms: `expiresAt`, else `expiresIn` seconds from `now`, else the JWT's
 * `exp` claim (decoded, not verified: the browser cannot verify it), else 12 hours from `now`.
 */
export function tokenExpiry(
  token: string,
  expiresAt: number | undefined,
  expiresIn: number | undefined,
  now: number,
): number {
  if (expiresAt !== undefined) return expiresAt;
  if (expiresIn !== undefined) return now + expiresIn * 1000;
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number') return exp * 1000;
  } catch {
    // Not a JWT: HubSpot documents the token as opaque.
  }
  return now + HUBSPOT_TOKEN_LIFETIME_MS;
}

/**
 * How long to wait before refreshing a token that expires at `expiresAt`: `marginMs` before expiry,
 * or half the remaining lifetime when that is shorter than the margin (decisions.md §7).
 */
export function refreshDelay(expiresAt: number, now: number, marginMs: number): number {
  const remaining = expiresAt - now;
  if (remaining <= 0) return 0;
  // Never busy-loop: failed refreshes halve the wait, but not below a second (or what is left).
  return Math.max(
    remaining > marginMs ? remaining - marginMs : remaining / 2,
    Math.min(1000, remaining),
  );
}
