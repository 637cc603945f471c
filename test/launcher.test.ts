// Issue 19.7: the launcher's busy state ends, it does not flash during a widget reset, and it
// stays away while the chat is hidden, nobody may see a widget, or HubSpot's targeting took the
// widget away.
import { afterEach, describe, expect, it } from 'vitest';
import { ChatError, loadOnInteraction, mountLauncher } from '../src/index';
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

  it('comes back a moment after the widget is removed for good (a logout, showAnonymous: false)', async () => {
    const h = setUp({ showAnonymous: false });
    mount(h);
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.start(), h.chat.login(), h.advance(3000)]);
    expect(launcher()).toBeNull();
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    expect(h.chat.loaded).toBe(false);
    expect(launcher()).not.toBeNull();
  });
});

describe("HubSpot's targeting (docs/decisions.md §27)", () => {
  it('stays away after a page view on which targeting removed the widget, and the widget comes back on the next page that has it', async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    try {
      mount(h);
      await Promise.all([h.chat.start(), h.advance(3000)]);
      const inserted = watchInsertions();
      history.pushState({}, '', '/no-chat');
      h.chat.pageView();
      await h.advance(5000);
      expect(h.chat.loaded).toBe(false);
      expect(launcher()).toBeNull();
      history.pushState({}, '', '/pricing');
      h.chat.pageView();
      await h.advance(5000);
      expect(h.chat.loaded).toBe(true);
      expect(inserted()).toBe(false);
    } finally {
      history.pushState({}, '', '/account');
    }
  });

  it('stays away after a failed login (nobody signed in) before the page view', async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    try {
      mount(h);
      await Promise.all([h.chat.start(), h.advance(3000)]);
      h.tokens.push(async () => {
        throw new ChatError('TOKEN_HTTP', 'Token request failed with status 401', 401);
      });
      h.chat.on('error', () => {});
      await Promise.all([h.chat.login().catch(() => {}), h.advance(3000)]);
      expect(h.chat.state).toBe('anonymous');
      expect(h.chat.loaded).toBe(true); // no reset: the anonymous widget stayed
      history.pushState({}, '', '/no-chat');
      h.chat.pageView();
      await h.advance(5000);
      expect(h.chat.loaded).toBe(false);
      expect(launcher()).toBeNull();
    } finally {
      history.pushState({}, '', '/account');
    }
  });

  it('stays away when mounted after the widget loaded, and when mounted again after targeting (a prop change)', async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    try {
      await Promise.all([h.chat.start(), h.advance(3000)]);
      const first = mountLauncher(h.chat, { label });
      history.pushState({}, '', '/no-chat');
      h.chat.pageView();
      await h.advance(5000);
      expect(h.chat.loaded).toBe(false);
      expect(launcher()).toBeNull();
      first();
      mount(h);
      await h.advance(3000);
      expect(launcher()).toBeNull();
    } finally {
      history.pushState({}, '', '/account');
    }
  });

  it('comes back when consent is withdrawn after it (a click then asks for consent)', async () => {
    const h = setUp({}, { targeting: (url) => !url.includes('/no-chat') });
    try {
      mount(h);
      await Promise.all([h.chat.start(), h.advance(3000)]);
      history.pushState({}, '', '/no-chat');
      h.chat.pageView();
      await h.advance(5000);
      expect(launcher()).toBeNull();
      await Promise.all([h.chat.setConsent('pending'), h.advance(3000)]);
      expect(launcher()).not.toBeNull();
    } finally {
      history.pushState({}, '', '/account');
    }
  });
});

describe('unmount', () => {
  it('while the button waits to come back: it never does', async () => {
    const h = setUp({ showAnonymous: false });
    const unmount = mountLauncher(h.chat, { label });
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.start(), h.chat.login(), h.advance(3000)]);
    await Promise.all([h.chat.logout(), h.advance(500)]); // the widget has gone, not the grace
    expect(h.chat.loaded).toBe(false);
    expect(launcher()).toBeNull();
    unmount();
    await h.advance(3000);
    expect(launcher()).toBeNull();
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

  it('goes when a click is answered "hidden", and comes back soon after show(), with no event', async () => {
    const h = setUp({ load: loadOnInteraction });
    mount(h);
    await h.chat.start();
    h.chat.hide(); // before HubSpot has loaded: no event tells the launcher
    expect(launcher()).not.toBeNull();
    launcher()?.click();
    expect(launcher()).toBeNull();
    await h.advance(3000);
    expect(launcher()).toBeNull();
    h.chat.show(); // no event either
    await h.advance(1500);
    expect(h.chat.loaded).toBe(false);
    expect(launcher()).not.toBeNull();
  });

  it('mounted while hidden, comes after show()', async () => {
    const h = setUp({ load: loadOnInteraction });
    await h.chat.start();
    h.chat.hide();
    mount(h);
    await h.advance(3000);
    expect(launcher()).toBeNull();
    h.chat.show();
    await h.advance(1500);
    expect(launcher()).not.toBeNull();
  });

  it.each(['unmount', 'destroy', 'show'] as const)(
    'looks at hidden while it is hidden, and no more after %s',
    async (end) => {
      const h = setUp({ load: loadOnInteraction });
      await h.chat.start();
      h.chat.hide();
      let reads = 0;
      const watched = new Proxy(h.chat, {
        get(target, name, receiver) {
          if (name === 'hidden') reads++;
          return Reflect.get(target, name, receiver);
        },
      });
      const unmount = mountLauncher(watched, { label });
      await h.advance(1000);
      expect(reads, end).toBeGreaterThan(2); // it looks while hidden: no event says show()
      if (end === 'unmount') unmount();
      else if (end === 'destroy') h.chat.destroy();
      else h.chat.show();
      await h.advance(2000);
      const after = reads;
      await h.advance(5000);
      expect(reads, end).toBe(after);
      unmount();
    },
  );
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
