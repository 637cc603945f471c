import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '../src/errors';
import { type ResolvedOptions, resolveOptions } from '../src/options';
import { fetchToken } from '../src/token/fetch-token';

const good = { email: 'alice@example.com', token: 'tok.en.value', expiresIn: 600 };

function options(over: Parameters<typeof resolveOptions>[0] | object = {}): ResolvedOptions {
  return resolveOptions({ portalId: '1', tokenUrl: '/api/chat-token', ...over } as Parameters<
    typeof resolveOptions
  >[0]);
}

let answers: Array<() => Response | Promise<Response>>;
let calls: Array<{ url: string; init: RequestInit }>;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-26T10:00:00Z') });
  answers = [];
  calls = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (!answer) throw new Error('no answer');
    return new Promise<Response>((resolve, reject) => {
      init.signal?.addEventListener('abort', () =>
        reject(new DOMException('aborted', 'AbortError')),
      );
      Promise.resolve().then(answer).then(resolve, reject);
    });
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });

async function outcome(
  resolved: ResolvedOptions = options(),
  signal = new AbortController().signal,
) {
  const promise = fetchToken(resolved, signal).then(
    (token) => ({ token }),
    (error: unknown) => ({ error: error as ChatError }),
  );
  await vi.advanceTimersByTimeAsync(120_000);
  return promise;
}

describe('fetchToken over tokenUrl', () => {
  it('sends POST, same-origin credentials, Accept: application/json and no body by default', async () => {
    answers.push(json(good));
    const result = await outcome();
    expect(result).toEqual({
      token: { email: good.email, token: good.token, expiresAt: Date.now() - 120_000 + 600_000 },
    });
    expect(calls).toHaveLength(1);
    const [{ url, init }] = calls as [{ url: string; init: RequestInit }];
    expect(url).toBe('/api/chat-token');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toEqual({ Accept: 'application/json' });
    expect(init.body).toBeUndefined();
  });

  it('uses tokenRequest for method, headers, credentials and body', async () => {
    answers.push(json(good));
    await outcome(
      options({
        tokenRequest: {
          method: 'PUT',
          headers: { 'X-CSRF-Token': 'abc' },
          credentials: 'include',
          body: '{}',
        },
      }),
    );
    const init = calls[0]?.init as RequestInit;
    expect(init).toMatchObject({ method: 'PUT', credentials: 'include', body: '{}' });
    expect(init.headers).toEqual({ Accept: 'application/json', 'X-CSRF-Token': 'abc' });
  });

  it('reads tokenRequest at each attempt: a headers getter runs again, and its throw is a ChatError', async () => {
    let reads = 0;
    const tokenRequest = {
      get headers() {
        reads++;
        if (reads === 2) throw new Error('no CSRF token yet');
        return { 'X-CSRF-Token': `t${reads}` };
      },
    };
    answers.push(json({}, 503), json(good));
    expect(await outcome(options({ tokenRequest }))).toMatchObject({
      token: { email: good.email },
    });
    expect(reads).toBe(3);
    expect(calls.map(({ init }) => init.headers)).toEqual([
      { Accept: 'application/json', 'X-CSRF-Token': 't1' },
      { Accept: 'application/json', 'X-CSRF-Token': 't3' },
    ]);
    reads = 1; // the next read throws, on every attempt
    const failing = {
      get headers(): Record<string, string> {
        throw new Error('no CSRF token');
      },
    };
    const { error } = (await outcome(options({ tokenRequest: failing }))) as { error: ChatError };
    expect(error).toBeInstanceOf(ChatError);
    expect(error.code).toBe('TOKEN_NETWORK');
  });

  it('retries a 500 `retries` times, then rejects with TOKEN_HTTP naming status and request', async () => {
    answers.push(json({ error: 'boom' }, 500));
    const { error } = (await outcome()) as { error: ChatError };
    expect(calls).toHaveLength(3);
    expect(error).toBeInstanceOf(ChatError);
    expect(error.code).toBe('TOKEN_HTTP');
    expect(error.status).toBe(500);
    expect(error.message).toBe('Token request failed with status 500: POST /api/chat-token');
  });

  it('recovers when a retry succeeds', async () => {
    answers.push(json({}, 503), json(good));
    expect(await outcome()).toMatchObject({ token: { email: good.email } });
    expect(calls).toHaveLength(2);
  });

  it.each([400, 401, 403, 404])('never retries a %i', async (status) => {
    answers.push(json({}, status));
    const { error } = (await outcome()) as { error: ChatError };
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ code: 'TOKEN_HTTP', status });
  });

  it("waits a 429's Retry-After, capped at 2 s", async () => {
    answers.push(json({}, 429, { 'Retry-After': '30' }), json(good));
    const promise = fetchToken(options(), new AbortController().signal);
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await expect(promise).resolves.toMatchObject({ email: good.email });
  });

  it('waits a Retry-After given as an HTTP date; one in the past not at all', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99); // the backoff would wait 247 ms, then 495 ms
    const inOneSecond = new Date(Date.now() + 1000).toUTCString();
    const past = new Date(Date.now() - 60_000).toUTCString();
    answers.push(
      json({}, 503, { 'Retry-After': inOneSecond }),
      json({}, 503, { 'Retry-After': past }),
      json(good),
    );
    const promise = fetchToken(options(), new AbortController().signal);
    await vi.advanceTimersByTimeAsync(990);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5);
    expect(calls).toHaveLength(3);
    await expect(promise).resolves.toMatchObject({ email: good.email });
  });

  it('backs off as usual after a Retry-After that is neither seconds nor a date', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // 125 ms
    answers.push(json({}, 429, { 'Retry-After': 'soon' }), json(good));
    const promise = fetchToken(options(), new AbortController().signal);
    await vi.advanceTimersByTimeAsync(120);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(2);
    await expect(promise).resolves.toMatchObject({ email: good.email });
  });

  it('backs off with full jitter: up to 250 ms, then up to 500 ms', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.96); // 240 ms, then 480 ms
    answers.push(json({}, 500));
    const promise = fetchToken(options(), new AbortController().signal).catch(() => {});
    await vi.advanceTimersByTimeAsync(235);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(470);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(15);
    expect(calls).toHaveLength(3);
    await promise;
  });

  it('times out each attempt after timeoutMs and rejects with TOKEN_TIMEOUT', async () => {
    answers.push(() => new Promise<Response>(() => {}));
    const { error } = (await outcome(options({ timeoutMs: 1000, retries: 1 }))) as {
      error: ChatError;
    };
    expect(calls).toHaveLength(2);
    expect(calls[0]?.init.signal?.aborted).toBe(true);
    expect(error.code).toBe('TOKEN_TIMEOUT');
    expect(error.message).toBe('Token request timed out after 1000 ms: POST /api/chat-token');
  });

  it('reports a network failure as TOKEN_NETWORK after retrying', async () => {
    answers.push(() => Promise.reject(new TypeError('Failed to fetch')));
    const { error } = (await outcome()) as { error: ChatError };
    expect(calls).toHaveLength(3);
    expect(error.code).toBe('TOKEN_NETWORK');
    expect(error.message).toContain('Failed to fetch');
  });

  it('rejects with ABORTED at once when the caller aborts, and aborts the request', async () => {
    answers.push(() => new Promise<Response>(() => {}));
    const controller = new AbortController();
    const promise = fetchToken(options(), controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
    expect(calls[0]?.init.signal?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  const longToken = 'x'.repeat(4097);
  it.each([
    [
      'an HTML login page with status 200',
      () =>
        new Response('<!doctype html><form>Sign in</form>', {
          status: 200,
          headers: { 'Content-Type': 'text/html' },
        }),
    ],
    ['truncated JSON', json('{"email":"alice@example.com","tok')],
    ['an empty body', json('')],
    ['null', json('null')],
    ['an array', json([good])],
    ['a number', json('42')],
    ['a missing email', json({ token: 't' })],
    ['a missing token', json({ email: good.email })],
    ['an empty token', json({ email: good.email, token: '' })],
    ['a numeric token', json({ email: good.email, token: 12345 })],
    ['an email without @', json({ email: 'alice.example.com', token: 't' })],
    ['an email with spaces', json({ email: 'alice @example.com', token: 't' })],
    ['a token with whitespace', json({ email: good.email, token: 'abc\ndef' })],
    ['a token over 4096 characters', json({ email: good.email, token: longToken })],
    ['a non-numeric expiresIn', json({ ...good, expiresIn: '600' })],
    [
      'an already expired expiresAt',
      json({ ...good, expiresIn: undefined, expiresAt: Date.parse('2026-11-26T09:00:00Z') }),
    ],
    ['a negative expiresIn', json({ ...good, expiresIn: -5 })],
    ['a huge body', json({ ...good, padding: 'x'.repeat(70_000) })],
  ])('rejects %s with TOKEN_INVALID and does not retry', async (_name, answer) => {
    answers.push(answer);
    const { error } = (await outcome()) as { error: ChatError };
    expect(error).toBeInstanceOf(ChatError);
    expect(error.code).toBe('TOKEN_INVALID');
    expect(error.message).toMatch(/^Token response .+: POST \/api\/chat-token$/);
    expect(calls).toHaveLength(1);
  });
});

describe('fetchToken caps a lifetime at 12 hours from receipt', () => {
  it('takes an expiresIn of 30 days as 12 hours', async () => {
    answers.push(json({ ...good, expiresIn: 30 * 24 * 3600 }));
    const promise = fetchToken(options(), new AbortController().signal);
    const receipt = Date.now();
    expect(await promise).toEqual({
      email: good.email,
      token: good.token,
      expiresAt: receipt + 12 * 3600_000,
    });
  });
});

describe('fetchToken with a fetchToken function', () => {
  it('passes an AbortSignal and validates what it returns', async () => {
    let seen: AbortSignal | undefined;
    const resolved = resolveOptions({
      portalId: '1',
      fetchToken: async (signal) => {
        seen = signal;
        return { email: 'bob@example.com', token: 'b' } as never;
      },
    });
    expect(await outcome(resolved)).toMatchObject({ token: { email: 'bob@example.com' } });
    expect(seen).toBeInstanceOf(AbortSignal);
  });

  it('times out a fetchToken that never settles, even one that ignores the signal', async () => {
    const resolved = resolveOptions({
      portalId: '1',
      timeoutMs: 500,
      retries: 0,
      fetchToken: () => new Promise(() => {}),
    });
    const { error } = (await outcome(resolved)) as { error: ChatError };
    expect(error.code).toBe('TOKEN_TIMEOUT');
    expect(error.message).toContain('fetchToken()');
  });

  it('retries a rejection with a plain object, then names what it said', async () => {
    let calls = 0;
    const resolved = resolveOptions({
      portalId: '1',
      fetchToken: () => {
        calls++;
        return Promise.reject({ error: 'session store unreachable' });
      },
    });
    const { error } = (await outcome(resolved)) as { error: ChatError };
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(ChatError);
    expect(error.code).toBe('TOKEN_NETWORK');
    expect(error.message).toContain('session store unreachable');
    expect(error.message).not.toContain('[object Object]');
    expect(error.message).toContain('fetchToken()');
  });

  it('recovers when a retry after a plain-object rejection succeeds', async () => {
    const answers: Array<() => Promise<unknown>> = [
      () => Promise.reject({ error: 'x' }),
      async () => ({ email: 'bob@example.com', token: 'b' }),
    ];
    const resolved = resolveOptions({
      portalId: '1',
      fetchToken: () => (answers.shift() as () => Promise<never>)(),
    });
    expect(await outcome(resolved)).toMatchObject({ token: { email: 'bob@example.com' } });
  });

  const odd = Object.create(null) as object;
  const hostile = {
    toString() {
      throw new Error('no');
    },
    toJSON() {
      throw new Error('no');
    },
  };
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'offline'],
    ['a symbol', Symbol('offline')],
    ['an object without a prototype', odd],
    ['an object whose toString throws', hostile],
    ['a circular object', circular],
    ['a thrown value, not a rejection', 'sync'],
  ])('rejects only with a ChatError, whatever fetchToken throws: %s', async (name, value) => {
    const resolved = resolveOptions({
      portalId: '1',
      retries: 0,
      fetchToken: () => {
        if (name.startsWith('a thrown')) throw value;
        return Promise.reject(value);
      },
    });
    const { error } = (await outcome(resolved)) as { error: ChatError };
    expect(error).toBeInstanceOf(ChatError);
    expect(error.code).toBe('TOKEN_NETWORK');
    expect(error.message).toMatch(/^Token request failed \(.*\): fetchToken\(\)$/s);
  });

  it('passes on a ChatError that fetchToken throws, as it is', async () => {
    const own = new ChatError('TOKEN_HTTP', 'signed out', 401);
    const resolved = resolveOptions({ portalId: '1', fetchToken: () => Promise.reject(own) });
    expect(await outcome(resolved)).toEqual({ error: own });
  });
});
