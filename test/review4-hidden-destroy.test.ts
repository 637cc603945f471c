import { expect, it } from 'vitest';
import { ChatError } from '../src';
import { setUp } from './harness';

// Found by the model test (seed 1164254218, after the review-3 fixes): logout, hide(), show(), then
// a login whose `state` listener destroys the chat. Two loads of the chat's were still to land
// (one in flight, one HubSpot deferred); the second showed the anonymous widget on the page of a
// destroyed chat.
it('hide() + show() after a logout, then destroy(): no widget lands afterwards', async () => {
  const h = setUp({}, { statusWithoutPending: true });
  await Promise.all([h.chat.start(), h.advance(0)]);
  await Promise.all([h.chat.logout(), h.advance(1)]);
  h.chat.hide();
  await h.advance(0);
  h.chat.show();
  await h.advance(0);
  h.tokens.push(() => Promise.reject(new ChatError('TOKEN_HTTP', '401', 401)));
  h.chat.on('state', (state) => {
    if (state === 'authenticating') h.chat.destroy();
  });
  await h.chat.login({ fresh: true }).catch(() => {});
  await h.advance(10_000);
  expect(h.chat.state).toBe('destroyed');
  expect(h.standIn.fake.state().loaded).toBe(false);
  expect(document.querySelector('[data-shell-generation]')).toBeNull();
});
