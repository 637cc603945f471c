import { afterEach, expect, it, vi } from 'vitest';
import { createChat } from '../src/index';
import { setUp, validToken } from './harness';

const _alice = 'alice@example.com';
const bob = 'bob@example.com';
afterEach(() => vi.restoreAllMocks());

it('close() after destroy() does nothing to the widget of the chat that replaced it', async () => {
  const h = setUp();
  await Promise.all([h.chat.start(), h.advance(3000)]);
  h.chat.destroy();
  const next = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
  try {
    await Promise.all([next.start(), h.advance(3000)]);
    next.open();
    await h.advance(3000);
    expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
    h.chat.close(); // the destroyed chat
    await h.advance(3000);
    expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
  } finally {
    next.destroy();
  }
});
