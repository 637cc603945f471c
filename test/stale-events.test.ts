// docs/decisions.md §16: a listener that makes a later call (login, logout, destroy) is a later
// call; the listeners after it heard of that call already, so they are not told the stale event
// afterwards (they would see `authenticated` after `logged-out`, or a logout's old reason last).
// An error and a consent change stay news: every listener hears them.
import { expect, it } from 'vitest';
import { ChatError } from '../src/index';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';

it('a state listener that logs out: the next listener hears logged-out, never the stale authenticated after it', async () => {
  const h = setUp();
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
  const heard: string[] = [];
  h.chat.on('state', (state) => {
    if (state === 'authenticated') void h.chat.logout();
  });
  h.chat.on('state', (state) => heard.push(state));
  await Promise.all([h.chat.login().catch(() => {}), h.advance(3000)]);
  expect(heard).toEqual(['authenticating', 'logged-out']);
  expect(h.chat.state).toBe('logged-out');
});

it('every error listener hears the error, also after one of them logged out', async () => {
  const h = setUp({ retries: 0 });
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }), async () => {
    throw new ChatError('TOKEN_HTTP', 'Token request failed with status 502: fetchToken()', 502);
  });
  await Promise.all([h.chat.login(), h.advance(3000)]);
  const heard: string[] = [];
  h.chat.on('error', () => void h.chat.logout());
  h.chat.on('error', (error) => heard.push(error.code));
  await Promise.all([h.chat.login({ fresh: true }).catch(() => {}), h.advance(1000)]);
  expect(heard).toEqual(['TOKEN_HTTP']);
});

it('every consent listener hears the consent change, also after one of them logged out', async () => {
  const h = setUp();
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
  await Promise.all([h.chat.login(), h.advance(3000)]);
  const heard: string[] = [];
  h.chat.on('consent', () => void h.chat.logout());
  h.chat.on('consent', (consent) => heard.push(consent));
  await Promise.all([h.chat.setConsent(false), h.advance(1000)]);
  expect(heard).toEqual(['denied']);
});
