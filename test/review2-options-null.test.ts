import { afterEach, expect, it, vi } from 'vitest';
import { resolveOptions } from '../src/options';
import { fetchToken } from '../src/token/fetch-token';

afterEach(() => {
  vi.unstubAllGlobals();
});

// Finding 6 (options rewrite, a210bac): `tokenRequest = {}` as a destructuring default covers only
// `undefined`. `tokenRequest: null` passes `typeof null === 'object'` and is kept: createChat accepts
// it, and every login then fails with TOKEN_NETWORK "Cannot read properties of null" before any
// request. Before the rewrite (`options.tokenRequest ?? {}`) it worked as the defaults.
it('tokenRequest: null is refused by createChat, or works as the defaults; never a login that always fails', async () => {
  let resolved: ReturnType<typeof resolveOptions>;
  try {
    resolved = resolveOptions({
      portalId: '1',
      tokenUrl: '/api/chat-token',
      tokenRequest: null,
    } as unknown as Parameters<typeof resolveOptions>[0]);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError); // refused up front: fine
    return;
  }
  const calls: unknown[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url);
    return new Response(
      JSON.stringify({ email: 'alice@example.com', token: 'tok.en', expiresIn: 600 }),
      { headers: { 'Content-Type': 'application/json' } },
    );
  });
  const result = await fetchToken(resolved, new AbortController().signal).catch(
    (error: unknown) => error,
  );
  // (Today it rejects with a bare TypeError, not even a ChatError, before any request.)
  expect(result).not.toBeInstanceOf(Error);
  expect(result).toMatchObject({ email: 'alice@example.com' });
  expect(calls).toEqual(['/api/chat-token']);
});
