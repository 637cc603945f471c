// @vitest-environment node
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtTokenMinter } from '../../src/server/index';

const secret = 'a-test-secret-that-is-32-bytes-long!';

describe('jwtTokenMinter', () => {
  it('signs an HS256 JWT for the visitor that verifies with the secret and expires after ttlSeconds', async () => {
    const { token, expiresIn } = await jwtTokenMinter({ secret, ttlSeconds: 600 })({
      email: 'alice@example.com',
      firstName: 'Alice',
    });
    expect(expiresIn).toBe(600);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret));
    expect(payload).toMatchObject({
      sub: 'alice@example.com',
      email: 'alice@example.com',
      firstName: 'Alice',
    });
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
  });

  it('does not verify with another secret', async () => {
    const { token } = await jwtTokenMinter({ secret })({ email: 'a@b.c' });
    await expect(
      jwtVerify(token, new TextEncoder().encode('another-secret-also-32-bytes-long!!')),
    ).rejects.toThrow();
  });
});
