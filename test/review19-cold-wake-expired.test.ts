import { afterEach, expect, it, vi } from 'vitest';
import { ChatError } from '../src/index';
import { names, setUp, states, toldOtherTabs, validToken } from './harness';

const alice = 'alice@example.com';
afterEach(() => vi.restoreAllMocks());

it('page back (pageshow) past expiry, timers frozen: the expired identity leaves at once; a failed refresh broadcasts nothing', async () => {
  const posts = toldOtherTabs();
  const h = setUp({ refreshMarginMs: 60_000, timeoutMs: 30_000 });
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  // The network is not back yet right after waking.
  h.tokens.splice(0, h.tokens.length, async () => {
    await new Promise((r) => setTimeout(r, 5000));
    throw new ChatError('TOKEN_NETWORK', 'offline');
  });
  posts.length = 0;
  h.events.length = 0;
  // Timers of a frozen page do not run: only the clock moved, past the token's expiry.
  vi.setSystemTime(Date.now() + 700_000);
  window.dispatchEvent(new Event('pageshow'));
  await h.advance(0);
  const during = { state: h.chat.state, settings: { ...h.settings() } };
  await h.advance(30_000);
  console.log(
    'during',
    during,
    'after',
    h.chat.state,
    states(h.events),
    names(h.events).filter((n) => n !== 'state'),
    'posts',
    posts,
  );
  expect(during.settings).not.toHaveProperty('identificationToken');
  expect(during.state).toBe('authenticating');
  expect(h.chat.state).toBe('logged-out');
  expect(posts).toEqual([]);
});
