import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice } from './review2-helpers';

// Finding 5: endShell() observes the <body> of the moment. Apps that swap <body> on navigation
// (Turbo Drive / Hotwire, some PJAX routers) do it right after a logout click: HubSpot appends the old
// shell's container to the new <body>, which nobody observes.
it('logout() then a navigation that replaces <body> (Turbo Drive) during alice’s display delay: no alice', async () => {
  const h = setUp({ showAnonymous: false }, { displayDelayMs: 2000 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(500)]);
  await h.chat.logout();
  // Turbo Drive: the response's <body> replaces the old one (HubSpot's loader tag moves along).
  const next = document.createElement('body');
  for (const node of [...document.body.childNodes]) next.append(node);
  document.documentElement.replaceChild(next, document.body);
  await h.advance(5000);
  expect(h.chat.state).toBe('logged-out');
  expect(h.standIn.fake.state().shown).toBeNull();
});
