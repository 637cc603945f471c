import { describe, expect, it } from 'vitest';
import { ChatError } from '../src/errors';
import { validateToken } from '../src/token/validate-token';

const now = Date.parse('2026-11-26T10:00:00Z');
const where = 'POST /api/chat-token';
const good = { email: 'alice@example.com', token: 'tok.en.value' };

/** The error validateToken throws for `body`, or the token it returns. */
function outcome(body: unknown) {
  try {
    return { token: validateToken(body, where, now) };
  } catch (error) {
    return { error: error as ChatError };
  }
}

describe('validateToken', () => {
  it('keeps email and token, and the expiry (12 hours when nothing says)', () => {
    expect(outcome(good)).toEqual({ token: { ...good, expiresAt: now + 12 * 3600_000 } });
    expect(outcome({ ...good, expiresIn: 600, other: 'ignored' })).toEqual({
      token: { ...good, expiresAt: now + 600_000 },
    });
  });

  it.each([
    ['is not an object', null],
    ['is not an object', [good]],
    ['is not an object', 'alice@example.com'],
    ['has an invalid `email`', { ...good, email: 'alice' }],
    ['has an invalid `email`', { ...good, email: ['alice@example.com'] }],
    ['has an invalid `token`', { ...good, token: '' }],
    ['has an invalid `token`', { ...good, token: 'a b' }],
    ['has an invalid `token`', { ...good, token: 'x'.repeat(4097) }],
    ['has an invalid `token`', { ...good, token: ['tok'] }],
    ['has an invalid `expiresIn` (seconds)', { ...good, expiresIn: 0 }],
    ['has an invalid `expiresIn` (seconds)', { ...good, expiresIn: Number.NaN }],
    ['has an invalid `expiresIn` (seconds)', { ...good, expiresIn: 366 * 24 * 3600 }],
    ['has an invalid `expiresAt` (milliseconds)', { ...good, expiresAt: now / 1000 + 600 }],
    ['has an invalid `expiresAt` (milliseconds)', { ...good, expiresAt: '2026-11-27' }],
    ['has an expired token', { ...good, expiresAt: now - 1 }],
  ])('refuses an answer that %s, naming the field and the request', (what, body) => {
    const { error } = outcome(body);
    expect(error).toBeInstanceOf(ChatError);
    expect(error?.code).toBe('TOKEN_INVALID');
    expect(error?.message).toBe(`Token response ${what}: ${where}`);
  });

  it('accepts the longest token and a lifetime of a year, capped at 12 hours', () => {
    expect(outcome({ ...good, token: 'x'.repeat(4096), expiresIn: 365 * 24 * 3600 })).toEqual({
      token: { ...good, token: 'x'.repeat(4096), expiresAt: now + 12 * 3600_000 },
    });
  });
});
