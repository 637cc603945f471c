import { afterEach, expect, it, vi } from 'vitest';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';
afterEach(() => vi.restoreAllMocks());

it('two copies, the older destroyed first: the newer keeps its visitor; then destroyed: nobody left', async () => {
  const h = setUp({ syncTabs: false });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  vi.resetModules();
  const make = (await import('../src/index')).createChat;
  const sub = make({
    portalId: '1234567',
    fetchToken: validToken(h.standIn, bob),
    syncTabs: false,
  });
  await Promise.all([sub.login(), h.advance(5000)]);
  expect(h.standIn.fake.state().identity).toEqual({ email: bob, identified: true });
  h.chat.destroy();
  await h.advance(5000);
  expect(h.standIn.fake.state()).toMatchObject({
    loaded: true,
    identity: { email: bob, identified: true },
  });
  expect(h.settings()).toMatchObject({ identificationEmail: bob });
  sub.destroy();
  await h.advance(5000);
  expect(h.settings()).not.toHaveProperty('identificationEmail');
  expect(h.standIn.fake.state().identity.identified).toBe(false);
  // No live chat is left on the page's list.
  expect([
    ...((window as unknown as Record<symbol, unknown[]>)[Symbol.for('hubspot-visitor-chat')] ?? []),
  ]).toEqual([]);
});

it('two copies, the newer destroyed while it resets: the older gets its visitor back', async () => {
  const h = setUp({ syncTabs: false }, { widgetDataDelayMs: 1500 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  vi.resetModules();
  const make = (await import('../src/index')).createChat;
  const sub = make({
    portalId: '1234567',
    fetchToken: validToken(h.standIn, bob),
    syncTabs: false,
  });
  void sub.login().catch(() => {});
  await h.advance(200);
  sub.destroy();
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    await h.advance(100);
    const s = h.standIn.fake.state();
    if (s.loaded) seen.add(s.identity.email);
  }
  expect([...seen]).not.toContain(bob);
  expect(h.standIn.fake.state()).toMatchObject({
    loaded: true,
    identity: { email: alice, identified: true },
  });
});

it('the chat below destroyed while the top one resets: the top one ends with its visitor', async () => {
  const h = setUp({ syncTabs: false }, { widgetDataDelayMs: 1500 });
  h.tokens.push(validToken(h.standIn, alice));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  const { createChat } = await import('../src/index');
  const sub = createChat({
    portalId: '1234567',
    fetchToken: validToken(h.standIn, bob),
    syncTabs: false,
  });
  try {
    const p = sub.login();
    await h.advance(200);
    h.chat.destroy();
    await Promise.all([p, h.advance(10_000)]);
    expect(h.standIn.fake.state()).toMatchObject({
      loaded: true,
      identity: { email: bob, identified: true },
    });
    expect(h.settings()).toMatchObject({ identificationEmail: bob });
  } finally {
    sub.destroy();
  }
});
