// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HubSpotApiError, hubspotTokenMinter } from '../../src/server/index';
import { ACCESS_TOKEN, type FakeApi, startFakeHubSpotApi } from './fake-hubspot-api.mjs';

/**
 * HubSpot's 12 hours, less the whole seconds between minting and answering: a millisecond of a busy
 * machine between the two makes it 43199 (an exact 43200 failed `npm test` under load).
 */
const twelveHoursLessElapsed = expect.toSatisfy(
  (seconds: unknown) => typeof seconds === 'number' && seconds <= 43_200 && seconds > 43_200 - 60,
);

let api: FakeApi;
beforeEach(async () => {
  api = await startFakeHubSpotApi();
});
afterEach(() => api.close());

const minter = (over: Partial<Parameters<typeof hubspotTokenMinter>[0]> = {}) =>
  hubspotTokenMinter({ accessToken: ACCESS_TOKEN, baseUrl: api.baseUrl, ...over });

async function failure(promise: Promise<unknown>): Promise<HubSpotApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HubSpotApiError);
  return error as HubSpotApiError;
}

describe('hubspotTokenMinter', () => {
  it("calls HubSpot's API with the bearer token and the visitor, and returns a 12-hour token", async () => {
    const minted = await minter()({
      email: 'alice@example.com',
      firstName: 'Alice',
      lastName: 'Liddell',
    });
    expect(minted).toEqual({
      token: expect.stringMatching(/^hs-token-\d+-for-alice@example.com$/),
      expiresIn: twelveHoursLessElapsed,
    });
    expect(api.calls).toEqual([
      {
        method: 'POST',
        path: '/conversations/v3/visitor-identification/tokens/create',
        authorization: `Bearer ${ACCESS_TOKEN}`,
        contentType: 'application/json',
        body: { email: 'alice@example.com', firstName: 'Alice', lastName: 'Liddell' },
      },
    ]);
  });

  it('sends no name fields it was not given', async () => {
    await minter()({ email: 'bob@example.com' });
    expect(api.calls[0]?.body).toEqual({ email: 'bob@example.com' });
  });

  it.each([
    [401, 'UNAUTHORIZED'],
    [403, 'FORBIDDEN'],
    [429, 'RATE_LIMITED'],
    [500, 'SERVER'],
    [503, 'SERVER'],
    [400, 'BAD_REQUEST'],
  ] as const)('maps HubSpot %i to %s', async (status, code) => {
    api.answers.push({
      status,
      body: { status: 'error' },
      headers: status === 429 ? { 'Retry-After': '10' } : {},
    });
    const error = await failure(minter()({ email: 'alice@example.com' }));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).toBe(
      `HubSpot answered ${status}: POST ${api.baseUrl}/conversations/v3/visitor-identification/tokens/create`,
    );
    if (status === 429) expect(error.retryAfterSeconds).toBe(10);
  });

  it('reports a wrong access token as UNAUTHORIZED', async () => {
    const error = await failure(minter({ accessToken: 'wrong' })({ email: 'alice@example.com' }));
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('reports a 200 without a token as BAD_RESPONSE', async () => {
    api.answers.push({ status: 200, body: { results: [] } });
    expect((await failure(minter()({ email: 'alice@example.com' }))).code).toBe('BAD_RESPONSE');
  });

  it('times out', async () => {
    api.answers.push({ status: 200, body: { token: 'late' }, delayMs: 500 });
    const error = await failure(minter({ timeoutMs: 50 })({ email: 'alice@example.com' }));
    expect(error.code).toBe('TIMEOUT');
  });

  it('reports an unreachable API as NETWORK', async () => {
    await api.close();
    const error = await failure(minter()({ email: 'alice@example.com' }));
    expect(error.code).toBe('NETWORK');
    api = await startFakeHubSpotApi();
  });

  it('caches one token per email and shares a burst of concurrent calls', async () => {
    const mint = minter();
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => mint({ email: 'alice@example.com' })),
    );
    expect(new Set(burst.map((m) => m.token)).size).toBe(1);
    const later = await mint({ email: 'alice@example.com' });
    expect(later.token).toBe(burst[0]?.token);
    expect(later.expiresIn).toBeLessThanOrEqual(43_200);
    expect(api.calls).toHaveLength(1);
    await mint({ email: 'bob@example.com' });
    expect(api.calls).toHaveLength(2);
  });

  it('hands a cached token only to the exact address it was minted for', async () => {
    const mint = minter();
    const alice = await mint({ email: 'alice@example.com' });
    const upper = await mint({ email: 'Alice@Example.com' });
    expect(upper.token).not.toBe(alice.token);
    expect(upper.token).toMatch(/-for-Alice@Example.com$/);
    expect(api.calls.map((call) => call.body)).toEqual([
      { email: 'alice@example.com' },
      { email: 'Alice@Example.com' },
    ]);
  });

  it("never hands kate's token to the Kelvin-sign look-alike \u212Aate@example.com", async () => {
    const mint = minter();
    const kate = await mint({ email: 'kate@example.com' });
    expect('\u212Aate@example.com'.toLowerCase()).toBe('kate@example.com'); // what the bug relied on
    const kelvin = await mint({ email: '\u212Aate@example.com' });
    expect(kelvin.token).not.toBe(kate.token);
    expect(kelvin.token).toMatch(/-for-\u212Aate@example.com$/);
    expect(api.calls).toHaveLength(2);
  });

  it('keeps at most cacheSize tokens, dropping the oldest', async () => {
    const mint = minter({ cacheSize: 2 });
    await mint({ email: 'a@example.com' });
    await mint({ email: 'b@example.com' });
    await mint({ email: 'c@example.com' });
    await mint({ email: 'c@example.com' });
    await mint({ email: 'b@example.com' });
    expect(api.calls).toHaveLength(3);
    await mint({ email: 'a@example.com' }); // evicted
    expect(api.calls).toHaveLength(4);
  });

  it('mints again once a cached token is within the margin of expiry', async () => {
    const mint = minter({ cacheMarginSeconds: 43_199 }); // fresh for one second
    await mint({ email: 'a@example.com' });
    await mint({ email: 'a@example.com' });
    expect(api.calls).toHaveLength(1);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2000 });
    try {
      await mint({ email: 'a@example.com' });
    } finally {
      vi.useRealTimers();
    }
    expect(api.calls).toHaveLength(2);
  });

  it('caches no failure', async () => {
    api.answers.push({ status: 503 }, { status: 200, body: { token: 'second-try' } });
    const mint = minter();
    await failure(mint({ email: 'a@example.com' }));
    expect(await mint({ email: 'a@example.com' })).toMatchObject({ token: 'second-try' });
  });

  it('takes a missing access token at creation (next build), and then fails every call naming it', async () => {
    const mint = hubspotTokenMinter({ accessToken: '' });
    await expect(mint({ email: 'a@example.com' })).rejects.toThrow(/`accessToken`/);
    const unset = hubspotTokenMinter({ accessToken: undefined as unknown as string });
    await expect(unset({ email: 'a@example.com' })).rejects.toThrow(/`accessToken`/);
    expect(api.calls).toHaveLength(0);
  });
});

describe('hubspotTokenMinter numeric options', () => {
  it.each([
    ['cacheSize', [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10']],
    ['cacheMarginSeconds', [-1, 43_200, 1e9, Number.NaN, Number.POSITIVE_INFINITY, '60']],
    ['timeoutMs', [0, 0.5, -5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '5000']],
  ] as const)('refuses a bad %s with a TypeError naming it', (name, values) => {
    for (const value of values) {
      const create = () =>
        hubspotTokenMinter({ accessToken: ACCESS_TOKEN, [name]: value as unknown as number });
      expect(create, `${name}: ${String(value)}`).toThrow(TypeError);
      expect(create, `${name}: ${String(value)}`).toThrow(`\`${name}\``);
    }
  });

  it('takes sane values', () => {
    for (const over of [
      { cacheSize: 1 },
      { cacheSize: 1_000_000 },
      { cacheMarginSeconds: 0 },
      { cacheMarginSeconds: 43_199.5 },
      { timeoutMs: 1 },
      { timeoutMs: 2 ** 31 - 1 },
    ]) {
      expect(() => hubspotTokenMinter({ accessToken: ACCESS_TOKEN, ...over })).not.toThrow();
    }
  });
});

describe("hubspotTokenMinter and HubSpot's answer body", () => {
  /** A fetch that answers with `status` and a body stream that records being cancelled. */
  function answering(status: number, stall = false) {
    const body = { cancelled: false };
    const fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"tok'));
            if (!stall) {
              controller.enqueue(new TextEncoder().encode('en":"from-fetch"}'));
              controller.close();
            }
          },
          cancel() {
            body.cancelled = true;
          },
        }),
        { status, headers: { 'Retry-After': '5' } },
      );
    return { fetch, body };
  }

  it('cancels the body of an answer that is not OK', async () => {
    const { fetch, body } = answering(429);
    const error = await failure(
      hubspotTokenMinter({ accessToken: ACCESS_TOKEN, fetch })({ email: 'a@example.com' }),
    );
    expect(error.code).toBe('RATE_LIMITED');
    expect(body.cancelled).toBe(true);
  });

  it('times out a body that stalls even when the fetch ignores the abort signal', async () => {
    const { fetch, body } = answering(200, true);
    const started = Date.now();
    const error = await failure(
      hubspotTokenMinter({ accessToken: ACCESS_TOKEN, fetch, timeoutMs: 100 })({
        email: 'a@example.com',
      }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(body.cancelled).toBe(true); // not left hanging
  });

  it('reads a body that arrives in pieces', async () => {
    const { fetch } = answering(200);
    const minted = await hubspotTokenMinter({ accessToken: ACCESS_TOKEN, fetch })({
      email: 'a@example.com',
    });
    expect(minted.token).toBe('from-fetch');
  });
});
