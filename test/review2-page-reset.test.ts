import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice, hubspot } from './review2-helpers';

// Finding 2, page's reset: adopt() retires the replaced shell with endShell(listened, noop, false)
// AFTER HubSpot's reset already set its pending to false: 1.1 s of watching only.
it('page’s own clear({ resetWidget: true }) (HubSpot’s documented logout) during alice’s delay, then logout(): no alice', async () => {
  const h = setUp({ showAnonymous: false }, { displayDelayMs: 2000 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(500)]);
  hubspot()?.clear({ resetWidget: true }); // the site's own logout code
  await h.chat.logout();
  await h.advance(5000);
  expect(h.chat.state).toBe('logged-out');
  expect(h.standIn.fake.state().shown).toBeNull();
});
