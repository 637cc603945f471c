import { afterEach, describe, expect, it, vi } from 'vitest';
import { containers, endShell } from '../src/hubspot/old-shells';
import type { HubSpotConversations } from '../src/hubspot/types';

/** A shell as HubSpot's API shows it: only `status()` matters here. */
function shell(status: { loaded: boolean; pending?: boolean }) {
  return { status, api: { widget: { status: () => status } } as unknown as HubSpotConversations };
}

/** What HubSpot's shell does when its work lands: the container, with the iframe inside, on body. */
function insertContainer(owner: { status: { loaded: boolean; pending?: boolean } }) {
  const container = document.createElement('div');
  container.id = 'hubspot-messages-iframe-container';
  const frame = document.createElement('iframe');
  // HubSpot listens before it inserts: the shell marks itself loaded before anyone else hears it.
  frame.addEventListener('load', () => {
    owner.status.loaded = true;
    owner.status.pending = false;
  });
  container.append(frame);
  document.body.append(container);
  return { container, loadIframe: () => frame.dispatchEvent(new Event('load')) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const visible = () => {
  const c = document.getElementById('hubspot-messages-iframe-container');
  return c !== null && c.style.visibility !== 'hidden';
};

/** HubSpot's reset or remove of a shell, as the driver makes it: here nothing else happens. */
const retire = (_api: HubSpotConversations) => endShell(() => {});

afterEach(() => {
  containers.removed = () => {};
  containers.wanted = () => true;
  document.body.innerHTML = '';
  delete (window as { HubSpotConversations?: unknown }).HubSpotConversations;
});

describe('old shells after a reset', () => {
  it('removes the container an old, still-loading shell inserts, before anyone sees it', async () => {
    const alice = shell({ loaded: false, pending: true });
    const anonymous = shell({ loaded: false, pending: true });
    retire(alice.api);
    (window as { HubSpotConversations?: unknown }).HubSpotConversations = anonymous.api;
    const removed = vi.fn();
    containers.removed = removed;

    const late = insertContainer(alice);
    await flush();
    expect(visible()).toBe(false);
    // Under another id meanwhile: the current shell is not refused when its own work lands.
    expect(document.getElementById('hubspot-messages-iframe-container')).toBeNull();
    late.loadIframe();
    expect(late.container.isConnected).toBe(false);
    expect(removed).toHaveBeenCalledTimes(1);

    const own = insertContainer(anonymous);
    await flush();
    own.loadIframe();
    expect(own.container.isConnected).toBe(true);
    expect(visible()).toBe(true);
  });

  it("shows the current shell's container when it lands first, and still removes the old one's", async () => {
    const alice = shell({ loaded: false, pending: true });
    const bob = shell({ loaded: false, pending: true });
    retire(alice.api);
    (window as { HubSpotConversations?: unknown }).HubSpotConversations = bob.api;

    const own = insertContainer(bob);
    await flush();
    const late = insertContainer(alice);
    await flush();
    own.loadIframe();
    expect(visible()).toBe(true);
    late.loadIframe();
    expect(late.container.isConnected).toBe(false);
    expect(own.container.isConnected).toBe(true);
  });

  it("keeps judging for the page's life: a container long after is shown once it is the current shell's", async () => {
    const idle = shell({ loaded: false, pending: false });
    const now = shell({ loaded: false, pending: true });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      retire(idle.api);
      // HubSpot stops saying `pending` when a shell is reset or removed, though its work goes on.
      vi.setSystemTime(Date.now() + 60_000);
      (window as { HubSpotConversations?: unknown }).HubSpotConversations = now.api;
      const own = insertContainer(now);
      await flush();
      expect(visible()).toBe(false);
      own.loadIframe();
      expect(visible()).toBe(true);
      const late = insertContainer(idle);
      await flush();
      late.loadIframe();
      expect(late.container.isConnected).toBe(false);
      expect(own.container.isConnected).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("expires an old shell's messagesUtk that its panel has it store after the container went (issue 19, real embed 1.7458)", async () => {
    const alice = shell({ loaded: false, pending: true });
    const bob = shell({ loaded: false, pending: true });
    retire(alice.api);
    (window as { HubSpotConversations?: unknown }).HubSpotConversations = bob.api;
    const own = insertContainer(bob);
    await flush();
    own.loadIframe();
    const late = insertContainer(alice);
    late.container
      .querySelector('iframe')
      ?.setAttribute(
        'src',
        'https://app.hubspot.com/conversations-visitor/1/utk/alice-utk?uuid=a1',
      );
    await flush();
    late.loadIframe();
    expect(late.container.isConnected).toBe(false);
    // Under load the panel's message reached the old shell more than a second later; the shell
    // stores the cookie in its own `message` listener, which runs before the SDK's.
    document.cookie = 'messagesUtk=alice-utk; path=/';
    window.dispatchEvent(new MessageEvent('message', { data: 'store utk' }));
    expect(document.cookie).not.toContain('alice-utk');
  });
});
