// Cold review: a grant, then 'pending' (the visitor reopened the banner), then 'denied' (the visitor
// refuses): the denial finds consent 'pending', not 'granted', and returns before anything of a
// revocation runs (create-chat.ts revoke(): `if (!wasGranted) return;`).
import { expect, it } from 'vitest';
import { setUp, toldOtherTabs, validToken } from './harness';

const alice = 'alice@example.com';

it("granted → 'pending' → denied: HubSpot's cookies and consent are revoked as for granted → denied", async () => {
  const h = setUp();
  const posts = toldOtherTabs();
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  document.cookie = 'messagesUtk=0123456789abcdef; path=/';
  await Promise.all([h.chat.setConsent('pending'), h.advance(3000)]);
  await Promise.all([h.chat.setConsent(false), h.advance(3000)]);
  expect(h.chat.consent).toBe('denied');
  const after = h.standIn.fake.state();
  expect(after.cookies).toEqual({}); // every HubSpot cookie expired
  expect(after.hsp).toContainEqual(['revokeCookieConsent']);
  expect(posts).toContain('revoke');
});

it('control: granted → denied expires them', async () => {
  const h = setUp();
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  document.cookie = 'messagesUtk=0123456789abcdef; path=/';
  await Promise.all([h.chat.setConsent(false), h.advance(3000)]);
  expect(h.standIn.fake.state().cookies).toEqual({});
});
