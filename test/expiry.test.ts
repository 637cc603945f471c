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

describe('tokenExpiry caps the lifetime at 12 hours from receipt (HubSpot tokens live 12 h)', () => {
  const twelveHours = now + HUBSPOT_TOKEN_LIFETIME_MS;
  const jwtIn = (seconds: number) =>
    new UnsecuredJWT({}).setExpirationTime(now / 1000 + seconds).encode();

  it('caps an expiresAt, an expiresIn or a JWT exp further away', () => {
    expect(tokenExpiry('opaque', now + 13 * 3600_000, undefined, now)).toBe(twelveHours);
    expect(tokenExpiry('opaque', undefined, 30 * 24 * 3600, now)).toBe(twelveHours);
    expect(tokenExpiry(jwtIn(24 * 3600), undefined, undefined, now)).toBe(twelveHours);
  });

  it('keeps a lifetime of 12 hours or less as it is', () => {
    expect(tokenExpiry('opaque', twelveHours, undefined, now)).toBe(twelveHours);
    expect(tokenExpiry('opaque', undefined, 12 * 3600, now)).toBe(twelveHours);
    expect(tokenExpiry(jwtIn(11 * 3600), undefined, undefined, now)).toBe(now + 11 * 3600_000);
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

describe('tokenExpiry reads the JWT exp claim without jose', () => {
  const exp = now / 1000 + 600;
  const fallback = now + HUBSPOT_TOKEN_LIFETIME_MS;
  const base64url = (bytes: string | Buffer) => Buffer.from(bytes).toString('base64url');
  const header = base64url('{"alg":"HS256","typ":"JWT"}');
  /** A compact JWS around `payload` (JSON text or raw bytes, already encoded when `encoded`). */
  const jwt = (payload: string | Buffer, encoded = false) =>
    `${header}.${encoded ? payload : base64url(payload)}.c2lnbmF0dXJl`;
  const expiry = (token: string) => tokenExpiry(token, undefined, undefined, now);

  it('reads payloads that need no, one or two `=` of padding, with or without them', () => {
    for (const filler of ['', 'x', 'xx', 'xxx']) {
      const json = JSON.stringify({ exp, filler });
      const padded = Buffer.from(json).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
      expect(expiry(jwt(json)), filler).toBe(now + 600_000);
      expect(expiry(jwt(padded, true)), filler).toBe(now + 600_000);
    }
    // Every padding case above was met: lengths 0, 2 and 3 modulo 4 once the `=` are stripped.
    const remainders = ['', 'x', 'xx', 'xxx'].map((filler) => {
      return base64url(JSON.stringify({ exp, filler })).length % 4;
    });
    expect(new Set(remainders)).toEqual(new Set([0, 2, 3]));
  });

  it('decodes the base64url alphabet: `-` and `_` where base64 has `+` and `/`', () => {
    const payload = base64url(JSON.stringify({ exp, s: '???>>>' }));
    expect(payload).toMatch(/-/);
    expect(payload).toMatch(/_/);
    expect(expiry(jwt(payload, true))).toBe(now + 600_000);
  });

  it('reads UTF-8 payloads with non-ASCII names and claims', () => {
    const json = JSON.stringify({ name: 'Zoë Ångström 日本語 😀', ключ: '€', exp });
    expect(expiry(jwt(json))).toBe(now + 600_000);
  });

  it('falls back to 12 hours when the payload is not valid UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from(`{"exp":${exp},"s":"`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    expect(expiry(jwt(bytes))).toBe(fallback);
  });

  it('falls back to 12 hours when exp is not a finite number', () => {
    for (const json of [
      `{"exp":"${exp}"}`,
      '{"exp":"NaN"}',
      '{"exp":"Infinity"}',
      '{"exp":1e400}',
      '{"exp":null}',
      '{"exp":true}',
      `{"exp":{"value":${exp}}}`,
      `{"exp":[${exp}]}`,
      '{"iat":1796292000}',
      '{}',
    ]) {
      expect(expiry(jwt(json)), json).toBe(fallback);
    }
  });

  it('falls back to 12 hours when the token is not a JWT with a JSON object payload', () => {
    const claims = base64url(JSON.stringify({ exp }));
    for (const token of [
      '',
      claims,
      `${header}.${claims}`,
      `${header}.${claims}.sig.extra`,
      `${header}.key.iv.${claims}.tag`, // JWE: five parts
      `${header}..sig`,
      `${header}.!!!.sig`,
      `${header}.${claims}A.sig`, // 4n + 1 characters: not base64
      jwt('not json'),
      jwt('null'),
      jwt(String(exp)),
      jwt(`[${exp}]`),
    ]) {
      expect(expiry(token), token).toBe(fallback);
    }
  });
});
