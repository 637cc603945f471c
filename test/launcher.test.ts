// Issue 19.7: the launcher's busy state ends, it does not flash during a widget reset, and it
// stays away while the chat is hidden or nobody may see a widget.
import { afterEach, describe, expect, it } from 'vitest';
import { loadOnInteraction, mountLauncher } from '../src/index';
import { type Harness, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';
const label = 'Talk to us';
/** The launcher as the visitor sees it: in the page, or not. */
const launcher = () => document.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`);

const unmounts: Array<() => void> = [];
afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
});
function mount(h: Harness, busyMs?: number) {
  unmounts.push(mountLauncher(h.chat, busyMs === undefined ? { label } : { label, busyMs }));
}

/** Records whether the launcher is ever put into the page from now on, however briefly. */
function watchInsertions(): () => boolean {
  let inserted = false;
  const see = (records: MutationRecord[]) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLButtonElement && node.getAttribute('aria-label') === label) {
          inserted = true;
        }
      }
    }
  };
  const observer = new MutationObserver(see);
  observer.observe(document.body, { childList: true });
  unmounts.push(() => observer.disconnect());
  return () => {
    see(observer.takeRecords()); // records not delivered yet count too
    return inserted;
  };
}

describe('aria-busy', () => {
  it("ends after 15 s when HubSpot's targeting shows no widget on this page (neither loaded nor error)", async () => {
    const h = setUp({ load: loadOnInteraction }, { targeting: () => false });
    mount(h);
    await h.chat.start();
    launcher()?.click();
    expect(launcher()?.getAttribute('aria-busy')).toBe('true');
    expect(launcher()?.style.cursor).toBe('progress');
    await h.advance(14_000);
    expect(launcher()?.getAttribute('aria-busy')).toBe('true');
    await h.advance(1_000);
    expect(h.chat.loaded).toBe(false);
    expect(launcher()?.hasAttribute('aria-busy')).toBe(false);
    expect(launcher()?.style.cursor).toBe('pointer');
  });

  it('ends after busyMs when given', async () => {
    const h = setUp({ load: loadOnInteraction }, { targeting: () => false });
    mount(h, 4000);
    await h.chat.start();
    launcher()?.click();
    await h.advance(3900);
    expect(launcher()?.getAttribute('aria-busy')).toBe('true');
    await h.advance(100);
    expect(launcher()?.hasAttribute('aria-busy')).toBe(false);
  });
});

describe('a widget reset (login, switch, logout)', () => {
  it('never shows the launcher between the old widget and the new one', async () => {
    const h = setUp({}, { initDelayMs: 300 });
    mount(h);
    await Promise.all([h.chat.start(), h.advance(3000)]);
    expect(launcher()).toBeNull();
    const inserted = watchInsertions();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.tokens.splice(0, 1, validToken(h.standIn, bob));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    expect(h.standIn.fake.state().shellGeneration).toBeGreaterThan(1); // the widget was reset
    expect(h.chat.loaded).toBe(true);
    expect(inserted()).toBe(false);
  });

  it('comes back a moment after the widget is removed for good', async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    try {
      mount(h);
      await Promise.all([h.chat.start(), h.advance(3000)]);
      history.pushState({}, '', '/no-chat');
      h.chat.pageView();
      await h.advance(3000);
      expect(h.chat.loaded).toBe(false);
      expect(launcher()).not.toBeNull();
    } finally {
      history.pushState({}, '', '/account');
    }
  });
});

describe('unmount', () => {
  it('while the button waits to come back: it never does', async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    try {
      const unmount = mountLauncher(h.chat, { label });
      await Promise.all([h.chat.start(), h.advance(3000)]);
      history.pushState({}, '', '/no-chat');
      h.chat.pageView();
      await h.advance(1000); // the loaded event has come (the core's targeting watch), not the button yet
      expect(h.chat.loaded).toBe(false);
      expect(launcher()).toBeNull();
      unmount();
      await h.advance(3000);
      expect(launcher()).toBeNull();
    } finally {
      history.pushState({}, '', '/account');
    }
  });
});

describe('while hidden', () => {
  it('does not show itself when mounted after hide()', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    h.chat.hide();
    await h.advance(100);
    mount(h);
    await h.advance(3000);
    expect(launcher()).toBeNull();
  });

  it('goes with the widget on hide(), and does not flash when show() brings the widget back', async () => {
    const h = setUp();
    mount(h);
    await Promise.all([h.chat.start(), h.advance(3000)]);
    const inserted = watchInsertions();
    h.chat.hide();
    await h.advance(3000);
    expect(h.chat.loaded).toBe(false);
    expect(launcher()).toBeNull();
    h.chat.show();
    await h.advance(3000);
    expect(h.chat.loaded).toBe(true);
    expect(inserted()).toBe(false);
  });

  it('goes when a click is answered "hidden", and comes back on the next event after show()', async () => {
    const h = setUp({ load: loadOnInteraction });
    mount(h);
    await h.chat.start();
    h.chat.hide(); // before HubSpot has loaded: no event tells the launcher
    expect(launcher()).not.toBeNull();
    launcher()?.click();
    expect(launcher()).toBeNull();
    h.chat.show(); // no event either: not seen yet
    await h.advance(3000);
    expect(launcher()).toBeNull();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]); // state events
    expect(h.chat.loaded).toBe(false);
    expect(launcher()).not.toBeNull();
  });
});

describe('nobody may see a widget (showAnonymous: false, anonymous visitor)', () => {
  it('goes when a click is answered "anonymous", until the next state change (a login)', async () => {
    const h = setUp({ load: loadOnInteraction, showAnonymous: false });
    mount(h);
    await h.chat.start();
    launcher()?.click();
    expect(launcher()).toBeNull();
    await h.advance(5000);
    expect(launcher()).toBeNull();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(h.chat.state).toBe('authenticated');
    expect(launcher()).not.toBeNull();
    expect(launcher()?.hasAttribute('aria-busy')).toBe(false);
  });
});
