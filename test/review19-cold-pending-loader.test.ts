// Cold review: setConsent('pending') while HubSpot's loader is still on its way. 'pending' keeps the
// cookies HubSpot already set (by design), but pushes no ['doNotTrack'] and expires nothing, so the
// loader writes HubSpot's tracking cookies for the first time while consent is pending.
import { expect, it } from 'vitest';
import { setUp } from './harness';

it("a loader still on its way when consent goes back to 'pending' sets no cookie", async () => {
  const h = setUp();
  void h.chat.start(); // the loader is inserted
  expect(document.getElementById('hs-script-loader')).not.toBeNull();
  expect(document.cookie).toBe(''); // a first visit: no HubSpot cookie yet
  await Promise.all([h.chat.setConsent('pending'), h.advance(3000)]);
  expect(h.chat.consent).toBe('pending');
  expect(document.cookie).toBe('');
});
