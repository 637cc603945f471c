import { describe, expect, it, vi } from 'vitest';
import { outcome, setUp, validToken } from './harness';

const alice = 'alice@example.com';

describe('destroy()', () => {
  it('removes the widget, the identity, every listener and timer, and emits destroyed last', async () => {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.events.length = 0;
    h.chat.destroy();
    expect(h.events).toEqual([['state', 'destroyed', 'authenticated']]);
    expect(h.chat.state).toBe('destroyed');
    expect(h.chat.identity).toBeNull();
    expect(h.settings()).not.toHaveProperty('identificationEmail');
    expect(h.settings()).not.toHaveProperty('identificationToken');
    expect(document.querySelector('#hubspot-messages-iframe-container')).toBeNull();
    expect(h.standIn.fake.state().listenerCounts).toEqual({});
    const callbacks = (window as unknown as { hsConversationsOnReady: unknown[] })
      .hsConversationsOnReady;
    expect(callbacks).toEqual([]);
    h.standIn.fake.stop();
    expect(vi.getTimerCount()).toBe(0); // no refresh timer left
    h.standIn.fake.simulate.startConversation();
    h.chat.destroy();
    expect(h.events).toHaveLength(1);
  });

  it('rejects start() and login() with DESTROYED; logout(), open() and close() do nothing', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    h.chat.destroy();
    expect(await outcome(h.chat.start())).toEqual({
      error: expect.objectContaining({ code: 'DESTROYED' }),
    });
    expect(await outcome(h.chat.login())).toEqual({
      error: expect.objectContaining({ code: 'DESTROYED' }),
    });
    await expect(h.chat.logout()).resolves.toBeUndefined();
    h.chat.open();
    h.chat.close();
    await h.advance(3000);
    expect(h.requests()).toBe(0);
    expect(document.getElementById('hs-script-loader')).toBeNull();
    expect(h.events).toEqual([['state', 'destroyed', 'anonymous']]);
  });

  it('aborts a login in flight', async () => {
    const h = setUp();
    let signal: AbortSignal | undefined;
    h.tokens.push((s) => {
      signal = s;
      return new Promise(() => {});
    });
    const login = outcome(h.chat.login());
    await h.advance(10);
    h.chat.destroy();
    expect(signal?.aborted).toBe(true);
    expect(await login).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
  });
});
