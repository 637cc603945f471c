// Issue 12: SPA navigation (pageView), lazy loading, hide/show, unread count, the launcher.
import { describe, expect, it } from 'vitest';
import { createChat, loadOnInteraction, loadWhenIdle, mountLauncher } from '../src/index';
import { names, outcome, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';

const loaderScript = () => document.getElementById('hs-script-loader');
const widgetRoot = () => document.getElementById('hubspot-messages-iframe-container');
/** Refreshes HubSpot carried out (the stand-in counts them on the widget), vs. calls it was sent. */
const carriedOut = () => Number(widgetRoot()?.dataset.refreshCount ?? 0);

describe('pageView()', () => {
  it('merges 5 calls in 200 ms into 2 refreshes, none dropped by HubSpot’s throttle', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    for (let i = 0; i < 5; i++) {
      h.chat.pageView({ openToNewThread: i === 3 });
      await h.advance(50);
    }
    await h.advance(3000);
    const fake = h.standIn.fake.state();
    expect(fake.refreshCalls).toBe(2);
    expect(carriedOut()).toBe(2);
    expect(widgetRoot()?.dataset.newThread).toBe('true'); // OR-ed into the trailing refresh
  });

  it('never refreshes within a second of a load', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.start(), h.advance(3000)]);
    await Promise.all([h.chat.login(), h.advance(1)]);
    const loadedAt = h.standIn.fake.state().shells.at(-1)?.at ?? 0;
    await h.advance(200);
    h.chat.pageView();
    await h.advance(3000);
    expect(h.standIn.fake.state().refreshCalls).toBe(1);
    expect(carriedOut()).toBe(1);
    expect(Date.now() - loadedAt).toBeGreaterThan(1000);
  });

  it('never touches identity: no token request, no clear, no settings write', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    const settings = { ...h.settings() };
    const shells = h.standIn.fake.state().shellGeneration;
    for (let i = 0; i < 3; i++) {
      h.chat.pageView();
      await h.advance(1500);
    }
    expect(h.requests()).toBe(1);
    expect({ ...h.settings() }).toEqual(settings);
    expect(h.standIn.fake.state().shellGeneration).toBe(shells);
    expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
  });

  it('does nothing before start(), before an instance exists, during a reset, and after destroy()', async () => {
    const h = setUp({}, { initDelayMs: 500 });
    h.chat.pageView(); // not started
    expect(loaderScript()).toBeNull();
    void h.chat.start();
    h.chat.pageView(); // no instance yet
    await h.advance(3000);
    expect(h.standIn.fake.state().refreshCalls).toBe(0);
    h.tokens.push(validToken(h.standIn, alice));
    void h.chat.logout(); // a reset and an anonymous load now…
    h.chat.pageView(); // …while they are in flight
    await h.advance(100);
    void h.chat.login();
    await h.advance(3000);
    expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
    expect(h.standIn.fake.state().refreshCalls).toBe(0);
    h.chat.destroy();
    h.chat.pageView();
    await h.advance(3000);
    expect(h.standIn.fake.state().refreshCalls).toBe(0);
  });

  it('follows HubSpot’s URL targeting: removed on a route without a chatflow, back on the next', async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    await Promise.all([h.chat.start(), h.advance(3000)]);
    history.pushState({}, '', '/no-chat');
    h.chat.pageView();
    await h.advance(3000);
    expect(widgetRoot()).toBeNull();
    history.pushState({}, '', '/pricing');
    h.chat.pageView();
    await h.advance(3000);
    expect(widgetRoot()).not.toBeNull();
    expect(h.standIn.fake.state().loaded).toBe(true);
    history.pushState({}, '', '/account');
  });

  it('with trackPageViews, records the page view in HubSpot’s tracking queue', async () => {
    const h = setUp({ trackPageViews: true });
    h.chat.pageView(); // not started: nothing
    await Promise.all([h.chat.start(), h.advance(3000)]);
    h.chat.pageView({ path: '/pricing?plan=pro' });
    h.chat.pageView();
    expect(h.standIn.fake.state().hsq).toEqual([
      ['setPath', '/pricing?plan=pro'],
      ['trackPageView'],
      ['setPath', location.pathname + location.search],
      ['trackPageView'],
    ]);
  });
});

describe('load: loadWhenIdle, loadOnInteraction or a trigger of your own', () => {
  it("loadOnInteraction: nothing of HubSpot's before the first interaction; login is held for it", async () => {
    const h = setUp({ load: loadOnInteraction });
    h.tokens.push(validToken(h.standIn, alice));
    await h.chat.start(); // resolves once armed
    const login = outcome(h.chat.login());
    await h.advance(5000);
    expect(await login).toEqual({ value: { email: alice } });
    expect(h.chat.state).toBe('authenticated');
    expect(loaderScript()).toBeNull();
    expect('hsConversationsSettings' in window).toBe(false);
    window.dispatchEvent(new Event('pointerdown'));
    await h.advance(3000);
    expect(h.standIn.fake.state().shells.map((s) => s.email)).toEqual([alice]);
    expect(h.chat.loaded).toBe(true);
  });

  it('loadOnInteraction: open() loads at once, then opens when the widget has loaded', async () => {
    const h = setUp({ load: loadOnInteraction });
    await h.chat.start();
    await h.advance(3000);
    expect(loaderScript()).toBeNull();
    h.chat.open();
    await h.advance(3000);
    expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
  });

  it('loadWhenIdle: loads when the browser is idle, at the latest after 4 s', async () => {
    const h = setUp({ load: loadWhenIdle });
    await h.chat.start();
    expect(loaderScript()).toBeNull();
    await h.advance(4100);
    expect(loaderScript()).not.toBeNull();
    await h.advance(3000);
    expect(h.chat.loaded).toBe(true);
  });

  it('a trigger of your own: HubSpot loads when it calls load', async () => {
    let load: (() => void) | undefined;
    const h = setUp({
      load: (fire) => {
        load = fire;
        return () => {};
      },
    });
    await h.chat.start();
    await h.advance(5000);
    expect(loaderScript()).toBeNull();
    load?.();
    await h.advance(3000);
    expect(h.chat.loaded).toBe(true);
  });

  it('a trigger of your own is disarmed by destroy(), and load() after that loads nothing', async () => {
    let load: (() => void) | undefined;
    let disarmed = 0;
    const h = setUp({
      load: (fire) => {
        load = fire;
        return () => disarmed++;
      },
    });
    await h.chat.start();
    h.chat.destroy();
    expect(disarmed).toBe(1);
    load?.();
    await h.advance(3000);
    expect(loaderScript()).toBeNull();
  });

  it("'idle' and 'interaction' (the strings before 0.2) throw a TypeError naming their replacements", () => {
    for (const load of ['idle', 'interaction']) {
      expect(() =>
        createChat({ portalId: '1', tokenUrl: '/t', load: load as 'immediate' }),
      ).toThrow(/`load` must be 'immediate' or a LoadTrigger \(loadWhenIdle, loadOnInteraction\)/);
    }
  });

  it('tells when the widget loads and goes: chat.loaded and the loaded event', async () => {
    const h = setUp();
    const seen: boolean[] = [];
    h.chat.on('loaded', (loaded) => seen.push(loaded));
    expect(h.chat.loaded).toBe(false);
    await Promise.all([h.chat.start(), h.advance(3000)]);
    expect(h.chat.loaded).toBe(true);
    h.chat.hide();
    await h.advance(100);
    expect(h.chat.loaded).toBe(false);
    expect(seen).toEqual([true, false]);
  });
});

describe('hide() and show()', () => {
  it('keeps the widget away through a login, and show() brings back the visitor signed in', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    h.chat.hide();
    expect(h.chat.hidden).toBe(true);
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(5000)]);
    expect(h.chat.state).toBe('authenticated');
    expect(widgetRoot()).toBeNull();
    h.chat.show();
    await h.advance(3000);
    expect(h.standIn.fake.state()).toMatchObject({
      loaded: true,
      identity: { email: alice, identified: true },
    });
  });

  it('after a logout while hidden, never shows an instance that carried the identity', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.chat.hide();
    await h.advance(100);
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    expect(widgetRoot()).toBeNull();
    h.chat.show();
    await h.advance(3000);
    expect(h.standIn.fake.state()).toMatchObject({
      loaded: true,
      identity: { email: '', identified: false },
    });
  });

  it('pageView() while hidden does nothing', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    h.chat.hide();
    await h.advance(1500);
    h.chat.pageView();
    await h.advance(3000);
    expect(h.standIn.fake.state().refreshCalls).toBe(0);
    expect(widgetRoot()).toBeNull();
  });
});

describe('unreadCount', () => {
  it('follows HubSpot, fires only on change, and goes back to 0 on logout, switch and destroy', async () => {
    const h = setUp();
    const counts: number[] = [];
    h.chat.on('unreadCount', (count) => counts.push(count));
    h.tokens.push(validToken(h.standIn, alice));
    expect(h.chat.unreadCount).toBe(0);
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.standIn.fake.simulate.unread(3);
    h.standIn.fake.simulate.unread(3);
    expect(h.chat.unreadCount).toBe(3);
    h.tokens.splice(0, 1, validToken(h.standIn, bob));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(h.chat.unreadCount).toBe(0);
    h.standIn.fake.simulate.unread(1);
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    expect(h.chat.unreadCount).toBe(0);
    h.standIn.fake.simulate.unread(2);
    expect(counts).toEqual([3, 0, 1, 0, 2]);
    const seen: number[] = [];
    h.chat.on('unreadCount', (count) => seen.push(count));
    h.chat.destroy();
    expect(seen).toEqual([0]);
  });
});

describe('mountLauncher()', () => {
  it('stands in until the widget loads, opens it, and stays away while hidden', async () => {
    const h = setUp({ load: loadOnInteraction });
    const unmount = mountLauncher(h.chat, { label: 'Ask us' });
    await h.chat.start();
    const button = document.querySelector<HTMLButtonElement>('button[aria-label="Ask us"]');
    expect(button).not.toBeNull();
    expect(button?.type).toBe('button');
    expect(button?.querySelector('svg')).not.toBeNull();
    expect(button?.style.position).toBe('fixed');
    expect(document.querySelector('style')).toBeNull();
    button?.click();
    expect(button?.getAttribute('aria-busy')).toBe('true');
    await h.advance(3000);
    expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
    expect(button?.isConnected).toBe(false);
    h.chat.hide();
    await h.advance(3000);
    expect(button?.isConnected).toBe(false); // no launcher while hidden (issue 19.7)
    expect(button?.hasAttribute('aria-busy')).toBe(false);
    unmount();
    expect(button?.isConnected).toBe(false);
    expect(names(h.events)).toContain('widgetLoaded');
  });
});
