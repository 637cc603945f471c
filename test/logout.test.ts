import { describe, expect, it } from 'vitest';
import { names, outcome, setUp, states, validToken } from './harness';

const alice = 'alice@example.com';
const chatCookies = () =>
  document.cookie
    .split(';')
    .map((c) => c.trim().split('=')[0])
    .filter((name) => name === 'messagesUtk' || name?.startsWith('hs-messages'));

describe('logout()', () => {
  it("drops the identity at once, resets the widget and leaves none of alice's conversations", async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.standIn.fake.simulate.startConversation('my order #1');
    h.standIn.fake.simulate.userOpen();
    expect(chatCookies()).toContain('hs-messages-is-open');
    h.events.length = 0;

    const logout = h.chat.logout();
    expect(h.chat.state).toBe('logged-out');
    expect(h.chat.identity).toBeNull();
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    expect(h.settings()).not.toHaveProperty('identificationToken');
    await h.advance(3000);
    await logout;

    expect(states(h.events)).toEqual(['logged-out']);
    expect(names(h.events)).toEqual(['state', 'logout', 'widgetLoaded']);
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 2,
      loaded: true,
      identity: { email: '', identified: false },
      visibleThreads: [],
    });
    expect(chatCookies()).toEqual(['messagesUtk']); // a fresh anonymous one, written by the new instance
    // HubSpot's tracking cookies, which its loader wrote, stay: only forgetVisitor expires them.
    expect(Object.keys(h.standIn.fake.state().cookies)).toEqual([
      'messagesUtk',
      'hubspotutk',
      '__hstc',
      '__hssc',
      '__hssrc',
    ]);
  });

  it("gives the next anonymous visitor a new messagesUtk, so the last visitor's anonymous chat is gone", async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(200)]);
    h.standIn.fake.simulate.startConversation('anonymous question');
    const before = h.standIn.fake.state().messagesUtk;
    expect(before).toMatch(/^[0-9a-f]{32}$/);
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    expect(h.chat.state).toBe('logged-out');
    const after = h.standIn.fake.state();
    expect(after.messagesUtk).not.toBe(before);
    expect(after.visibleThreads).toEqual([]);
  });

  it('removes the widget after logout without showAnonymous', async () => {
    const h = setUp({ showAnonymous: false });
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(document.querySelector('#hubspot-messages-iframe-container')).not.toBeNull();
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    expect(document.querySelector('#hubspot-messages-iframe-container')).toBeNull();
    expect(h.standIn.fake.state().shellGeneration).toBe(1);
  });

  it("expires the chat cookies itself when no instance exists (HubSpot's stub clear() deletes nothing)", async () => {
    const h = setUp();
    document.cookie = 'messagesUtk=0123456789abcdef0123456789abcdef; path=/';
    document.cookie = 'hs-messages-is-open=true; path=/; domain=.example.com';
    document.cookie = 'hs-messages-hide-welcome-message=true; path=/';
    document.cookie = 'hubspotutk=keep-me; path=/';
    await Promise.all([h.chat.logout(), h.advance(10)]);
    expect(chatCookies()).toEqual([]);
    expect(document.cookie).toContain('hubspotutk=keep-me');
    expect(h.chat.state).toBe('logged-out');
    expect(document.getElementById('hs-script-loader')).toBeNull(); // logout does not load HubSpot
  });

  it('expires the cookies while a page-load login is still fetching its token', async () => {
    const h = setUp();
    document.cookie = 'messagesUtk=0123456789abcdef0123456789abcdef; path=/';
    h.tokens.push(() => new Promise(() => {}));
    const login = outcome(h.chat.login());
    await h.advance(100);
    await Promise.all([h.chat.logout(), h.advance(10)]);
    expect(chatCookies()).not.toContain('messagesUtk');
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
  });

  it('aborts a token request in flight and never applies the token that arrives after', async () => {
    const h = setUp();
    let signal: AbortSignal | undefined;
    let deliver: (value: unknown) => void = () => {};
    h.tokens.push((s) => {
      signal = s;
      return new Promise((resolve) => {
        deliver = resolve;
      });
    });
    const login = outcome(h.chat.login());
    await h.advance(100);
    await Promise.all([h.chat.logout(), h.advance(10)]);
    expect(signal?.aborted).toBe(true);
    deliver({ email: alice, token: h.standIn.fake.issueToken(alice) });
    await h.advance(3000);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
    expect(h.chat.state).toBe('logged-out');
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    expect(h.standIn.fake.state().identity.identified).toBe(false);
    expect(names(h.events)).not.toContain('error');
  });

  it('ends in logged-out from anonymous too, and never rejects', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(200)]);
    const logout = outcome(h.chat.logout());
    await h.advance(3000);
    expect(await logout).toEqual({ value: undefined });
    expect(states(h.events)).toEqual(['logged-out']);
  });
});
