import { expect, it } from 'vitest';
import { setUp, states, validToken } from './harness';

const alice = 'alice@example.com';

it('consent revoked, then the token’s expiry time passes: nothing happens', async () => {
  const h = setUp({ refreshMarginMs: 60_000 });
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  await Promise.all([h.chat.setConsent(false), h.advance(3000)]);
  const r = h.requests();
  h.events.length = 0;
  await h.advance(700_000);
  window.dispatchEvent(new Event('pageshow'));
  await h.advance(10_000);
  expect(h.requests()).toBe(r);
  expect(states(h.events)).toEqual([]);
  expect(h.chat.state).toBe('logged-out');
});

it('expired and refreshing, then consent revoked: logged-out, no request after', async () => {
  const h = setUp({ refreshMarginMs: 60_000, timeoutMs: 200_000 });
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  h.tokens.splice(0, h.tokens.length, async () => {
    await new Promise((r) => setTimeout(r, 100_000));
    return { email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 };
  });
  await h.advance(610_000);
  expect(h.chat.state).toBe('authenticating');
  const r = h.requests();
  await Promise.all([h.chat.setConsent(false), h.advance(200_000)]);
  expect(h.chat.state).toBe('logged-out');
  expect(h.requests()).toBe(r);
  expect(h.settings() ?? {}).not.toHaveProperty('identificationEmail');
});
