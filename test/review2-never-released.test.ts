import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice, bob } from './review2-helpers';

// Finding 4 (leak): an old shell retired while loading is kept "forever while it loads"; if its work
// is refused (the new shell's container is already there: HubSpot then leaves it pending for good) or
// its widget-data request failed (pending until remove()), it never becomes loaded, so the entry, the
// API object it holds and the MutationObserver on <body> are never released, for the page's life.
it('a switch alice → bob where bob’s widget lands first: the old-shell observer is released afterwards', async () => {
  const h = setUp({}, { widgetDataDelayMs: 3000 });
  const observers: Array<{ connected: boolean }> = [];
  const Original = window.MutationObserver;
  class Spy extends Original {
    connected = false;
    constructor(callback: MutationCallback) {
      super(callback);
      observers.push(this);
    }
    override observe(target: Node, options?: MutationObserverInit) {
      this.connected = true;
      super.observe(target, options);
    }
    override disconnect() {
      this.connected = false;
      super.disconnect();
    }
  }
  (globalThis as { MutationObserver: unknown }).MutationObserver = Spy;
  try {
    h.tokens.push(validToken(h.standIn, alice), validToken(h.standIn, bob));
    await Promise.all([h.chat.login(), h.advance(100)]); // alice's widget data: 3 s
    h.standIn.fake.config.widgetDataDelayMs = 30; // bob's comes quickly
    await Promise.all([h.chat.login({ fresh: true }), h.advance(100)]);
    await h.advance(60_000);
    expect(h.standIn.fake.state().shown).toMatchObject({ email: bob, identified: true });
    expect(observers.length).toBeGreaterThan(0);
    // Nothing can act any more: alice's shell was refused and stays pending for good.
    expect(observers.filter((o) => o.connected)).toEqual([]);
  } finally {
    (globalThis as { MutationObserver: unknown }).MutationObserver = Original;
  }
});
