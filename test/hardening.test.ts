// Issue 10: no identity survives a logout or a destroy, whatever the app does around the SDK.
// Each test here failed on the commit before the fix.
import { describe, expect, it, vi } from 'vitest';
import { type ChatOptions, createChat } from '../src/index';
import { outcome, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';

/** A token for `email` that arrives after `ms` of fake time. */
function slowToken(h: ReturnType<typeof setUp>, email: string, ms: number, extra: object = {}) {
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { email, token: h.standIn.fake.issueToken(email), ...extra };
  };
}

const hsWindow = () =>
  window as unknown as {
    HubSpotConversations?: { widget: { status(): { loaded: boolean } } };
    hsConversationsOnReady?: Array<() => void>;
  };

describe('destroy() then a new chat on the same page', () => {
  it('shows an anonymous visitor, not the destroyed chat’s', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
    h.chat.destroy();
    await h.advance(2000);
    const next = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
    try {
      await Promise.all([next.start(), h.advance(3000)]);
      expect(next.state).toBe('anonymous');
      const fake = h.standIn.fake.state();
      expect(fake.loaded).toBe(true);
      expect(fake.identity).toEqual({ email: '', identified: false });
      expect(fake.visibleThreads).toEqual([]);
    } finally {
      next.destroy();
    }
  });

  it('treats a removed (not reset) instance left by page code as possibly identified', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.chat.destroy();
    // Page code reloads and removes HubSpot's widget as alice, behind the SDK's back.
    const w = window as unknown as {
      hsConversationsSettings: Record<string, unknown>;
      HubSpotConversations: { widget: { load(): void; remove(): void } };
    };
    w.hsConversationsSettings.identificationEmail = alice;
    w.hsConversationsSettings.identificationToken = h.standIn.fake.issueToken(alice);
    await h.advance(1100);
    w.HubSpotConversations.widget.load();
    await h.advance(1000);
    w.HubSpotConversations.widget.remove();
    delete w.hsConversationsSettings.identificationEmail;
    delete w.hsConversationsSettings.identificationToken;
    const next = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
    try {
      await Promise.all([next.start(), h.advance(5000)]);
      expect(h.standIn.fake.state().loaded).toBe(true);
      expect(h.standIn.fake.state().identity).toEqual({ email: '', identified: false });
    } finally {
      next.destroy();
    }
  });
});

describe('a logout() is never lost to the login it cancels', () => {
  it('from a state listener on authenticating', async () => {
    const h = setUp();
    h.tokens.push(slowToken(h, alice, 50));
    h.chat.on('state', (state) => {
      if (state === 'authenticating') void h.chat.logout();
    });
    const login = outcome(h.chat.login());
    await h.advance(5000);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
    expect(h.chat.state).toBe('logged-out');
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    expect(h.standIn.fake.state().identity.identified).toBe(false);
  });

  it('from a state listener during a switch from alice to bob', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.tokens.splice(0, 1, slowToken(h, bob, 50));
    h.chat.on('state', (state, previous) => {
      if (previous === 'authenticated' && state === 'authenticating') void h.chat.logout();
    });
    const login = outcome(h.chat.login());
    await h.advance(5000);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
    expect(h.chat.state).toBe('logged-out');
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    expect(h.settings()).not.toHaveProperty('identificationToken');
    expect(h.standIn.fake.state().identity).toEqual({ email: '', identified: false });
  });

  for (const microtasks of [0, 1, 2, 3, 5, 8, 13, 21, 30]) {
    it(`issued ${microtasks} microtasks after the token promise settles`, async () => {
      const h = setUp();
      await Promise.all([h.chat.start(), h.advance(3000)]);
      let settle: (value: unknown) => void = () => {};
      h.tokens.push(() => new Promise((resolve) => (settle = resolve)));
      const login = outcome(h.chat.login());
      await h.advance(10);
      settle({ email: alice, token: h.standIn.fake.issueToken(alice) });
      for (let i = 0; i < microtasks; i++) await Promise.resolve();
      const logout = outcome(h.chat.logout());
      await h.advance(5000);
      await login;
      expect(await logout).toEqual({ value: undefined });
      expect(h.chat.state).toBe('logged-out');
      expect(h.settings()).not.toHaveProperty('identificationEmail');
      expect(h.settings()).not.toHaveProperty('identificationToken');
      expect(h.standIn.fake.state().identity).toEqual({ email: '', identified: false });
    });
  }

  it('a login() from a state listener shares the first token request', async () => {
    const h = setUp();
    h.tokens.push(slowToken(h, alice, 50));
    let second: Promise<unknown> | undefined;
    h.chat.on('state', (state) => {
      if (state === 'authenticating' && !second) second = h.chat.login();
    });
    const first = h.chat.login();
    await h.advance(3000);
    expect(await first).toEqual({ email: alice });
    expect(await second).toEqual({ email: alice });
    expect(h.requests()).toBe(1);
  });
});

describe('a page that replaces hsConversationsOnReady', () => {
  it('login() and logout() still settle, with the identified widget', async () => {
    const h = setUp({}, { initDelayMs: 200 });
    h.tokens.push(validToken(h.standIn, alice));
    void h.chat.start();
    // HubSpot's documented pattern, run by page code after start().
    hsWindow().hsConversationsOnReady = [() => {}];
    const login = outcome(h.chat.login());
    await h.advance(5000);
    expect(await login).toEqual({ value: { email: alice } });
    expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
    hsWindow().hsConversationsOnReady = [() => {}];
    const logout = outcome(h.chat.logout());
    await h.advance(5000);
    expect(await logout).toEqual({ value: undefined });
    expect(h.standIn.fake.state().identity).toEqual({ email: '', identified: false });
    expect(h.events.filter((e) => e[0] === 'error')).toEqual([]);
  });
});

describe('no anonymous instance while a login is in flight', () => {
  it('when login() comes after start() but before HubSpot’s script has started', async () => {
    const h = setUp({}, { initDelayMs: 300 });
    h.tokens.push(slowToken(h, alice, 1500));
    void h.chat.start();
    await h.advance(1);
    const login = h.chat.login();
    await h.advance(5000);
    expect(await login).toEqual({ email: alice });
    expect(h.standIn.fake.state().shells.map((s) => s.email)).toEqual([alice]);
  });
});

describe('timers and token lifetimes', () => {
  it('a token said to expire in 30 days is kept 12 hours, with no refresh storm (issue 19.12)', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 30 * 24 * 3600 }));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    await h.advance(60_000);
    expect(h.requests()).toBe(1);
    await h.advance(12 * 3600 * 1000 - 60_000 - 63_000 - 1000);
    expect(h.requests()).toBe(1);
    await h.advance(2000);
    expect(h.requests()).toBe(2); // refreshed once, a margin before the 12 hours end
    expect(h.chat.state).toBe('authenticated');
  });

  for (const [name, extra] of [
    ['expiresIn in milliseconds', { expiresIn: 12 * 3600 * 1000 }],
    ['a negative expiresIn', { expiresIn: -5 }],
    ['expiresAt two years away', { expiresAt: Date.parse('2029-01-01T00:00:00Z') }],
  ] as const) {
    it(`rejects ${name} as TOKEN_INVALID, suggesting seconds vs milliseconds`, async () => {
      const h = setUp();
      h.tokens.push(validToken(h.standIn, alice, extra));
      const login = outcome(h.chat.login());
      await h.advance(3000);
      expect(await login).toEqual({
        error: expect.objectContaining({
          code: 'TOKEN_INVALID',
          message: expect.stringMatching(/seconds|milliseconds/),
        }),
      });
    });
  }

  it('drops the identity at expiresAt while a refresh is still in flight, and logs out when it fails', async () => {
    const h = setUp({ refreshMarginMs: 60_000, timeoutMs: 600_000, retries: 0 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 120 }));
    h.tokens.push(
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    ); // the refresh hangs
    await Promise.all([h.chat.login(), h.advance(3000)]);
    await h.advance(60_000); // refresh started at 60 s before expiry
    expect(h.requests()).toBe(2);
    expect(h.chat.state).toBe('authenticated');
    await h.advance(60_000);
    // Issue 19.4: expired, the identity is gone at once; the chat waits for the refresh.
    expect(h.chat.state).toBe('authenticating');
    expect(h.chat.identity).toBeNull();
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    await h.advance(5000);
    expect(h.standIn.fake.state().identity.identified).toBe(false);
    expect(h.events.some((e) => e[0] === 'logout')).toBe(false);
    await h.advance(600_000); // the refresh times out: the session is over
    expect(h.chat.state).toBe('logged-out');
    expect(h.events.filter((e) => e[0] === 'logout')).toEqual([['logout', 'expired']]);
    // The refresh's timeout, reported as the expiry it caused (issue 19.13).
    expect(h.events.filter((e) => e[0] === 'error').at(-1)).toEqual([
      'error',
      expect.objectContaining({
        code: 'TOKEN_EXPIRED',
        message: expect.stringMatching(/timed out/),
      }),
    ]);
  });
});

describe('HubSpot builds without status().pending', () => {
  it('a slow first load is not a false WIDGET_UNAVAILABLE, and logout() still resets it', async () => {
    const h = setUp({}, { statusWithoutPending: true, iframeLoadDelayMs: 8000 });
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(15_000)]);
    expect(h.events.filter((e) => e[0] === 'error')).toEqual([]);
    expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
    await Promise.all([h.chat.logout(), h.advance(10_000)]);
    expect(h.standIn.fake.state().identity).toEqual({ email: '', identified: false });
  });
});

describe('options', () => {
  const base = { portalId: '1', tokenUrl: '/t' };
  for (const [option, value] of [
    ['timeoutMs', 0],
    ['timeoutMs', Number.NaN],
    ['retries', 1.5],
    ['retries', -1],
    ['readyTimeoutMs', Infinity],
    ['refreshMarginMs', Number.NaN],
  ] as const) {
    it(`rejects ${option}: ${value}`, () => {
      expect(() => createChat({ ...base, [option]: value })).toThrow(new RegExp(`\`${option}\``));
    });
  }

  it('rejects a null widget setting with a TypeError naming the key', () => {
    expect(() =>
      createChat({ ...base, widget: { inlineEmbedSelector: null as unknown as string } }),
    ).toThrow(/widget\.inlineEmbedSelector/);
    expect(() =>
      createChat({ ...base, widget: { disableAttachment: 'yes' as unknown as boolean } }),
    ).toThrow(/widget\.disableAttachment/);
  });

  it('the types reject both and neither of tokenUrl / fetchToken', () => {
    // @ts-expect-error neither
    const neither: ChatOptions = { portalId: '1' };
    // @ts-expect-error both
    const both: ChatOptions = { portalId: '1', tokenUrl: '/t', fetchToken: async () => ({}) };
    expect([neither, both]).toHaveLength(2);
  });
});

describe('open() that could not happen', () => {
  it('is dropped at the next logout instead of firing at a later load', async () => {
    const h = setUp({ showAnonymous: false });
    h.chat.open(); // no widget to open: nobody signed in, showAnonymous false
    await h.advance(3000);
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(5000)]);
    expect(h.standIn.fake.state().isOpen).toBe(false);
  });
});

describe('destroy during an identified load', () => {
  it('leaves no instance that carries the identity', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    void h.chat.login().catch(() => {});
    await h.advance(5); // the load has been requested, the iframe not yet there
    await vi.waitFor(() => expect(hsWindow().HubSpotConversations).toBeDefined());
    h.chat.destroy();
    await h.advance(5000);
    expect(h.standIn.fake.state().identity.identified).toBe(false);
  });
});
