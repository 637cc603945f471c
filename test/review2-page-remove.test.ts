import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice, hubspot } from './review2-helpers';

// Finding 2: endShell() trusts status().pending, but HubSpot's remove() (and a reset) sets the shell's
// pending to false while its widget-data request / display-delay timer still runs. When the page
// itself removed the loading widget (HubSpot documents widget.remove()), the SDK's later reset gives
// alice's shell only THROTTLE_MS + 100 ms of watching; her iframe lands after that, unwatched.
it('page’s own widget.remove() during alice’s display delay, then logout(): no alice on the page (showAnonymous: false)', async () => {
  const h = setUp({ showAnonymous: false }, { displayDelayMs: 2000 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(500)]);
  hubspot()?.widget.remove(); // page code, e.g. a route without chat; HubSpot cancels nothing
  await h.chat.logout();
  await h.advance(5000);
  expect(h.chat.state).toBe('logged-out');
  expect(h.standIn.fake.state().shown).toBeNull();
});
