// Issue 19.3: the core can go back to consent 'pending' (`setConsent('pending')`, as a provider's
// `consent` prop says) and can be created with consent 'denied'.
import { expect, it } from 'vitest';
import { outcome, setUp, toldOtherTabs, validToken } from './harness';

const alice = 'alice@example.com';
const loader = () => document.getElementById('hs-script-loader');

it("setConsent('pending') before start(): nothing loads, open() is blocked for consent, login() waits for the grant", async () => {
  const h = setUp();
  h.tokens.push(validToken(h.standIn, alice));
  const seen: string[] = [];
  h.chat.on('consent', (consent) => seen.push(consent));
  h.chat.on('openBlocked', (reason) => seen.push(`blocked: ${reason}`));
  await h.chat.setConsent('pending');
  expect(h.chat.consent).toBe('pending');
  await h.chat.start();
  h.chat.open();
  const login = outcome(h.chat.login());
  await h.advance(5000);
  expect(loader()).toBeNull();
  expect(h.requests()).toBe(0);
  expect(document.cookie).not.toContain('messagesUtk');
  await Promise.all([h.chat.setConsent(true), h.advance(5000)]);
  expect(await login).toEqual({ value: { email: alice } });
  expect(h.standIn.fake.state().shells.map((s) => s.email)).toEqual([alice]);
  expect(seen).toEqual(['pending', 'blocked: consent', 'granted']);
});

it("setConsent('pending') after a login: in this tab a revocation (identity, widget, HubSpot's cookies); no other tab told; a grant brings the visitor back", async () => {
  const h = setUp();
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  expect(h.chat.loaded).toBe(true);
  const told = toldOtherTabs();
  await Promise.all([h.chat.setConsent('pending'), h.advance(3000)]);
  expect(h.chat.state).toBe('logged-out');
  expect(h.chat.loaded).toBe(false);
  expect(h.settings()).not.toHaveProperty('identificationEmail');
  expect(h.standIn.fake.state().hsp).toEqual([['revokeCookieConsent']]);
  expect(h.standIn.fake.state().hsq).toContainEqual(['doNotTrack']);
  expect(document.cookie).toBe('');
  expect(told).not.toContain('revoke');
  h.chat.open();
  const login = outcome(h.chat.login());
  await h.advance(3000);
  expect(h.chat.loaded).toBe(false);
  expect(h.requests()).toBe(1); // the login waits for the decision
  await Promise.all([h.chat.setConsent(true), h.advance(3000)]);
  expect(await login).toEqual({ value: { email: alice } });
  expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
});

it("setConsent('pending') while a login is in flight: its request is not retried before the grant", async () => {
  const h = setUp({ retries: 2, timeoutMs: 1000 });
  h.tokens.push(() => new Promise<never>(() => {}));
  const login = outcome(h.chat.login());
  await h.advance(10);
  await h.chat.setConsent('pending');
  await h.advance(10_000);
  expect(h.requests()).toBe(1);
  expect(await login).toMatchObject({ error: { code: 'ABORTED' } });
  expect(h.chat.state).toBe('anonymous');
});

it("consent: 'denied' at creation: nothing loads, login() rejects CONSENT_DENIED, a grant loads", async () => {
  const h = setUp({ consent: 'denied' });
  h.tokens.push(validToken(h.standIn, alice));
  expect(h.chat.consent).toBe('denied');
  await h.chat.start();
  const login = outcome(h.chat.login());
  await h.advance(5000);
  expect(await login).toMatchObject({ error: { code: 'CONSENT_DENIED' } });
  expect(loader()).toBeNull();
  expect(h.requests()).toBe(0);
  await Promise.all([h.chat.setConsent(true), h.advance(3000)]);
  expect(h.chat.loaded).toBe(true);
});
