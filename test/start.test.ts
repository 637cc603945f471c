import { describe, expect, it, vi } from 'vitest';
import { createChat } from '../src/index';
import { names, setUp, validToken } from './harness';

const hs = () => window as unknown as Record<string, unknown>;

describe('createChat and start()', () => {
  it('does nothing at createChat: no DOM, no settings, no request', () => {
    const before = document.documentElement.outerHTML;
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    createChat({ portalId: '1234567', tokenUrl: '/token' });
    expect(document.documentElement.outerHTML).toBe(before);
    expect(hs().hsConversationsSettings).toBeUndefined();
    expect(hs().hsConversationsOnReady).toBeUndefined();
    expect(fetchSpy).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });

  it('sets loadImmediately: false before it inserts the loader, with the right URL and nonce', async () => {
    const h = setUp({ nonce: 'n0nce', widget: { hideNewThreadLink: true } });
    const seen: unknown[] = [];
    const append = document.head.appendChild.bind(document.head);
    vi.spyOn(document.head, 'appendChild').mockImplementation((node) => {
      seen.push({ ...(hs().hsConversationsSettings as object) });
      return append(node);
    });
    const started = h.chat.start();
    expect(seen).toEqual([{ loadImmediately: false, hideNewThreadLink: true }]);
    const loader = document.getElementById('hs-script-loader') as HTMLScriptElement;
    expect(loader.src).toBe('https://js.hs-scripts.com/1234567.js');
    expect(loader.nonce).toBe('n0nce');
    expect(loader.async).toBe(true);
    await h.advance(200);
    await started;
  });

  it('uses the EU loader for region eu1', () => {
    const h = setUp({ region: 'eu1' });
    void h.chat.start();
    expect((document.getElementById('hs-script-loader') as HTMLScriptElement).src).toBe(
      'https://js-eu1.hs-scripts.com/1234567.js',
    );
  });

  it('loads the anonymous widget and resolves once its load was requested', async () => {
    const h = setUp();
    let resolved = false;
    void h.chat.start().then(() => {
      resolved = true;
    });
    await h.advance(1);
    expect(resolved).toBe(true);
    expect(h.standIn.fake.state()).toMatchObject({ shellGeneration: 1, pending: true });
    await h.advance(200);
    expect(h.standIn.fake.state()).toMatchObject({
      loaded: true,
      identity: { email: '', identified: false },
    });
    expect(document.querySelector('#hubspot-messages-iframe-container')).not.toBeNull();
    expect(h.chat.state).toBe('anonymous');
    expect(names(h.events)).toEqual(['widgetLoaded']);
  });

  it('is idempotent, and inserts the loader once even for two chats', async () => {
    const h = setUp();
    const other = createChat({ portalId: '1234567', tokenUrl: '/token' });
    await Promise.all([h.chat.start(), h.chat.start(), other.start(), h.advance(2000)]);
    await h.chat.start();
    expect(document.querySelectorAll('script#hs-script-loader')).toHaveLength(1);
    expect(document.querySelectorAll('script#hubspot-messages-loader')).toHaveLength(1);
    expect(h.standIn.fake.state().shellGeneration).toBe(1);
    other.destroy();
  });

  it('shows nothing to anonymous visitors without showAnonymous', async () => {
    const h = setUp({ showAnonymous: false });
    await Promise.all([h.chat.start(), h.advance(3000)]);
    expect(h.standIn.fake.state().shellGeneration).toBe(0);
    expect(document.querySelector('#hubspot-messages-iframe-container')).toBeNull();
  });

  it('reports WIDGET_UNAVAILABLE once after readyTimeoutMs when the script is blocked, and never rejects', async () => {
    const h = setUp({ readyTimeoutMs: 2000 }, { blocked: true });
    let resolved = false;
    void h.chat.start().then(() => {
      resolved = true;
    });
    await h.advance(1999);
    expect(resolved).toBe(false);
    await h.advance(1);
    expect(resolved).toBe(true);
    expect(h.events).toEqual([['error', expect.objectContaining({ code: 'WIDGET_UNAVAILABLE' })]]);
    // Later calls do not wait again for an API known to be unavailable.
    let again = false;
    void h.chat.start().then(() => {
      again = true;
    });
    await h.advance(1);
    expect(again).toBe(true);
    expect(names(h.events)).toEqual(['error']);
  });

  it('reports WIDGET_UNAVAILABLE at once when the loader script fails to load', async () => {
    const h = setUp({ readyTimeoutMs: 60_000 });
    const started = h.chat.start();
    document.getElementById('hs-script-loader')?.dispatchEvent(new Event('error'));
    await h.advance(1);
    await started;
    expect(h.events).toEqual([
      [
        'error',
        expect.objectContaining({
          code: 'WIDGET_UNAVAILABLE',
          message: "HubSpot's script failed to load: https://js.hs-scripts.com/1234567.js",
        }),
      ],
    ]);
  });

  it('picks the widget up if HubSpot turns up after it was reported unavailable', async () => {
    const h = setUp({ readyTimeoutMs: 100 }, { initDelayMs: 500 });
    await Promise.all([h.chat.start(), h.advance(150)]);
    expect(names(h.events)).toEqual(['error']);
    await h.advance(1000);
    expect(h.standIn.fake.state()).toMatchObject({ shellGeneration: 1, loaded: true });
  });

  it('reports WIDGET_UNAVAILABLE once per chat, even when HubSpot fails again later', async () => {
    const h = setUp({ readyTimeoutMs: 100 }, { initDelayMs: 500 });
    h.tokens.push(validToken(h.standIn, 'alice@example.com'));
    await Promise.all([h.chat.start(), h.advance(1000)]);
    expect(h.standIn.fake.state().loaded).toBe(true); // HubSpot came after all
    h.standIn.fake.config.unsupported = true; // …and breaks on the reset that login() needs
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(h.chat.state).toBe('authenticated');
    expect(h.events.filter((e) => e[0] === 'error')).toHaveLength(1);
  });

  it('adopts a page that already has the loader and an auto-loaded anonymous widget', async () => {
    const h = setUp();
    hs().hsConversationsSettings = { loadImmediately: true };
    const loader = document.createElement('script');
    loader.id = 'hs-script-loader';
    loader.src = 'https://js.hs-scripts.com/1234567.js';
    document.body.appendChild(loader);
    await h.advance(200);
    expect(h.standIn.fake.state()).toMatchObject({ shellGeneration: 1, loaded: true });
    h.tokens.push(async () => ({
      email: 'alice@example.com',
      token: h.standIn.fake.issueToken('alice@example.com'),
    }));
    await Promise.all([h.chat.start(), h.advance(10)]);
    expect(document.querySelectorAll('script#hs-script-loader')).toHaveLength(1);
    expect(h.standIn.fake.state().shellGeneration).toBe(1); // the page's anonymous widget is kept
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(h.standIn.fake.state()).toMatchObject({
      shellGeneration: 2, // reset to a fresh stub, whose load creates the identified instance
      identity: { email: 'alice@example.com', identified: true },
    });
  });
});
