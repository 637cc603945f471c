import { describe, expect, it } from 'vitest';
import { setUp } from './harness';

type Api = {
  widget: {
    load(o?: object): void;
    refresh(o?: object): void;
    status(): { loaded: boolean; pending: boolean };
    remove(): void;
  };
  clear(o?: object): void;
  on(e: unknown, f: unknown): void;
};
const api = () => (window as unknown as { HubSpotConversations?: Api }).HubSpotConversations;
const settings = (value: Record<string, unknown>) => {
  (window as unknown as { hsConversationsSettings: unknown }).hsConversationsSettings = value;
};
function insertLoader() {
  const script = document.createElement('script');
  script.id = 'hs-script-loader';
  script.src = 'https://js.hs-scripts.com/42.js';
  document.body.appendChild(script);
}

/** Collects `console.warn` while `fn` runs. */
async function warnings(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args.join(' '));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return seen;
}
const container = () => document.getElementById('hubspot-messages-iframe-container');

// The stand-in must behave like HubSpot's real embed (docs/testing.md, "How HubSpot's embed
// behaves"); e2e/real-widget/conformance.spec.ts compares the two in a browser.
describe('HubSpot stand-in', () => {
  it('defines the API asynchronously, as a stub while loadImmediately is false', async () => {
    const h = setUp();
    settings({ loadImmediately: false });
    insertLoader();
    expect(api()).toBeUndefined();
    await h.advance(1);
    expect(api()?.widget.status()).toEqual({ loaded: false, pending: false });
    expect(document.getElementById('hubspot-messages-loader')?.dataset.hsjsPortal).toBe('42');
    expect(h.standIn.fake.state().shellGeneration).toBe(0);
  });

  it('captures the identity when the instance is created, and only then', async () => {
    const h = setUp();
    const token = h.standIn.fake.issueToken('a@x.io');
    settings({ loadImmediately: false, identificationEmail: 'a@x.io', identificationToken: token });
    insertLoader();
    await h.advance(1);
    api()?.widget.load();
    settings({ loadImmediately: false }); // too late: the instance has it
    await h.advance(100);
    expect(h.standIn.fake.state().identity).toEqual({ email: 'a@x.io', identified: true });
    api()?.widget.remove();
    await h.advance(1500);
    api()?.widget.load();
    await h.advance(100);
    expect(h.standIn.fake.state().identity.identified).toBe(true); // remove + load keeps it
  });

  it('rejects a token for another email and stays anonymous, and says so in the console without the token', async () => {
    const h = setUp();
    const token = h.standIn.fake.issueToken('a@x.io');
    settings({ identificationEmail: 'b@x.io', identificationToken: token });
    const seen = await warnings(async () => {
      insertLoader();
      await h.advance(100);
    });
    expect(h.standIn.fake.state()).toMatchObject({
      identity: { identified: false },
      lastIdentityError: 'token rejected for b@x.io',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(
      /did not accept the identification token for b@x\.io.*anonymous.*verifyToken/s,
    );
    expect(seen[0]).not.toContain(token);
  });

  it('a token refresh for the same visitor leaves the open panel as it is (what the visitor types stays)', async () => {
    const h = setUp();
    const token = h.standIn.fake.issueToken('a@x.io');
    settings({ identificationEmail: 'a@x.io', identificationToken: token });
    insertLoader();
    await h.advance(100);
    h.standIn.fake.simulate.userOpen();
    const iframe = container()?.querySelector('iframe');
    const writes: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const record of records) writes.push(String(record.attributeName));
    });
    if (iframe) observer.observe(iframe, { attributes: true, attributeFilter: ['srcdoc'] });
    settings({
      identificationEmail: 'a@x.io',
      identificationToken: h.standIn.fake.issueToken('a@x.io'),
    });
    api()?.widget.refresh({ setIdentification: true });
    await h.advance(1500);
    observer.disconnect();
    expect(h.standIn.fake.state().identity).toEqual({ email: 'a@x.io', identified: true });
    expect(writes).toEqual([]);
  });

  it('defers a second load within a second to the end of the second', async () => {
    const h = setUp({}, { widgetDataDelayMs: 2000 });
    settings({ loadImmediately: false });
    insertLoader();
    await h.advance(1);
    api()?.widget.load(); // the stub: creates the shell, whose own throttle runs this first load
    api()?.widget.remove();
    api()?.widget.load(); // inside the shell's second: deferred
    expect(api()?.widget.status()).toEqual({ loaded: false, pending: false });
    expect(h.standIn.fake.state().widgetRequests).toHaveLength(1);
    await h.advance(999);
    expect(h.standIn.fake.state().widgetRequests).toHaveLength(1);
    await h.advance(1);
    expect(api()?.widget.status().pending).toBe(true);
    expect(h.standIn.fake.state().widgetRequests).toHaveLength(2);
  });

  it('runs the first refresh at once and the last one, with its arguments, at the second’s end', async () => {
    const h = setUp();
    insertLoader();
    await h.advance(2000);
    const before = h.standIn.fake.state().widgetRequests.length;
    api()?.widget.refresh();
    await h.advance(100);
    api()?.widget.refresh({ openToNewThread: false });
    await h.advance(100);
    api()?.widget.refresh({ openToNewThread: true });
    expect(h.standIn.fake.state().widgetRequests.length - before).toBe(1);
    await h.advance(800);
    expect(h.standIn.fake.state().widgetRequests.length - before).toBe(2);
    await h.advance(100);
    expect(container()?.dataset.newThread).toBe('true');
    expect(h.standIn.fake.state().widgetRequests.length - before).toBe(2);
  });

  it('gives a new shell its own throttle window', async () => {
    const h = setUp();
    insertLoader();
    await h.advance(2000);
    const before = h.standIn.fake.state().widgetRequests.length;
    const old = api();
    old?.widget.refresh();
    old?.clear({ resetWidget: true }); // the new shell loads at once, inside the old one's second
    expect(h.standIn.fake.state().widgetRequests.length - before).toBe(2);
  });

  it('lets the old shell finish after a reset: its iframe, with the old identity, wins', async () => {
    const h = setUp({}, { displayDelayMs: 2000 });
    const token = h.standIn.fake.issueToken('a@x.io');
    settings({ identificationEmail: 'a@x.io', identificationToken: token });
    insertLoader();
    await h.advance(500); // alice's shell waits out the display delay
    const old = api();
    settings({});
    let seen: string[] = [];
    seen = await warnings(async () => {
      old?.clear({ resetWidget: true });
      await h.advance(1600); // alice's delay ends first: her iframe goes in
      expect(h.standIn.fake.state().shown).toMatchObject({ email: 'a@x.io', identified: true });
      await h.advance(1000); // the anonymous shell's delay ends: refused, it stays pending
    });
    expect(seen).toEqual([
      'Element with id hubspot-messages-iframe-container already exists. Unable to load HubSpot Conversations Widget.',
    ]);
    expect(api()).not.toBe(old);
    expect(api()?.widget.status()).toEqual({ loaded: false, pending: true });
    expect(old?.widget.status()).toEqual({ loaded: true, pending: false });
    expect(h.standIn.fake.state()).toMatchObject({
      identity: { email: '', identified: false },
      shown: { email: 'a@x.io', identified: true },
    });
    // The old API object still works: its remove() takes whatever container is there.
    old?.widget.remove();
    expect(container()).toBeNull();
    expect(h.standIn.fake.state().shown).toBeNull();
  });

  it('raises widgetHidden when no chatflow targets the page', async () => {
    const h = setUp({}, { targeting: () => false });
    settings({ loadImmediately: false });
    insertLoader();
    await h.advance(1);
    const hidden: unknown[] = [];
    api()?.on('widgetHidden', (payload: unknown) => hidden.push(payload));
    api()?.widget.load();
    await h.advance(100);
    expect(hidden).toEqual([
      { reason: 'NO_MATCHING_CHATFLOW', description: 'No chatflow targets this URL' },
    ]);
    expect(api()?.widget.status()).toEqual({ loaded: false, pending: false });
  });

  it('stays pending after a failed widget-data request until remove()', async () => {
    const h = setUp({}, { widgetDataFails: true });
    let seen: string[] = [];
    seen = await warnings(async () => {
      insertLoader();
      await h.advance(3000);
    });
    expect(seen).toEqual(['Initial messages API call failed']);
    expect(api()?.widget.status()).toEqual({ loaded: false, pending: true });
    api()?.widget.load();
    api()?.widget.refresh();
    await h.advance(3000);
    expect(h.standIn.fake.state().widgetRequests).toHaveLength(1);
    api()?.widget.remove();
    expect(api()?.widget.status()).toEqual({ loaded: false, pending: false });
    h.standIn.fake.config.widgetDataFails = false;
    api()?.widget.load();
    await h.advance(100);
    expect(api()?.widget.status()).toEqual({ loaded: true, pending: false });
  });

  for (const ignored of [false, true]) {
    it(`refresh({ setIdentification: true }) ${ignored ? 'is ignored before build 1.26137' : 're-reads the identity into the live shell'}`, async () => {
      const h = setUp({}, { ignoreSetIdentification: ignored });
      insertLoader();
      await h.advance(2000);
      const token = h.standIn.fake.issueToken('c@x.io');
      settings({ identificationEmail: 'c@x.io', identificationToken: token });
      const before = api();
      api()?.widget.refresh({ setIdentification: true });
      await h.advance(100);
      expect(api()).toBe(before);
      const asked = h.standIn.fake.state().widgetRequests.at(-1);
      expect(asked?.email).toBe(ignored ? null : 'c@x.io');
      expect(h.standIn.fake.state().shown?.email).toBe(ignored ? '' : 'c@x.io');
    });
  }

  it('writes messagesUtk when the iframe asks, and the iframe address carries it', async () => {
    const h = setUp({}, { iframeStoresUtk: false });
    insertLoader();
    await h.advance(2000);
    expect(h.standIn.fake.state().messagesUtk).toBeNull();
    const [asked] = h.standIn.fake.state().widgetRequests;
    const src = document.getElementById('hubspot-conversations-iframe')?.getAttribute('src');
    expect(src).toBe(
      `https://app.hubspot.com/conversations-visitor/42/threads/utk/${asked?.messagesUtk}?uuid=${/uuid=(\w+)/.exec(src ?? '')?.[1]}&mobile=false`,
    );
    const uuid = /uuid=(\w+)/.exec(src ?? '')?.[1];
    window.dispatchEvent(
      new MessageEvent('message', {
        data: JSON.stringify({ type: 'store-messages-cookie', data: asked?.messagesUtk, uuid }),
      }),
    );
    expect(h.standIn.fake.state().messagesUtk).toBe(asked?.messagesUtk);
  });

  it('clear() deletes the chat cookies, with the widget position and size', async () => {
    const h = setUp();
    insertLoader();
    await h.advance(2000);
    for (const name of [
      'hs-messages-is-open',
      'hs-messages-widget-position_right',
      'hs-messages-widget-position_left',
      'hs-messages-widget-size',
      'hubspotutk',
    ]) {
      document.cookie = `${name}=1; path=/`;
    }
    expect(Object.keys(h.standIn.fake.state().cookies)).toContain('messagesUtk');
    api()?.clear();
    // The tracking cookies the loader wrote stay.
    expect(Object.keys(h.standIn.fake.state().cookies)).toEqual([
      'hubspotutk',
      '__hstc',
      '__hssc',
      '__hssrc',
    ]);
    expect(
      document.querySelector('#hubspot-messages-iframe-container > .hs-shadow-container'),
    ).not.toBeNull();
  });

  it('replaces the API object and drops its listeners on a reset', async () => {
    const h = setUp();
    insertLoader();
    await h.advance(100);
    const before = api();
    before?.on('widgetLoaded', () => {});
    expect(h.standIn.fake.state().listenerCounts).toEqual({ widgetLoaded: 1 });
    before?.clear({ resetWidget: true });
    expect(api()).not.toBe(before);
    expect(h.standIn.fake.state().listenerCounts).toEqual({});
  });

  it('throws on a null identity setting, as HubSpot does, and creates no API', async () => {
    const h = setUp();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    settings({ identificationEmail: null });
    insertLoader();
    await h.advance(100);
    console.error = original;
    expect(api()).toBeUndefined();
    expect(errors).toEqual([
      'Invariant Violation: Expected mergedSettings.identificationEmail to be a string',
    ]);
  });
});

describe('the stand-in loader and HubSpot tracking cookies (issue 19.9)', () => {
  const tracking = (h: ReturnType<typeof setUp>) =>
    Object.keys(h.standIn.fake.state().cookies).filter((name) => !name.startsWith('messages'));

  it('sets hubspotutk, __hstc, __hssc and __hssrc as it runs', async () => {
    const h = setUp();
    insertLoader();
    await h.advance(2000);
    expect(tracking(h)).toEqual(['hubspotutk', '__hstc', '__hssc', '__hssrc']);
  });

  it("sets none once ['doNotTrack'] is on _hsq, nor with trackingCookies: false", async () => {
    const h = setUp({}, { trackingCookies: false });
    insertLoader();
    await h.advance(2000);
    expect(tracking(h)).toEqual([]);
    h.standIn.uninstall();
    const other = setUp();
    (window as unknown as { _hsq: unknown[] })._hsq = [['doNotTrack']];
    insertLoader();
    await other.advance(2000);
    expect(tracking(other)).toEqual([]);
  });
});
