// Cold review of issue 19 (React): the provider never logs a visitor back in on its own, and never
// retries a failed login while the key stays the same.
import { act, render } from '@testing-library/react';
import { expect, it, vi } from 'vitest';
import { createChat } from '../../src/index';
import { provider, setUp } from './harness';

it('a failed login is not retried while the key stays the same: a later logout (another tab, the app) does not retry it', async () => {
  const t = setUp();
  const onError = vi.fn();
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken, retries: 0 });
  t.server.user = null; // u1's login fails
  render(provider({ chat, signedIn: 'u1', onError }));
  await t.advance();
  expect(chat.state).toBe('anonymous');
  expect(t.server.requests).toBe(1);
  // Another tab logs out (or the app calls logout()): the chat emits 'logout'.
  await act(async () => {
    await chat.logout();
  });
  await t.advance();
  expect(t.server.requests).toBe(1); // "not retried until the key changes"
  chat.destroy();
});

it('a failed switch to a new key is not retried when the effect re-ran meanwhile (consent prop given while the login is in flight)', async () => {
  const t = setUp();
  const onError = vi.fn();
  let answer: ((user: string | null) => void) | undefined;
  const fetchToken = () =>
    new Promise<{ email: string; token: string }>((resolve, reject) => {
      t.server.requests++;
      answer = (user) =>
        user
          ? resolve({
              email: `${user}@example.com`,
              token: t.standIn.fake.issueToken(`${user}@example.com`),
            })
          : reject(new Error('network'));
    });
  const app = (signedIn: string, consent?: 'granted') =>
    provider({ portalId: '1234567', fetchToken, retries: 0, signedIn, consent, onError });
  const view = render(app('u1'));
  await t.advance(10);
  answer?.('u1');
  await t.advance();
  expect(t.standIn.fake.state().identity).toEqual({ email: 'u1@example.com', identified: true });
  view.rerender(app('u2')); // the switch: its request is in flight
  await t.advance(10);
  view.rerender(app('u2', 'granted')); // the consent manager reports: the effect runs again
  await t.advance(10);
  answer?.(null); // u2's request fails: u1 is logged out (sessionOver) — 'logout' is emitted
  await t.advance();
  expect(t.server.requests).toBe(2); // u1's and u2's: u2's failed login is not asked again
});

it('an app that calls logout() (a "leave chat" button) while signedIn names a user: is the visitor logged straight back in?', async () => {
  const t = setUp();
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  t.server.user = 'u1';
  render(provider({ chat, signedIn: 'u1' }));
  await t.advance();
  expect(chat.state).toBe('authenticated');
  await act(async () => {
    await chat.logout({ forgetVisitor: true });
  });
  await t.advance();
  expect(chat.state).toBe('logged-out');
  chat.destroy();
});

it('sign-out as the guide orders it (chat.logout(), then the server session ends, then signedIn=false): the leaving visitor is never identified again', async () => {
  const t = setUp();
  const posts: string[] = [];
  vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation((m: unknown) => {
    posts.push((m as { type: string }).type);
  });
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  t.server.user = 'u1';
  const app = (signedIn: string | false) => provider({ chat, signedIn });
  const view = render(app('u1'));
  await t.advance();
  const shells = t.standIn.fake.state().shells.length;
  const requests = t.server.requests;
  posts.length = 0;
  // The app's sign-out handler: the chat first, then its own session.
  await act(async () => {
    const done = chat.logout();
    await vi.advanceTimersByTimeAsync(200); // the server's /logout round trip
    t.server.user = null;
    await done;
  });
  view.rerender(app(false));
  await t.advance();
  const state = t.standIn.fake.state();
  expect(t.server.requests).toBe(requests);
  expect(state.shells.slice(shells).map((s) => s.email)).not.toContain('u1@example.com');
  expect(posts).not.toContain('login');
  chat.destroy();
});
