import { describe, expect, it } from 'vitest';
import { setUp } from './harness';

type Api = {
  widget: {
    load(o?: object): void;
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

// The stand-in must behave like HubSpot where the SDK relies on it (docs/hubspot.md §8).
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

  it('rejects a token for another email and stays anonymous', async () => {
    const h = setUp();
    const token = h.standIn.fake.issueToken('a@x.io');
    settings({ identificationEmail: 'b@x.io', identificationToken: token });
    insertLoader();
    await h.advance(100);
    expect(h.standIn.fake.state()).toMatchObject({
      identity: { identified: false },
      lastIdentityError: 'token rejected for b@x.io',
    });
  });

  it('drops a second load within a second', async () => {
    const h = setUp();
    settings({ loadImmediately: false });
    insertLoader();
    await h.advance(1);
    api()?.widget.load();
    api()?.widget.remove();
    api()?.widget.load();
    expect(api()?.widget.status()).toEqual({ loaded: false, pending: false });
    await h.advance(1000);
    api()?.widget.load();
    expect(api()?.widget.status().pending).toBe(true);
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
