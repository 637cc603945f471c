import { describe, expect, it } from 'vitest';
import { ChatError } from '../src/index';
import { names, outcome, setUp, states, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';

describe('login()', () => {
  it('goes authenticating → authenticated with one request and an identified first instance', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    const login = h.chat.login();
    expect(h.chat.state).toBe('authenticating');
    await h.advance(3000);
    await expect(login).resolves.toEqual({ email: alice });
    expect(h.requests()).toBe(1);
    expect(h.chat.state).toBe('authenticated');
    expect(h.chat.identity).toEqual({ email: alice });
    expect(states(h.events)).toEqual(['authenticating', 'authenticated']);
    expect(h.events).toContainEqual(['login', { email: alice }]);
    // The app called login() at page load: the identified instance is the first one, no anonymous flash.
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 1,
      loaded: true,
      identity: { email: alice, identified: true },
    });
    expect(h.settings()).toMatchObject({ identificationEmail: alice, loadImmediately: false });
  });

  it('creates no anonymous instance when start() runs while a login is in flight', async () => {
    const h = setUp();
    let release: () => void = () => {};
    h.tokens.push(async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { email: alice, token: h.standIn.fake.issueToken(alice) };
    });
    const login = h.chat.login();
    let started = false;
    void h.chat.start().then(() => {
      started = true;
    });
    await h.advance(2000);
    expect(h.standIn.fake.state().shellGeneration).toBe(0);
    expect(started).toBe(false);
    release();
    await h.advance(100);
    await login;
    expect(started).toBe(true);
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 1,
      identity: { identified: true },
    });
  });

  for (const [gap, wait] of [
    ['in the same tick', async () => {}],
    [
      '5 microtasks later',
      async () => {
        for (let i = 0; i < 5; i++) await Promise.resolve();
      },
    ],
    ['1 ms later', (h: ReturnType<typeof setUp>) => h.advance(1)],
  ] as const) {
    it(`creates no anonymous instance when login() follows start() ${gap}`, async () => {
      const h = setUp({}, { initDelayMs: 5 });
      h.tokens.push(async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return { email: alice, token: h.standIn.fake.issueToken(alice) };
      });
      void h.chat.start();
      await wait(h);
      const login = h.chat.login();
      await h.advance(3000);
      await login;
      expect(h.standIn.fake.state().shells.map((shell) => shell.email)).toEqual([alice]);
      expect(h.standIn.fake.state()).toMatchObject({
        identity: { email: alice, identified: true },
      });
    });
  }

  it('shares one token request among concurrent calls', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    const calls = [h.chat.login(), h.chat.login(), h.chat.login()];
    await h.advance(3000);
    expect(await Promise.all(calls)).toEqual([
      { email: alice },
      { email: alice },
      { email: alice },
    ]);
    expect(h.requests()).toBe(1);
  });

  it('resets an anonymous widget so the new instance is identified', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.start(), h.advance(200)]);
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 1,
      identity: { identified: false },
    });
    const login = h.chat.login();
    await h.advance(3000);
    await login;
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 2,
      loaded: true,
      identity: { email: alice, identified: true },
    });
    expect(document.querySelectorAll('#hubspot-messages-iframe-container')).toHaveLength(1);
  });

  it('resolves once the identified instance was requested, before the iframe has loaded', async () => {
    const h = setUp({}, { widgetDataDelayMs: 5000 });
    h.tokens.push(validToken(h.standIn, alice));
    let resolved = false;
    void h.chat.login().then(() => {
      resolved = true;
    });
    await h.advance(10);
    expect(resolved).toBe(true);
    expect(h.standIn.fake.state()).toMatchObject({
      pending: true,
      loaded: false,
      identity: { email: alice },
    });
  });

  it('refreshes the token for the same email without a reset, and emits tokenRefresh', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.standIn.fake.simulate.startConversation('Hi, about my order');
    const firstToken = h.settings()?.identificationToken;
    h.events.length = 0;
    await Promise.all([h.chat.login(), h.advance(10)]);
    expect(h.requests()).toBe(1 + 1);
    expect(h.settings()?.identificationToken).not.toBe(firstToken);
    expect(h.events).toEqual([['tokenRefresh', { email: alice }]]);
    expect(h.standIn.fake.state()).toMatchObject({ shellGeneration: 1, loaded: true });
    expect(h.standIn.fake.state().visibleThreads).toHaveLength(1);
  });

  it('resets to the other person when a different email signs in over the current one', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice), validToken(h.standIn, bob));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.standIn.fake.simulate.startConversation('alice here');
    h.events.length = 0;
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(names(h.events)).toEqual(['state', 'state', 'login', 'widgetLoaded']);
    expect(states(h.events)).toEqual(['authenticating', 'authenticated']);
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 2,
      identity: { email: bob, identified: true },
      visibleThreads: [],
    });
  });

  it('goes back to anonymous on failure: no identity in the settings, error emitted, promise rejected', async () => {
    const h = setUp();
    h.tokens.push(async () => {
      throw new ChatError('TOKEN_HTTP', 'Token request failed with status 401: POST /t', 401);
    });
    await Promise.all([h.chat.start(), h.advance(200)]);
    const login = outcome(h.chat.login());
    await h.advance(3000);
    expect(await login).toEqual({
      error: expect.objectContaining({ code: 'TOKEN_HTTP', status: 401 }),
    });
    expect(h.chat.state).toBe('anonymous');
    expect(h.chat.identity).toBeNull();
    expect(states(h.events)).toEqual(['authenticating', 'anonymous']);
    expect(names(h.events)).toContain('error');
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    expect(h.settings()).not.toHaveProperty('identificationToken');
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 1,
      identity: { identified: false },
    });
  });

  it('drops the previous visitor when a switch to someone else fails (decisions §28)', async () => {
    const h = setUp({ retries: 0 });
    h.tokens.push(validToken(h.standIn, alice), async () => {
      throw new ChatError('TOKEN_HTTP', 'Token request failed with status 502: POST /t', 502);
    });
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
    h.events.length = 0;
    // The backend session is bob's now; his token request fails.
    const login = outcome(h.chat.login({ fresh: true }));
    await h.advance(3000);
    expect(await login).toEqual({ error: expect.objectContaining({ status: 502 }) });
    expect(h.chat.state).toBe('logged-out');
    expect(h.chat.identity).toBeNull();
    expect(names(h.events)).toContain('logout');
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    expect(h.standIn.fake.state().identity).toMatchObject({ identified: false });
  });

  it('goes back to logged-out when a login after a logout fails', async () => {
    const h = setUp();
    h.tokens.push(async () => ({ email: 'not-an-email', token: 'x' }));
    await Promise.all([h.chat.logout(), h.advance(10)]);
    const login = outcome(h.chat.login());
    await h.advance(3000);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'TOKEN_INVALID' }) });
    expect(h.chat.state).toBe('logged-out');
  });

  it('shows the anonymous widget after a failed login at page load', async () => {
    const h = setUp();
    h.tokens.push(async () => {
      throw new TypeError('Failed to fetch');
    });
    const login = h.chat.login().catch((error: unknown) => error);
    await h.advance(5000);
    expect(await login).toMatchObject({ code: 'TOKEN_NETWORK' });
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 1,
      loaded: true,
      identity: { identified: false },
    });
  });

  it('resolves once the token is held when HubSpot is not ready, and reports one WIDGET_UNAVAILABLE when it never comes', async () => {
    // docs/decisions.md §15: authenticated before HubSpot has loaded; the token waits for the load.
    const h = setUp({ readyTimeoutMs: 4000 }, { blocked: true });
    h.tokens.push(validToken(h.standIn, alice));
    let result: unknown;
    void h.chat.login().then((identity) => {
      result = identity;
    });
    await h.advance(10);
    expect(result).toEqual({ email: alice });
    expect(h.chat.state).toBe('authenticated');
    expect(h.settings()).toMatchObject({ identificationEmail: alice });
    expect(h.events.filter((e) => e[0] === 'error')).toEqual([]);
    await h.advance(3990);
    expect(h.events.filter((e) => e[0] === 'error')).toEqual([
      ['error', expect.objectContaining({ code: 'WIDGET_UNAVAILABLE' })],
    ]);
    // A later login does not wait again.
    await Promise.all([h.chat.login(), h.advance(10)]);
    expect(h.events.filter((e) => e[0] === 'error')).toHaveLength(1);
  });

  it('never applies a token that has already expired', async () => {
    const h = setUp();
    h.tokens.push(async () => ({ email: alice, token: 'abc', expiresAt: Date.now() - 1 }));
    const login = outcome(h.chat.login());
    await h.advance(3000);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'TOKEN_INVALID' }) });
    expect(h.settings()).not.toHaveProperty('identificationToken');
  });
});
