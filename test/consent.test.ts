// Issue 13: nothing of HubSpot's reaches the visitor before they agree, and all of it goes when
// they revoke.
import { describe, expect, it, vi } from 'vitest';
import { createChat, loadOnInteraction } from '../src/index';
import { outcome, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const hubspotGlobals = () =>
  [
    'hsConversationsSettings',
    'hsConversationsOnReady',
    'HubSpotConversations',
    '_hsq',
    '_hsp',
  ].filter((name) => name in window);

describe("consent: 'pending'", () => {
  it('lets nothing leave the page: no script, no globals, no cookie, no token request', async () => {
    const h = setUp({ consent: 'pending' });
    h.tokens.push(validToken(h.standIn, alice));
    const cookies = document.cookie;
    await h.chat.start(); // resolves at once: remembered
    const login = outcome(h.chat.login());
    h.chat.open();
    h.chat.pageView();
    await h.advance(5000);
    expect(document.getElementById('hs-script-loader')).toBeNull();
    expect(hubspotGlobals()).toEqual([]);
    expect(document.cookie).toBe(cookies);
    expect(h.requests()).toBe(0);
    expect(h.chat.state).toBe('anonymous');
    expect(h.chat.consent).toBe('pending');
    // The waiting login() settles with the decision.
    const granted = h.chat.setConsent(true);
    await h.advance(5000);
    await granted;
    expect(await login).toEqual({ value: { email: alice } });
    expect(h.requests()).toBe(1);
    expect(document.querySelectorAll('script#hs-script-loader')).toHaveLength(1);
    expect(h.standIn.fake.state().shells.map((s) => s.email)).toEqual([alice]);
    expect(h.events.filter((e) => e[0] === 'error')).toEqual([]);
  });

  it('setConsent(true) resolves when the deferred login has reached its state', async () => {
    const h = setUp({ consent: 'pending' });
    h.tokens.push(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { email: alice, token: h.standIn.fake.issueToken(alice) };
    });
    void h.chat.login().catch(() => {});
    let done = false;
    const granted = h.chat.setConsent(true).then(() => {
      done = true;
    });
    await h.advance(100);
    expect(done).toBe(false);
    await h.advance(3000);
    await granted;
    expect(h.chat.state).toBe('authenticated');
  });

  it('setConsent(false): the waiting login() rejects CONSENT_DENIED; nothing was requested', async () => {
    const h = setUp({ consent: 'pending' });
    h.tokens.push(validToken(h.standIn, alice));
    const seen: string[] = [];
    h.chat.on('consent', (consent) => seen.push(consent));
    const login = outcome(h.chat.login());
    await h.chat.setConsent(false);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'CONSENT_DENIED' }) });
    expect(h.chat.consent).toBe('denied');
    expect(seen).toEqual(['denied']);
    expect(h.requests()).toBe(0);
    expect(hubspotGlobals()).toEqual([]);
  });

  it('logout() drops the waiting login() with ABORTED and expires chat cookies that exist', async () => {
    const h = setUp({ consent: 'pending' });
    document.cookie = 'messagesUtk=earlier; path=/';
    const login = outcome(h.chat.login());
    await h.chat.logout();
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
    expect(document.cookie).not.toContain('messagesUtk');
    expect(hubspotGlobals()).toEqual([]);
  });

  it('respects load: loadOnInteraction once granted', async () => {
    const h = setUp({ consent: 'pending', load: loadOnInteraction });
    await h.chat.start();
    await h.chat.setConsent(true);
    await h.advance(3000);
    expect(document.getElementById('hs-script-loader')).toBeNull();
    window.dispatchEvent(new Event('keydown'));
    await h.advance(3000);
    expect(h.chat.loaded).toBe(true);
  });
});

describe('revocation: setConsent(false) after granted', () => {
  it('drops the identity, resets and removes the widget, expires every HubSpot cookie, tells _hsp', async () => {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    document.cookie = 'hubspotutk=abc; path=/';
    document.cookie = '__hstc=abc; path=/';
    document.cookie = 'hs-messages-hide-welcome-message=true; path=/';
    const revoked = h.chat.setConsent(false);
    expect(h.chat.state).toBe('logged-out'); // at once
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    await h.advance(3000);
    await revoked;
    expect(h.events.map((e) => e[0])).toContain('logout');
    expect(document.getElementById('hubspot-messages-iframe-container')).toBeNull();
    expect(h.standIn.fake.state().identity.identified).toBe(false);
    expect(h.chat.loaded).toBe(false);
    expect(document.cookie).toBe('');
    expect(h.standIn.fake.state().hsp).toEqual([['revokeCookieConsent']]);
    // HubSpot's tracking code is told too (issue 19.9).
    expect(h.standIn.fake.state().hsq).toContainEqual(['doNotTrack']);
    // No refresh later, and a login is refused without a request.
    await h.advance(700_000);
    expect(h.requests()).toBe(1);
    expect(await outcome(h.chat.login())).toEqual({
      error: expect.objectContaining({ code: 'CONSENT_DENIED' }),
    });
    expect(h.requests()).toBe(1);
  });

  it('while denied: start(), open() and pageView() do nothing; logout() resolves', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    await Promise.all([h.chat.setConsent(false), h.advance(3000)]);
    const shells = h.standIn.fake.state().shellGeneration;
    await h.chat.start();
    h.chat.open();
    h.chat.pageView();
    expect(await outcome(h.chat.logout())).toEqual({ value: undefined });
    await h.advance(3000);
    expect(h.standIn.fake.state()).toMatchObject({ shellGeneration: shells, loaded: false });
  });

  it('setConsent(true) after a refusal loads a fresh widget', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    await Promise.all([h.chat.setConsent(false), h.advance(3000)]);
    await Promise.all([h.chat.setConsent(true), h.advance(3000)]);
    expect(h.chat.consent).toBe('granted');
    expect(h.standIn.fake.state()).toMatchObject({
      loaded: true,
      identity: { identified: false },
    });
  });

  it('expires again the cookies of a loader still on its way when it has run (issue 19.9)', async () => {
    // A loader the stand-in does not run by itself: on its way until the test runs it.
    const h = setUp({ scriptUrl: '/slow-loader.js' });
    void h.chat.start();
    await h.advance(100);
    const loader = document.getElementById('hs-script-loader');
    expect(loader).not.toBeNull();
    await Promise.all([h.chat.setConsent(false), h.advance(100)]);
    // It runs now, and its tracking code writes its cookies (one that ignores doNotTrack).
    document.cookie = 'hubspotutk=abc; path=/';
    document.cookie = '__hssrc=1; path=/';
    loader?.dispatchEvent(new Event('load'));
    expect(document.cookie).toBe('');
  });

  it('revokes in the other tabs too (syncTabs)', async () => {
    vi.useRealTimers();
    const h = setUp({ syncTabs: true }, {}, { fakeTimers: false });
    const other = createChat({
      portalId: '1234567',
      fetchToken: validToken(h.standIn, alice),
      syncTabs: true,
    });
    try {
      await h.chat.start();
      await other.start();
      await h.chat.setConsent(false);
      await vi.waitFor(() => expect(other.consent).toBe('denied'), { timeout: 5000 });
    } finally {
      other.destroy();
    }
  });

  it('destroy() while a login waits for consent rejects it, as any superseded login', async () => {
    const h = setUp({ consent: 'pending' });
    const login = outcome(h.chat.login());
    h.chat.destroy();
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
  });
});
