import { afterEach, expect, it, vi } from 'vitest';
import { setUp, validToken } from './harness';

afterEach(() => vi.restoreAllMocks());

it('two copies, one chat each, started together: one warning', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const h = setUp();
  vi.resetModules();
  const a = (await import('../src/index')).createChat;
  vi.resetModules();
  const b = (await import('../src/index')).createChat;
  const chats = [a, b].map((make) =>
    make({ portalId: '1234567', fetchToken: validToken(h.standIn, 'x@example.com') }),
  );
  try {
    await Promise.all([...chats.map((c) => c.start()), h.advance(5000)]);
    expect(warn.mock.calls.filter((c) => /two live chats/.test(String(c[0])))).toHaveLength(1);
  } finally {
    for (const c of chats) c.destroy();
  }
});
