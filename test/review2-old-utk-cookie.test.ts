import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice } from './review2-helpers';

// Finding 7 (stand-in fidelity, or a leak: one of the two is wrong). After logout() during alice's
// display delay, old-shells.ts removes alice's late container at its iframe's `load`; the stand-in's
// old shell still writes `messagesUtk` with alice's thread key a macrotask later (iframeLoaded() stores
// it whether or not its iframe is still on the page). A removed iframe cannot ask HubSpot's shell for
// `store-messages-cookie`, so the stand-in should not write it; if HubSpot's real visitor UI does ask
// during its load, the SDK lets the previous person's messagesUtk survive the logout.
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
