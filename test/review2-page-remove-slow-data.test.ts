import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice, hubspot } from './review2-helpers';

// Finding 2, without a display delay: a widget-data answer that takes 1.5 s.
it('page’s own widget.remove() while alice’s widget data takes 1.5 s, then logout(): no alice', async () => {
  const h = setUp({ showAnonymous: false }, { widgetDataDelayMs: 1500 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(100)]);
  hubspot()?.widget.remove();
  await h.chat.logout();
  await h.advance(5000);
  expect(h.chat.state).toBe('logged-out');
  expect(h.standIn.fake.state().shown).toBeNull();
});
