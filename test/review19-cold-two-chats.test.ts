import { afterEach, expect, it, vi } from 'vitest';
import { createChat } from '../src/index';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';
afterEach(() => vi.restoreAllMocks());

it('a passive (older) chat’s logout() does not write the driving chat’s settings', async () => {
  const h = setUp({ syncTabs: false });
  await Promise.all([h.chat.start(), h.advance(3000)]);
  const sub = createChat({
    portalId: '1234567',
    fetchToken: validToken(h.standIn, bob),
    syncTabs: false,
  });
  try {
    await Promise.all([sub.login(), h.advance(3000)]);
    expect(h.settings()).toMatchObject({ identificationEmail: bob });
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    expect(sub.state).toBe('authenticated');
    expect(h.settings()).toMatchObject({ identificationEmail: bob });
  } finally {
    sub.destroy();
  }
});

it('a chat created and destroyed without start() does not write the driving chat’s settings', async () => {
  const h = setUp();
  h.tokens.push(validToken(h.standIn, bob));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  const other = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, alice) });
  other.destroy();
  expect(h.settings()).toMatchObject({ identificationEmail: bob });
});

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
