// Cold review of the logout reasons (issue 19.13): reasons and errors on the paths around an expiry.
import { afterEach, expect, it, vi } from 'vitest';
import { ChatError } from '../src/index';
import { outcome, setUp, toldOtherTabs, validToken } from './harness';

const alice = 'alice@example.com';
afterEach(() => vi.restoreAllMocks());
const logouts = (events: unknown[][]) => events.filter((e) => e[0] === 'logout').map((e) => e[1]);
const errorCodes = (events: unknown[][]) =>
  events.filter((e) => e[0] === 'error').map((e) => (e[1] as ChatError).code);

// Passes: an explicit login() after an expiry gets its own error, never TOKEN_EXPIRED.
it("C1: a login() that supersedes the refresh after expiry rejects with its own error; logout 'failed'", async () => {
  const h = setUp({ refreshMarginMs: 60_000, retries: 0, timeoutMs: 120_000 });
  h.tokens.push(
    validToken(h.standIn, alice, { expiresIn: 600 }),
    async () => {
      await new Promise((r) => setTimeout(r, 90_000)); // the refresh, on the wire past the expiry
      throw new ChatError('TOKEN_HTTP', 'status 502', 502);
    },
    async () => {
      throw new ChatError('TOKEN_HTTP', 'status 503', 503);
    },
  );
  await Promise.all([h.chat.login(), h.advance(3000)]);
  h.events.length = 0;
  await h.advance(600_000); // past the expiry, refresh still on the wire
  expect(h.chat.state).toBe('authenticating');
  const login = outcome(h.chat.login());
  await h.advance(1000);
  const result = await login;
  expect((result as { error: ChatError }).error.code).toBe('TOKEN_HTTP');
  expect((result as { error: ChatError }).error.status).toBe(503);
  expect(logouts(h.events)).toEqual(['failed']);
  expect(errorCodes(h.events)).not.toContain('TOKEN_EXPIRED');
});

// A refresh failing after the expiry gives 'expired' + TOKEN_EXPIRED; a 401 gives 'refused' +
// TOKEN_HTTP, and the session (the site's) is over in every tab: only an expiry is not told.
it("C2: a refresh answered 401 after the expiry: 'refused' with TOKEN_HTTP, and the other tabs are told", async () => {
  const posts = toldOtherTabs();
  const h = setUp({ refreshMarginMs: 60_000, retries: 0, timeoutMs: 120_000 });
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }), async () => {
    await new Promise((r) => setTimeout(r, 90_000));
    throw new ChatError('TOKEN_HTTP', 'status 401', 401);
  });
  await Promise.all([h.chat.login(), h.advance(3000)]);
  h.events.length = 0;
  posts.length = 0;
  await h.advance(700_000);
  expect(logouts(h.events)).toEqual(['refused']);
  expect(errorCodes(h.events)).toEqual(['TOKEN_HTTP']);
  expect(posts).toEqual(['logout']);
});

// The guide: "A failed refresh while authenticated ... after a 401 or 403 ... ('refused'; the other
// tabs are told, as the session is the site's)". After a sleep past the expiry (timers not yet
// run, state still authenticated) a 401 is 'refused' but no tab is told.
it("C3: a refresh answered 401 after a sleep past the expiry (still 'authenticated'): the other tabs are told", async () => {
  const posts = toldOtherTabs();
  const h = setUp({ refreshMarginMs: 60_000, retries: 0 });
  h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }), async () => {
    // The computer slept while the refresh was on the wire: the wall clock is past the expiry,
    // whose timer has not run yet.
    vi.setSystemTime(Date.now() + 120_000);
    throw new ChatError('TOKEN_HTTP', 'status 401', 401);
  });
  await Promise.all([h.chat.login(), h.advance(3000)]);
  h.events.length = 0;
  posts.length = 0;
  await h.advance(540_000);
  expect(logouts(h.events)).toEqual(['refused']);
  // The session (the site's) is over: the guide says the other tabs are told.
  expect(posts).toContain('logout');
});
