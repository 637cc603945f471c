// @vitest-environment node
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtTokenMinter } from '../../src/server/index';

const secret = 'a-test-secret-that-is-32-bytes-long!';

describe('jwtTokenMinter', () => {
  it('signs an HS256 JWT for the visitor that verifies with the secret and expires after ttlSeconds', async () => {
    const { token, expiresIn } = await jwtTokenMinter({ secret, ttlSeconds: 600 })({
      email: 'alice@example.com',
    });
    expect(expiresIn).toBe(600);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret));
    expect(payload).toMatchObject({ sub: 'alice@example.com', email: 'alice@example.com' });
    expect((payload.exp as number) - (payload.iat as number)).toBe(600);
  });

  it('defaults to 12 hours', async () => {
    expect((await jwtTokenMinter({ secret })({ email: 'a@b.c' })).expiresIn).toBe(43_200);
  });

  it('throws at start-up for a secret under 32 bytes', () => {
    expect(() => jwtTokenMinter({ secret: 'short' })).toThrow('at least 32 bytes');
    expect(() => jwtTokenMinter({ secret: new Uint8Array(31) })).toThrow(TypeError);
    expect(() => jwtTokenMinter({ secret: new Uint8Array(32) })).not.toThrow();
  });

  it('refuses a bad ttlSeconds', () => {
    expect(() => jwtTokenMinter({ secret, ttlSeconds: 0 })).toThrow('`ttlSeconds`');
    expect(() => jwtTokenMinter({ secret, ttlSeconds: 1.5 })).toThrow('`ttlSeconds`');
  });

  it("caps ttlSeconds at HubSpot's own 12 hours", () => {
    expect(() => jwtTokenMinter({ secret, ttlSeconds: 43_201 })).toThrow(TypeError);
    expect(() => jwtTokenMinter({ secret, ttlSeconds: 86_400 })).toThrow('43200');
    expect(() => jwtTokenMinter({ secret, ttlSeconds: 43_200 })).not.toThrow();
  });

  it('puts no first or last name in the token unless asked', async () => {
    const visitor = { email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' };
    const plain = await jwtTokenMinter({ secret })(visitor);
    const { payload } = await jwtVerify(plain.token, new TextEncoder().encode(secret));
    expect(Object.keys(payload).sort()).toEqual(['email', 'exp', 'iat', 'sub']);
    const named = await jwtTokenMinter({ secret, includeNames: true })(visitor);
    const verified = await jwtVerify(named.token, new TextEncoder().encode(secret));
    expect(verified.payload).toMatchObject({ firstName: 'Alice', lastName: 'Liddell' });
  });

  it('sets issuer and audience when given, and they verify', async () => {
    const { token } = await jwtTokenMinter({
      secret,
      issuer: 'https://shop.example.com',
      audience: 'hubspot-chat',
    })({ email: 'alice@example.com' });
    const key = new TextEncoder().encode(secret);
    const { payload } = await jwtVerify(token, key, {
      issuer: 'https://shop.example.com',
      audience: 'hubspot-chat',
    });
    expect(payload).toMatchObject({ iss: 'https://shop.example.com', aud: 'hubspot-chat' });
    await expect(jwtVerify(token, key, { audience: 'another' })).rejects.toThrow();
  });

  it('does not verify with another secret', async () => {
    const { token } = await jwtTokenMinter({ secret })({ email: 'a@b.c' });
    await expect(
      jwtVerify(token, new TextEncoder().encode('another-secret-also-32-bytes-long!!')),
    ).rejects.toThrow();
  });
});
