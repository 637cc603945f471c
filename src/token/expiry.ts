/** HubSpot's documented token lifetime: the longest the SDK keeps a token (issue 19.12). */
export const HUBSPOT_TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * When `token` expires, in epoch ms: `expiresAt`, else `expiresIn` seconds from `now`, else the JWT's
 * `exp` claim (decoded, not verified: the browser cannot verify it); never later than 12 hours from
 * `now`, HubSpot's lifetime, which is also the expiry when nothing says (issue 19.12).
 */
export function tokenExpiry(
  token: string,
  expiresAt: number | undefined,
  expiresIn: number | undefined,
  now: number,
): number {
  const latest = now + HUBSPOT_TOKEN_LIFETIME_MS;
  // Not a JWT, or one without a usable `exp`: HubSpot documents the token as opaque.
  const said = expiresAt ?? (expiresIn === undefined ? jwtExp(token) : now + expiresIn * 1000);
  return Math.min(latest, said ?? latest);
}

/**
 * The `exp` claim, in epoch ms, of a compact JWS `header.payload.signature`, read, not verified;
 * `undefined` when the payload is not base64url-encoded UTF-8 JSON or `exp` is not a finite number.
 * Written out rather than jose's `decodeJwt`, which cost every visitor ~700 B min+gzip (docs/performance.md).
 */
function jwtExp(token: string): number | undefined {
  const { 1: payload, length } = token.split('.');
  if (length !== 3) return undefined;
  try {
    // atob takes base64 with or without `=` padding, and base64url only swaps its `+/` for `-_`.
    // (Unlike jose, a payload in plain base64's `+/` is read too: harmless, and 10 B smaller.)
    // An empty payload is not JSON.
    const bytes = atob((payload as string).replace(/-/g, '+').replace(/_/g, '/'));
    // The bytes as UTF-8: escape() writes each byte above 0x7F as %XX, and decodeURIComponent()
    // reads those as UTF-8, throwing on an invalid sequence as a fatal TextDecoder would (the same
    // text for every byte string but one with a leading BOM, which JSON does not allow anyway).
    // 35 B smaller than TextDecoder.
    const { exp } = JSON.parse(decodeURIComponent(escape(bytes)));
    return Number.isFinite(exp) ? exp * 1000 : undefined;
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
  // Never busy-loop: failed refreshes halve the wait, but not below a second (or what is left);
  // none when nothing is left.
  return Math.max(
    0,
    remaining > marginMs ? remaining - marginMs : remaining / 2,
    Math.min(1000, remaining),
  );
}
