// Cold review: a pass of the older chat that was already waiting for HubSpot's API when a newer
// chat took the widget carries out its step anyway (widget.ts loop(): after `await nextApi()` only
// `signal.aborted` is checked, not `drives()`), so a chat that does not drive writes its identity
// into hsConversationsSettings and calls widget.load() with it.
import { afterEach, expect, it, vi } from 'vitest';
import { createChat } from '../src/index';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';
afterEach(() => vi.restoreAllMocks());

it('an older chat whose pass waited for the API does not load its visitor once a newer chat drives', async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  const h = setUp({}, { initDelayMs: 2000 });
  h.tokens.push(validToken(h.standIn, alice));
  void h.chat.start(); // its pass waits for HubSpot's API
  await Promise.all([h.chat.login(), h.advance(100)]);
  expect(h.chat.state).toBe('authenticated');
  // A sub-page's chat (anonymous) starts: it drives the widget from now on.
  const sub = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
  try {
    void sub.start();
    await h.advance(10);
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    // HubSpot's API appears.
    const writes: unknown[] = [];
    const settings = h.settings() as Record<string, unknown>;
    let email = settings.identificationEmail;
    Object.defineProperty(settings, 'identificationEmail', {
      configurable: true,
      enumerable: true,
      get: () => email,
      set: (value) => {
        writes.push(value);
        email = value;
      },
    });
    await h.advance(5000);
    const state = h.standIn.fake.state();
    expect(writes).not.toContain(alice);
    expect(state.shells.map((s) => s.email)).not.toContain(alice);
  } finally {
    sub.destroy();
  }
});
