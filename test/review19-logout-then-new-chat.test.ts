// Issue 19.2: a logout followed, in the same task, by a new chat (a re-keyed provider, a new
// createChat().start() in the same click handler) must not lose the logout's reset: the new chat
// takes over the page's one widget and carries the reset out, so the last visitor's anonymous
// thread and messagesUtk go.
import { expect, it } from 'vitest';
import { createChat } from '../src/index';
import { setUp } from './harness';

it("logout() then a new chat started in the same task: the last visitor's thread and messagesUtk go", async () => {
  const h = setUp();
  await Promise.all([h.chat.start(), h.advance(200)]);
  h.standIn.fake.simulate.startConversation('anonymous question');
  const before = h.standIn.fake.state().messagesUtk;
  expect(before).toMatch(/^[0-9a-f]{32}$/);

  // One click handler: sign out, then the app mounts a new provider (a new chat) right away.
  const loggedOut = h.chat.logout();
  const next = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
  void next.start();
  await Promise.all([loggedOut, h.advance(3000)]);

  const after = h.standIn.fake.state();
  expect(after.messagesUtk).not.toBe(before);
  expect(after.visibleThreads).toEqual([]);
  next.destroy();
});

it('a chat destroyed while its load waits for HubSpot leaves no listener on the widget (found by the model test)', async () => {
  const h = setUp({}, { initDelayMs: 0 });
  h.chat.open(); // starts loading HubSpot
  const loggedOut = h.chat.logout();
  const next = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
  void next.start();
  await h.advance(0);
  h.chat.destroy();
  await Promise.all([loggedOut, h.advance(20_000)]);
  next.destroy();
  expect(h.standIn.fake.state().listenerCounts).toEqual({});
});

it('destroy() from a logout listener, after the page replaced hsConversationsOnReady: no listener left (found by the model test, seed 1292433110)', async () => {
  const h = setUp({}, { initDelayMs: 0 });
  h.chat.on('logout', () => h.chat.destroy());
  h.chat.open(); // starts loading HubSpot
  await Promise.resolve();
  // HubSpot's documented pattern, run by page code: our ready callback is gone from the list.
  (window as unknown as { hsConversationsOnReady: unknown[] }).hsConversationsOnReady = [() => {}];
  await h.advance(1);
  void h.chat.logout();
  await h.advance(1);
  await h.advance(60_000);
  const next = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
  void next.start();
  await h.advance(20_000);
  next.destroy();
  expect(h.standIn.fake.state().listenerCounts).toEqual({});
});
