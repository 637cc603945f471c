import { afterEach, expect, it, vi } from 'vitest';
import { ChatError } from '../src/index';
import { setUp, states } from './harness';

const alice = 'alice@example.com';
afterEach(() => vi.restoreAllMocks());

it('a logout() from a state listener during the expiry is not undone by the expiry’s refresh', async () => {
  const h = setUp({ refreshMarginMs: 60_000, retries: 0 });
  let failing = false;
  h.tokens.push(async () => {
    if (failing) throw new ChatError('TOKEN_HTTP', 'status 502', 502);
    return { email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 };
  });
  await Promise.all([h.chat.login(), h.advance(3000)]);
  // The backend is down for the scheduled refreshes (a background refresh keeps the identity).
  failing = true;
  let before = 0;
  // The app logs out as soon as the identity goes (a state listener); the backend is back by then.
  h.chat.on('state', (state) => {
    if (state === 'authenticating' && h.chat.identity === null && before === 0) {
      failing = false;
      before = h.requests();
      void h.chat.logout();
    }
  });
  h.events.length = 0;
  await h.advance(605_000); // the token expires
  await h.advance(10_000);
  console.log('states', states(h.events), 'requests', h.requests() - before);
  expect(h.chat.state).toBe('logged-out');
  expect(h.chat.identity).toBeNull();
  expect(h.requests() - before).toBe(0);
  expect(h.settings()).not.toHaveProperty('identificationEmail');
  expect(h.standIn.fake.state().identity.identified).toBe(false);
});

for (const call of ['destroy', 'revoke', 'login'] as const) {
  it(`a ${call} from a state listener during the expiry`, async () => {
    const h = setUp({ refreshMarginMs: 60_000, retries: 0 });
    let failing = false;
    h.tokens.push(async () => {
      if (failing) throw new ChatError('TOKEN_HTTP', 'status 502', 502);
      return { email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 };
    });
    await Promise.all([h.chat.login(), h.advance(3000)]);
    failing = true;
    let once = false;
    let before = 0;
    h.chat.on('state', (state) => {
      if (state === 'authenticating' && h.chat.identity === null && !once) {
        once = true;
        failing = false;
        before = h.requests();
        if (call === 'destroy') h.chat.destroy();
        else if (call === 'revoke') void h.chat.setConsent(false);
        else void h.chat.login().catch(() => {});
      }
    });
    await h.advance(605_000);
    await h.advance(10_000);
    console.log(call, h.chat.state, h.requests() - before, h.settings());
    if (call === 'login') {
      expect(h.chat.state).toBe('authenticated');
      expect(h.requests() - before).toBe(1);
    } else {
      expect(h.requests() - before).toBe(0);
      expect(h.settings() ?? {}).not.toHaveProperty('identificationEmail');
      expect(h.standIn.fake.state().identity.identified).toBe(false);
    }
  });
}
