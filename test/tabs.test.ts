import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTabSync } from '../src/tabs';
import { outcome, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const CHANNEL = 'hubspot-visitor-chat';

/** What a raw listener on the SDK's channel hears, as another tab would. */
function listen() {
  const heard: unknown[] = [];
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event) => heard.push(event.data);
  return {
    heard,
    post: (data: unknown) => channel.postMessage(data),
    close: () => channel.close(),
  };
}

const until = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 10 });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createTabSync', () => {
  it('tells the other tabs, not itself, and sends only the message type', async () => {
    const got: string[] = [];
    const a = createTabSync((m) => got.push(`a:${m}`));
    const b = createTabSync((m) => got.push(`b:${m}`));
    const other = listen();
    a.post('logout');
    b.post('login');
    await until(() => expect(got.sort()).toEqual(['a:login', 'b:logout']));
    await until(() => expect(other.heard).toHaveLength(2));
    for (const message of other.heard) expect(Object.keys(message as object)).toEqual(['type']);
    a.close();
    b.close();
    other.close();
  });

  it('without BroadcastChannel (Safari before 15.4) tells no tab and throws nothing', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const got: string[] = [];
    const sync = createTabSync((m) => got.push(m));
    sync.post('logout');
    expect(localStorage.length).toBe(0);
    window.dispatchEvent(
      new StorageEvent('storage', { key: CHANNEL, newValue: '{"type":"logout"}' }),
    );
    expect(got).toEqual([]);
    sync.close();
    vi.unstubAllGlobals();
  });
});

// Real timers here (BroadcastChannel delivers outside fake time): allow for a busy machine.
describe('syncTabs', { timeout: 30_000 }, () => {
  it('logs out when another tab logs out, exactly like a local logout', async () => {
    const h = setUp({}, {}, { fakeTimers: false });
    h.tokens.push(validToken(h.standIn, alice));
    await h.chat.login();
    const other = listen();
    other.post({ type: 'logout', from: 'another-tab' });
    await until(() => expect(h.chat.state).toBe('logged-out'));
    expect(h.settings()).not.toHaveProperty('identificationToken');
    await until(() =>
      expect(h.standIn.fake.state()).toMatchObject({
        loaded: true,
        identity: { identified: false },
      }),
    );
    expect(other.heard).toEqual([]); // a logout caused by another tab is not echoed back
    other.close();
  });

  it('calls login() itself, with its own token request, when another tab logs in', async () => {
    const h = setUp({}, {}, { fakeTimers: false });
    h.tokens.push(validToken(h.standIn, alice));
    await h.chat.start();
    const other = listen();
    other.post({ type: 'login', from: 'another-tab' });
    await until(() => expect(h.chat.state).toBe('authenticated'));
    expect(h.requests()).toBe(1);
    expect(other.heard).toEqual([]); // a login caused by another tab is not echoed
    other.close();
  });

  it('tells other tabs of local logins and logouts, never with a token or email', async () => {
    const h = setUp({}, {}, { fakeTimers: false });
    let token = '';
    h.tokens.push(async () => {
      token = h.standIn.fake.issueToken(alice);
      return { email: alice, token };
    });
    const other = listen();
    await h.chat.login();
    await h.chat.login(); // a refresh for the same visitor tells nobody
    await h.chat.logout();
    await until(() =>
      expect(other.heard.map((m) => (m as { type: string }).type)).toEqual(['login', 'logout']),
    );
    expect(JSON.stringify(other.heard)).not.toContain(token);
    expect(JSON.stringify(other.heard)).not.toContain(alice);
    other.close();
  });

  it('ignores other tabs with syncTabs: false', async () => {
    const h = setUp({ syncTabs: false }, {}, { fakeTimers: false });
    h.tokens.push(validToken(h.standIn, alice));
    await h.chat.login();
    const other = listen();
    other.post({ type: 'logout', from: 'another-tab' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.chat.state).toBe('authenticated');
    await h.chat.logout();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(other.heard).toEqual([]);
    other.close();
  });

  it('stops listening after destroy()', async () => {
    const h = setUp({}, {}, { fakeTimers: false });
    h.tokens.push(validToken(h.standIn, alice));
    await h.chat.start();
    h.chat.destroy();
    const other = listen();
    other.post({ type: 'login', from: 'another-tab' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.requests()).toBe(0);
    expect(await outcome(h.chat.login())).toEqual({
      error: expect.objectContaining({ code: 'DESTROYED' }),
    });
    other.close();
  });
});
