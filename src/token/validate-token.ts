import { isEmail } from '../email';
import { ChatError } from '../errors';
import { tokenExpiry } from './expiry';

/** A validated token, as the SDK keeps it in memory. */
export interface Token {
  email: string;
  token: string;
  /** Epoch ms; never more than 12 hours after receipt. */
  expiresAt: number;
}

/** A lifetime further away is a unit mistake, not a token: TOKEN_INVALID — docs/decisions.md §18. */
const YEAR_S = 365 * 24 * 3600;

/** The `TOKEN_INVALID` error for a token response from `where` that `what` (`is not JSON`). */
export function invalid(where: string, what: string): ChatError {
  return new ChatError('TOKEN_INVALID', `Token response ${what}: ${where}`);
}

/**
 * Checks what the endpoint (or `fetchToken`) answered, received at `now`, once, at the edge:
 * everything inside trusts a `Token`. One check per field; the error names the field.
 */
export function validateToken(body: unknown, where: string, now: number): Token {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid(where, 'is not an object');
  }
  const { email, token, expiresIn, expiresAt } = body as Record<string, unknown>;
  // The errors name the field; the lifetimes' say their unit, the usual mistake.
  if (!isEmail(email)) throw invalid(where, 'has an invalid `email`');
  // 1 to 4,096 characters, none of them whitespace.
  if (typeof token !== 'string' || !/^\S{1,4096}$/.test(token))
    throw invalid(where, 'has an invalid `token`');
  // A number, and plausible (the range excludes NaN and ±Infinity): a lifetime in the wrong unit
  // would arm timers that overflow or never fire — docs/decisions.md §18.
  if (
    expiresIn !== undefined &&
    !(typeof expiresIn === 'number' && expiresIn > 0 && expiresIn <= YEAR_S)
  ) {
    throw invalid(where, 'has an invalid `expiresIn` (seconds)'); // up to a year
  }
  if (
    expiresAt !== undefined &&
    !(typeof expiresAt === 'number' && Math.abs(expiresAt - now) <= YEAR_S * 1000)
  ) {
    throw invalid(where, 'has an invalid `expiresAt` (milliseconds)'); // epoch, within a year of now
  }
  const expiry = tokenExpiry(
    token,
    expiresAt as number | undefined,
    expiresIn as number | undefined,
    now,
  );
  if (!(expiry > now)) throw invalid(where, 'has an expired token');
  return { email, token, expiresAt: expiry };
}
