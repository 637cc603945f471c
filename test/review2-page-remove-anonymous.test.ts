import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice, hubspot } from './review2-helpers';

// Finding 2, with showAnonymous (the default): alice's container lands first, unwatched, and the
// anonymous shell is refused ("already exists") and stays pending: alice's chat stays, for good.
it('page’s own widget.remove() during alice’s display delay, then logout(): the anonymous widget, not alice’s', async () => {
  const h = setUp({}, { displayDelayMs: 2000 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(500)]);
  hubspot()?.widget.remove();
  await h.chat.logout();
  await h.advance(5000);
  expect(h.chat.state).toBe('logged-out');
  expect(h.standIn.fake.state().shown).toMatchObject({ identified: false });
  expect(h.standIn.fake.state().loaded).toBe(true);
});
