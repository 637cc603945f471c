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
  const exp = jwtExp(token);
  // Not a JWT, or one without a usable `exp`: HubSpot documents the token as opaque.
  return exp === undefined ? now + HUBSPOT_TOKEN_LIFETIME_MS : exp * 1000;
}

/**
 * The `exp` claim (epoch seconds) of a compact JWS `header.payload.signature`, read, not verified;
 * `undefined` when the payload is not base64url-encoded UTF-8 JSON or `exp` is not a finite number.
 * Written out rather than jose's `decodeJwt`, which cost every visitor ~700 B min+gzip (docs/performance.md).
 */
function jwtExp(token: string): number | undefined {
  const { 1: payload, length } = token.split('.');
  if (length !== 3 || !payload) return undefined;
  try {
    // atob takes base64 with or without `=` padding, and base64url only swaps its `+/` for `-_`.
    // (Unlike jose, a payload in plain base64's `+/` is read too: harmless, and 10 B smaller.)
    const bytes = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(bytes, (c) => c.charCodeAt(0)),
    );
    const { exp } = JSON.parse(json);
    return Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined; // not base64, not UTF-8, not JSON, or `null`
  }
}

/**
 * How long to wait before refreshing a token that expires at `expiresAt`: `marginMs` before expiry,
 * or half the remaining lifetime when that is shorter than the margin (docs/decisions.md §7).
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
