// Issue 19.13: a chat that logged itself out while the app still says the visitor is signed in
// (its token expired and could not be renewed, or the endpoint refused a refresh) is logged in again
// by the provider, for the same key. Never after a logout the app or another tab made, nor after a
// login that failed (docs/decisions.md §30).
import { render } from '@testing-library/react';
import { expect, it, vi } from 'vitest';
import { ChatError, createChat } from '../../src/index';
import { expiringBackend } from '../expiring-backend';
import { email, provider, setUp } from './harness';

it('logs the visitor in again after the token expired while the network was down', async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  const reasons: string[] = [];
  // Subscribed before the provider: the network is back by the time the provider asks.
  chat.on('logout', (reason) => {
    reasons.push(reason);
    server.up = true;
  });
  render(provider({ chat, signedIn: 'u1' }));
  await t.advance();
  expect(chat.state).toBe('authenticated');
  server.up = false;
  await t.advance(700_000);
  expect(reasons).toEqual(['expired']);
  expect(chat.state).toBe('authenticated');
  expect(t.standIn.fake.state().identity).toEqual({ email: email('u1'), identified: true });
  chat.destroy();
});

it('logs the visitor in again after the endpoint refused a refresh (401)', async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(
    t.standIn,
    () => new ChatError('TOKEN_HTTP', 'Token request failed with status 401: fetchToken()', 401),
  );
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  const reasons: string[] = [];
  chat.on('logout', (reason) => {
    reasons.push(reason);
    server.up = true; // the session cookie was renewed meanwhile
  });
  render(provider({ chat, signedIn: 'u1' }));
  await t.advance();
  server.up = false;
  await t.advance(560_000);
  expect(reasons).toEqual(['refused']);
  expect(chat.state).toBe('authenticated');
  chat.destroy();
});

it('logs nobody in again after another tab logged out', async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('unused'));
  const chat = createChat({ portalId: '1234567', fetchToken });
  const reasons: string[] = [];
  chat.on('logout', (reason) => reasons.push(reason));
  render(provider({ chat, signedIn: 'u1' }));
  await t.advance();
  expect(server.requests).toBe(1);
  const otherTab = new BroadcastChannel('hubspot-visitor-chat');
  otherTab.postMessage({ type: 'logout' });
  await vi.waitFor(() => expect(reasons).toEqual(['tab']));
  await t.advance();
  otherTab.close();
  expect(chat.state).toBe('logged-out');
  expect(server.requests).toBe(1);
  chat.destroy();
});
