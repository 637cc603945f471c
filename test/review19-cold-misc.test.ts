import { afterEach, expect, it, vi } from 'vitest';
import { names, setUp, states, toldOtherTabs, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';
afterEach(() => vi.restoreAllMocks());

it('expiry while a login for another visitor is in flight: bob ends signed in, alice never shown again', async () => {
  const posts = toldOtherTabs();
  const h = setUp({ refreshMarginMs: 60_000, timeoutMs: 200_000 });
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  // the refresh at 540 s hangs (offline); advance to just before expiry
  h.tokens.splice(0, h.tokens.length, async (signal) => {
    await new Promise((r, j) => {
      const t = setTimeout(r, 120_000);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        j(signal.reason);
      });
    });
    return { email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 };
  });
  await h.advance(590_000);
  h.tokens.splice(0, h.tokens.length, async () => {
    await new Promise((r) => setTimeout(r, 20_000));
    return { email: bob, token: h.standIn.fake.issueToken(bob), expiresIn: 600 };
  });
  posts.length = 0;
  h.events.length = 0;
  const p = h.chat.login();
  await h.advance(12_000); // alice's token expires meanwhile
  expect(h.settings()).not.toHaveProperty('identificationEmail');
  expect(h.standIn.fake.state().identity.email).not.toBe(alice);
  await Promise.all([p, h.advance(20_000)]);
  console.log(
    states(h.events),
    names(h.events).filter((n) => n !== 'state'),
    posts,
  );
  expect(h.chat.identity).toEqual({ email: bob });
  expect(h.standIn.fake.state().identity).toEqual({ email: bob, identified: true });
  expect(posts).toEqual(['login']);
});

it('expiry, then logout(): no token request after it, the widget anonymous', async () => {
  const h = setUp({ refreshMarginMs: 60_000, timeoutMs: 200_000 });
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  h.tokens.splice(0, h.tokens.length, async () => {
    await new Promise((r) => setTimeout(r, 100_000));
    return { email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 };
  });
  await h.advance(610_000); // refresh in flight at 540 s, expiry at 600 s
  expect(h.chat.state).toBe('authenticating');
  const before = h.requests();
  await Promise.all([h.chat.logout(), h.advance(200_000)]);
  expect(h.chat.state).toBe('logged-out');
  expect(h.requests()).toBe(before);
  expect(h.settings()).not.toHaveProperty('identificationEmail');
  expect(h.standIn.fake.state().identity.identified).toBe(false);
});
