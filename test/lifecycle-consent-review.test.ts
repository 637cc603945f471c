// Issues 12 and 13, found by a cold review of the first version: each test failed on that commit.
// Review of 9a5fef7 (issues 12 and 13). Each test reproduces one finding and FAILS on 9a5fef7.
import { describe, expect, it, vi } from 'vitest';
import { createChat, loadOnInteraction, mountLauncher } from '../src/index';
import { outcome, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';

const loaderScript = () => document.getElementById('hs-script-loader');
const widgetRoot = () => document.getElementById('hubspot-messages-iframe-container');
const w = () =>
  window as unknown as { hsConversationsSettings?: Record<string, unknown>; _hsq?: unknown[] };

describe('review 12: pageView()', () => {
  it('P1 a route change merged into a trailing refresh is lost when a load came between the first request and it', async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    try {
      await Promise.all([h.chat.start(), h.advance(3000)]);
      history.pushState({}, '', '/a');
      h.chat.pageView(); // refreshed at once
      await h.advance(100);
      history.pushState({}, '', '/b');
      h.chat.pageView(); // merged: a trailing refresh ~900 ms later
      await h.advance(50);
      h.chat.hide();
      await h.advance(50);
      h.chat.show(); // widget.load() again: reads /b
      await h.advance(400);
      expect(h.chat.loaded).toBe(true);
      history.pushState({}, '', '/no-chat'); // a later route change, after that load
      h.chat.pageView(); // merged into the pending trailing refresh…
      await h.advance(5000);
      // …which is then dropped because "a load happened since the oldest request": /no-chat is
      // never refreshed and the widget stays on a route with no chatflow.
      expect(widgetRoot()).toBeNull();
    } finally {
      history.pushState({}, '', '/account');
    }
  });

  it("P2 no refresh while HubSpot's own load is still in flight (display delay): the route change is lost", async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat'), displayDelayMs: 3000 });
    try {
      void h.chat.start();
      await h.advance(1500); // load requested, HubSpot still pending (display delay)
      expect(h.standIn.fake.state().pending).toBe(true);
      history.pushState({}, '', '/no-chat');
      h.chat.pageView();
      await h.advance(6000);
      // HubSpot ignores refresh() while loading (docs/hubspot.md §4): the SDK sent it anyway (no
      // later one) and the widget ends up shown on a route with no chatflow.
      expect(widgetRoot()).toBeNull();
    } finally {
      history.pushState({}, '', '/account');
    }
  });

  it("P3 trackPageViews with load:'interaction' creates HubSpot's _hsq before the gate opens (decisions §13)", async () => {
    const h = setUp({ load: loadOnInteraction, trackPageViews: true });
    await h.chat.start();
    h.chat.pageView();
    await h.advance(1000);
    expect(loaderScript()).toBeNull(); // the gate is closed…
    expect('_hsq' in window).toBe(false); // …yet a HubSpot global exists
  });

  it("P4 the loaded event (and the launcher) follow HubSpot's targeting removing the widget on pageView()", async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    try {
      const seen: boolean[] = [];
      h.chat.on('loaded', (loaded) => seen.push(loaded));
      mountLauncher(h.chat, { label: 'Targeting launcher' });
      await Promise.all([h.chat.start(), h.advance(3000)]);
      history.pushState({}, '', '/no-chat');
      h.chat.pageView();
      await h.advance(3000);
      expect(widgetRoot()).toBeNull();
      expect(h.chat.loaded).toBe(false);
      // TSDoc: "HubSpot's widget appeared on the page (true) or was removed (false)".
      expect(seen).toEqual([true, false]);
      // No widget can come on this page: no launcher either (issue 19.7, docs/decisions.md §27).
      // Before issue 19 it came back here, as for a widget removed for any other reason.
      expect(document.querySelector('button[aria-label="Targeting launcher"]')).toBeNull();
    } finally {
      history.pushState({}, '', '/account');
    }
  });
});

describe('review 12: launcher', () => {
  it('L1 stays aria-busy forever when its click cannot load the widget (hidden, consent pending)', async () => {
    const h = setUp({ consent: 'pending' });
    mountLauncher(h.chat, { label: 'Busy launcher' });
    await h.chat.start();
    const button = document.querySelector<HTMLButtonElement>('button[aria-label="Busy launcher"]');
    button?.click(); // open() does nothing without consent
    await h.advance(20_000);
    expect(h.chat.loaded).toBe(false);
    expect(button?.isConnected).toBe(true);
    expect(button?.getAttribute('aria-busy')).not.toBe('true');
  });

  it('L1b … and after hide(): since issue 19.7 no launcher at all while hidden, so none left busy', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    h.chat.hide();
    await h.advance(100);
    mountLauncher(h.chat, { label: 'Hidden launcher' });
    await h.advance(20_000);
    expect(h.chat.loaded).toBe(false);
    expect(document.querySelector('button[aria-label="Hidden launcher"]')).toBeNull();
  });
});

describe('review 12: launcher (2)', () => {
  it("L1c … and when HubSpot's script never comes (WIDGET_UNAVAILABLE)", async () => {
    const h = setUp({ readyTimeoutMs: 2000 }, { blocked: true });
    mountLauncher(h.chat, { label: 'Blocked launcher' });
    const button = document.querySelector<HTMLButtonElement>(
      'button[aria-label="Blocked launcher"]',
    );
    button?.click();
    await h.advance(20_000);
    expect(h.events.map((e) => e[0])).toContain('error');
    expect(button?.getAttribute('aria-busy')).not.toBe('true');
  });
});

describe('review 13: consent', () => {
  it('C1 while denied, start(), logout(), hide() and show() still write hsConversationsSettings (rule 1)', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    await Promise.all([h.chat.setConsent(false), h.advance(3000)]);
    const writes: string[] = [];
    const original = w().hsConversationsSettings ?? {};
    w().hsConversationsSettings = new Proxy(original, {
      set(target, key, value) {
        writes.push(`set ${String(key)}`);
        return Reflect.set(target, key, value);
      },
      deleteProperty(target, key) {
        writes.push(`delete ${String(key)}`);
        return Reflect.deleteProperty(target, key);
      },
    });
    await h.chat.start();
    await h.chat.logout();
    h.chat.hide();
    h.chat.show();
    await h.advance(3000);
    expect(writes).toEqual([]);
  });

  it('C2 revoking during a switch alice → bob leaves state anonymous with no logout event (rule 4)', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice), validToken(h.standIn, bob));
    await Promise.all([h.chat.login(), h.advance(1)]);
    // Revoked the moment bob's token replaces alice (authenticating, the reset to bob under way).
    let revoked: Promise<void> | undefined;
    let before = 0;
    h.chat.on('state', (state, previous) => {
      if (state !== 'authenticating' || previous !== 'authenticated' || revoked) return;
      before = h.events.length;
      revoked = h.chat.setConsent(false);
    });
    const switching = outcome(h.chat.login());
    await h.advance(3000);
    expect(revoked).toBeDefined();
    await revoked;
    await switching;
    // alice was identified until a moment ago: revocation must end in logged-out with a logout event.
    expect(h.chat.state).toBe('logged-out');
    expect(h.events.slice(before).map((e) => e[0])).toContain('logout');
  });

  it('C3 a login() in flight when consent is withdrawn rejects ABORTED, though CONSENT_DENIED is documented for "refused (or withdrew)"', async () => {
    const h = setUp();
    h.tokens.push(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { email: alice, token: h.standIn.fake.issueToken(alice) };
    });
    await Promise.all([h.chat.start(), h.advance(3000)]);
    const login = outcome(h.chat.login());
    await h.advance(100);
    await h.chat.setConsent(false);
    await h.advance(1000);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'CONSENT_DENIED' }) });
  });

  it("C4 setConsent(true) after a revocation ignores load:'interaction': the widget loads with no interaction", async () => {
    const h = setUp({ load: loadOnInteraction });
    await h.chat.start();
    window.dispatchEvent(new Event('pointerdown'));
    await h.advance(3000);
    expect(h.chat.loaded).toBe(true);
    await Promise.all([h.chat.setConsent(false), h.advance(3000)]);
    const shells = h.standIn.fake.state().shellGeneration;
    const loads = h.standIn.fake.state().loadCalls;
    await Promise.all([h.chat.setConsent(true), h.advance(3000)]);
    // As if start() were called now (rule 3, "respecting load"): wait for an interaction.
    expect(h.standIn.fake.state().loadCalls).toBe(loads);
    expect(h.standIn.fake.state().shellGeneration).toBe(shells);
    expect(h.chat.loaded).toBe(false);
  });

  it('C5 a revocation in one tab reaches a tab still waiting for the consent decision (rule 6)', async () => {
    // A tab's chat hears the others once it has started (start(), which waits for consent) or its
    // consent manager has spoken (setConsent()); a chat merely created holds no channel (pure).
    vi.useRealTimers();
    const h = setUp({ syncTabs: true }, {}, { fakeTimers: false });
    const other = createChat({
      portalId: '1234567',
      fetchToken: validToken(h.standIn, alice),
      syncTabs: true,
      consent: 'pending',
    });
    try {
      await other.start(); // remembered: nothing of HubSpot's while pending
      await h.chat.start();
      await h.chat.setConsent(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(other.consent).toBe('denied');
    } finally {
      other.destroy();
    }
  });
});

describe('review 13: consent (2)', () => {
  it("C6 a revocation while HubSpot's script is still loading takes readyTimeoutMs and then reports WIDGET_UNAVAILABLE", async () => {
    const h = setUp({ readyTimeoutMs: 15_000 }, { initDelayMs: 20_000 });
    void h.chat.start();
    await h.advance(100);
    let revoked = false;
    void h.chat.setConsent(false).then(() => {
      revoked = true;
    });
    await h.advance(1000);
    // Nothing to reset (no instance yet): the revocation is complete at once.
    expect(revoked).toBe(true);
    await h.advance(25_000);
    // …and no widget error after the visitor withdrew consent.
    expect(h.events.filter((e) => e[0] === 'error')).toEqual([]);
  });
});

describe('review 10/§15: login before HubSpot is ready', () => {
  it("L2 login() waits for HubSpot's API instead of resolving once the token is held (decisions §15)", async () => {
    const h = setUp({}, { initDelayMs: 8000 });
    h.tokens.push(validToken(h.standIn, alice));
    const login = outcome(h.chat.login());
    await h.advance(2000);
    expect(h.chat.state).toBe('authenticated');
    expect(await Promise.race([login, Promise.resolve('pending')])).toEqual({
      value: { email: alice },
    });
  });
});

describe('review 12/13: listeners that call back into the SDK', () => {
  it('R2 setConsent(true) rejects DESTROYED when a consent listener destroys the chat', async () => {
    const h = setUp({ consent: 'pending' });
    await h.chat.start();
    h.chat.on('consent', (consent) => {
      if (consent === 'granted') h.chat.destroy(); // e.g. tear down to recreate with new options
    });
    // setConsent() on a destroyed chat resolves; so should one whose listener destroyed it.
    expect(await outcome(h.chat.setConsent(true))).toEqual({ value: undefined });
  });

  it('R1 a login() from an unreadCount listener during destroy() makes a token request after destroy', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.start(), h.advance(3000)]);
    h.standIn.fake.simulate.unread(2);
    expect(h.chat.unreadCount).toBe(2);
    let login: Promise<unknown> | undefined;
    h.chat.on('unreadCount', (count) => {
      if (count === 0) login = outcome(h.chat.login());
    });
    h.chat.destroy(); // emits unreadCount(0) before the chat is marked destroyed
    await h.advance(3000);
    expect(h.requests()).toBe(0);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'DESTROYED' }) });
  });
});
