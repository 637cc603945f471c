// Cold review of the logout reasons (issue 19.13): the Vue provider's re-login after 'expired'/'refused'.
import { expect, it, vi } from 'vitest';
import { type ChatError, createChat } from '../../src/index';
import { expiringBackend } from '../expiring-backend';
import { mountProvider, setUp } from './harness';

// Sanity (passes): Vue, unlike React (F1), leaves an undefined signedIn alone.
it('F1 (Vue, for comparison): signedIn undefined: no login by the provider after an expiry', async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  let atLogout = -1;
  chat.on('logout', () => {
    atLogout = server.requests;
    server.up = true;
  });
  mountProvider({ chat });
  await chat.login();
  await t.advance();
  expect(chat.state).toBe('authenticated');
  server.up = false;
  await t.advance(700_000);
  expect(server.requests).toBe(atLogout);
  expect(chat.state).toBe('logged-out');
  chat.destroy();
});

it("F2 (Vue): an app listener that answers 'expired' with logout() is not undone by the provider", async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  const reasons: string[] = [];
  chat.on('logout', (reason) => {
    reasons.push(reason);
    server.up = true;
    if (reason === 'expired') void chat.logout({ forgetVisitor: true });
  });
  mountProvider({ chat, signedIn: 'u1' });
  await t.advance();
  expect(chat.state).toBe('authenticated');
  server.up = false;
  await t.advance(700_000);
  expect(reasons).toEqual(['expired', 'logout']);
  expect(chat.state).toBe('logged-out');
  chat.destroy();
});

it("F3 (Vue): a listener that destroys the chat on 'expired' gets no DESTROYED error from the provider", async () => {
  const t = setUp();
  const { server, fetchToken } = expiringBackend(t.standIn, () => new Error('offline'));
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  const onError = vi.fn();
  chat.on('logout', (reason) => reason === 'expired' && chat.destroy());
  mountProvider({ chat, signedIn: 'u1', onError });
  await t.advance();
  server.up = false;
  await t.advance(700_000);
  expect(chat.state).toBe('destroyed');
  const codes = onError.mock.calls.map((call) => (call[0] as ChatError).code);
  expect(codes).not.toContain('DESTROYED');
});
