import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice } from './review2-helpers';

// Finding 2 without any page code: hide() + show() while alice's widget data is on its way make a
// second load on her shell (HubSpot defers it to the end of the shell's second, and it starts a
// second request). Her first request lands and loads: status() is { loaded: true, pending: false }
// although the second request is still in flight. logout() then retires her shell for 1.1 s only.
it('hide() + show() while alice’s widget loads, logout() once it shows: her second request never shows her', async () => {
  const h = setUp({ showAnonymous: false }, { widgetDataDelayMs: 1200 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(100)]);
  h.chat.hide();
  await h.advance(100);
  h.chat.show(); // HubSpot defers this load to the end of the shell's second (t ≈ 1000 ms)
  h.standIn.fake.config.widgetDataDelayMs = 3000; // that second request is slower (mobile network)
  await h.advance(1150); // the first request has landed and loaded (t ≈ 1220 ms)
  expect(h.standIn.fake.state().shown).toMatchObject({ email: alice });
  await h.chat.logout();
  await h.advance(6000);
  expect(h.chat.state).toBe('logged-out');
  expect(h.standIn.fake.state().shown).toBeNull();
});
