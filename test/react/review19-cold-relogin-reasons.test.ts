// Cold review of the logout reasons (issue 19.13): the React provider's re-login after 'expired'/'refused'.
import { act, render } from '@testing-library/react';
import { createElement, useEffect, useState } from 'react';
import { expect, it, vi } from 'vitest';
import { type Chat, type ChatError, createChat } from '../../src/index';
import { useChatEvent, useHubSpotChat } from '../../src/react/index';
import { expiringBackend } from '../expiring-backend';
import { email, provider, setUp, strict } from './harness';

/** Listens to the provider's chat's `logout` from a child's effect (which runs before the provider's). */
function ExpiryPolicy({ onLogout }: { onLogout: (reason: string, chat: Chat) => void }) {
  const { chat } = useHubSpotChat() as unknown as { chat: Chat };
  useEffect(() => chat.on('logout', (reason) => onLogout(reason, chat)), [chat, onLogout]);
  return null;
}

/** Signs out (the guide's order, in `signOut`) when the chat says its token expired. */
function SessionPolicy({ onExpired }: { onExpired: () => void }) {
  useChatEvent('logout', (reason) => {
    if (reason === 'expired') onExpired();
  });
  return null;
}

/** An app whose user is u1 until `signOut` sets it to nobody. */
function SessionApp({
  chat,
  signOut,
}: {
  chat: Chat;
  signOut: (setUser: (user: string | false) => void) => Promise<void>;
}) {
  const [user, setUser] = useState<string | false>('u1');
  return provider(
    { chat, signedIn: user },
    createElement(SessionPolicy, { onExpired: () => void signOut(setUser) }),
  );
}

// F1: `signedIn` undefined "leaves the identity alone" — but `undefined === loginKeys.get(chat)`
// is true for a chat no provider ever logged in, so the provider logs in by itself.
it('F1: signedIn left undefined (the app manages login itself): the provider does not log in after an expiry', async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  const reasons: string[] = [];
  let atLogout = -1;
  chat.on('logout', (reason) => {
    reasons.push(reason);
    atLogout = server.requests;
    server.up = true; // the network is back by the time anybody asks
  });
  render(provider({ chat })); // signedIn undefined: "leaves the identity alone"
  await act(async () => {
    await chat.login(); // the app's own login
  });
  await t.advance();
  expect(chat.state).toBe('authenticated');
  server.up = false;
  await t.advance(700_000);
  expect(reasons).toEqual(['expired']);
  // The app decides: the provider must not have asked for a token after the logout.
  expect(server.requests).toBe(atLogout);
  expect(chat.state).toBe('logged-out');
  chat.destroy();
});

// F2: the 'logout' emit delivers the stale reason to the provider's listener after an earlier
// listener already called logout(): the provider's login() is then the later call and wins.
it("F2: an app listener that answers 'expired' with logout() is not undone by the provider", async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  const reasons: string[] = [];
  // A child's effect (children's effects run before the provider's): on expiry, log the chat out
  // (and forget the visitor) rather than renew it.
  const onLogout = (reason: string, chat: Chat) => {
    reasons.push(reason);
    server.up = true;
    if (reason === 'expired') void chat.logout({ forgetVisitor: true });
  };
  render(provider({ chat, signedIn: 'u1' }, createElement(ExpiryPolicy, { onLogout })));
  await t.advance();
  expect(chat.state).toBe('authenticated');
  server.up = false;
  await t.advance(700_000);
  expect(reasons).toEqual(['expired', 'logout']);
  // The app's logout() came last: nobody is identified.
  expect(chat.state).toBe('logged-out');
  expect(t.standIn.fake.state().identity?.identified ?? false).toBe(false);
  chat.destroy();
});

// F3: a listener that destroys the chat on 'expired': the provider's re-login rejects DESTROYED,
// which it hands to onError as a failure.
it("F3: a listener that destroys the chat on 'expired' gets no DESTROYED error from the provider", async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  const onError = vi.fn();
  chat.on('logout', (reason) => reason === 'expired' && chat.destroy());
  render(provider({ chat, signedIn: 'u1', onError }));
  await t.advance();
  server.up = false;
  await t.advance(700_000);
  expect(chat.state).toBe('destroyed');
  const codes = onError.mock.calls.map((call) => (call[0] as ChatError).code);
  expect(codes).not.toContain('DESTROYED');
});

// Sanity (expected to pass): StrictMode gives one re-login, not two.
it('StrictMode: one re-login request after an expiry', async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  let atLogout = -1;
  chat.on('logout', () => {
    atLogout = server.requests;
    server.up = true;
  });
  render(strict(provider({ chat, signedIn: 'u1' })));
  await t.advance();
  expect(server.requests).toBe(1);
  server.up = false;
  await t.advance(700_000);
  expect(chat.state).toBe('authenticated');
  expect(server.requests).toBe(atLogout + 1); // one re-login
  chat.destroy();
});

// F2b: the same through the public hook, with the sign-out the guide orders (chat.logout(), the
// server's /logout, then signedIn=false) run from a useChatEvent('logout') listener on 'expired'.
it("F2b: sign-out on 'expired' from useChatEvent: the leaving visitor is not identified again nor announced to other tabs", async () => {
  const t = setUp();
  const posts: string[] = [];
  vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation((m: unknown) => {
    posts.push((m as { type: string }).type);
  });
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  let signedOut = false;
  // The server answers for u1 until its session ends.
  const gated = async () => {
    if (signedOut) throw new Error('401: nobody is signed in');
    return fetchToken();
  };
  const chat = createChat({ portalId: '1234567', fetchToken: gated, retries: 0 });
  const signOut = async (setUser: (user: string | false) => void) => {
    server.up = true; // network back
    await chat.logout();
    await new Promise((r) => setTimeout(r, 200)); // the server's /logout round trip
    signedOut = true;
    setUser(false);
  };
  render(createElement(SessionApp, { chat, signOut }));
  await t.advance();
  expect(chat.state).toBe('authenticated');
  const shells = t.standIn.fake.state().shells.length;
  server.up = false;
  posts.length = 0;
  await t.advance(600_000);
  await t.advance(5000);
  const state = t.standIn.fake.state();
  expect(chat.state).toBe('logged-out');
  expect(state.shells.slice(shells).map((s) => s.email)).not.toContain(email('u1'));
  expect(posts).not.toContain('login');
  chat.destroy();
});
