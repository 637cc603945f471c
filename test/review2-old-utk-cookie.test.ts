import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice } from './review2-helpers';

// Review finding (a leak, confirmed on HubSpot's real embed): after logout() during alice's display
// delay, alice's late container is removed at its iframe's `load`; her shell's panel has asked it
// to store her `messagesUtk` as it started. The SDK expires that cookie (docs/hubspot.md §7).
it('logout() during alice’s display delay: her shell’s messagesUtk is not on the page afterwards', async () => {
  const h = setUp({ showAnonymous: false }, { displayDelayMs: 2000 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(500)]);
  const aliceUtk = h.standIn.fake.state().widgetRequests.at(-1)?.messagesUtk;
  await h.chat.logout();
  expect(h.standIn.fake.state().messagesUtk).toBeNull();
  await h.advance(5000);
  expect(h.standIn.fake.state().shown).toBeNull(); // the SDK did remove her container
  expect(h.standIn.fake.state().messagesUtk).not.toBe(aliceUtk);
});
