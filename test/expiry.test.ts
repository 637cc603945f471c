import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { HUBSPOT_TOKEN_LIFETIME_MS, refreshDelay, tokenExpiry } from '../src/token/expiry';

const now = Date.parse('2026-11-26T10:00:00Z');

describe('tokenExpiry', () => {
  const jwt = new UnsecuredJWT({}).setExpirationTime(now / 1000 + 600).encode();

  it('prefers expiresAt, then expiresIn, then the JWT exp claim, then 12 hours', () => {
    expect(tokenExpiry(jwt, now + 5000, 30, now)).toBe(now + 5000);
    expect(tokenExpiry(jwt, undefined, 30, now)).toBe(now + 30_000);
    expect(tokenExpiry(jwt, undefined, undefined, now)).toBe(now + 600_000);
    expect(tokenExpiry('opaque-token', undefined, undefined, now)).toBe(
      now + HUBSPOT_TOKEN_LIFETIME_MS,
    );
  });
});

describe('refreshDelay', () => {
  it('refreshes the margin before expiry', () => {
    expect(refreshDelay(now + 600_000, now, 60_000)).toBe(540_000);
  });
  it('refreshes at half the remaining lifetime when that is shorter than the margin', () => {
    expect(refreshDelay(now + 30_000, now, 60_000)).toBe(15_000);
  });
  it('never waits less than a second unless less is left, and not at all once expired', () => {
    expect(refreshDelay(now + 1500, now, 60_000)).toBe(1000);
    expect(refreshDelay(now + 400, now, 60_000)).toBe(400);
    expect(refreshDelay(now - 1, now, 60_000)).toBe(0);
  });
});
