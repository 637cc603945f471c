// Issue 19.13: the `logout` event says why the chat logged out, so that an app (or a provider) can
// tell its own logout() from one the chat made by itself; a token that expired and could not be
// renewed is reported as TOKEN_EXPIRED, apart from the refresh's own failure.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '../src/index';
import { setUp, toldOtherTabs, validToken } from './harness';

const alice = 'alice@example.com';

afterEach(() => {
  vi.restoreAllMocks();
});

const logouts = (events: unknown[][]) => events.filter((event) => event[0] === 'logout');
const errors = (events: unknown[][]) =>
  events.filter((event) => event[0] === 'error').map((event) => event[1] as ChatError);

async function signedIn(h: ReturnType<typeof setUp>): Promise<void> {
  await Promise.all([h.chat.login(), h.advance(3000)]);
  h.events.length = 0;
}

describe('why the chat logged out', () => {
  it("says 'logout' for the page's own logout()", async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
    await signedIn(h);
    await h.chat.logout();
    expect(logouts(h.events)).toEqual([['logout', 'logout']]);
  });

  it("says 'tab' for another tab's logout", async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
    await signedIn(h);
    const other = new BroadcastChannel('hubspot-visitor-chat');
    other.postMessage({ type: 'logout' });
    await vi.waitFor(() => expect(logouts(h.events)).toEqual([['logout', 'tab']]));
    other.close();
  });

  it("says 'consent' when an identified visitor withdraws consent", async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
    await signedIn(h);
    await Promise.all([h.chat.setConsent(false), h.advance(1000)]);
    expect(logouts(h.events)).toEqual([['logout', 'consent']]);
  });

  it("says 'refused' when the token endpoint refuses a refresh (401); the other tabs are told", async () => {
    const posts = toldOtherTabs();
    const h = setUp({ refreshMarginMs: 60_000, retries: 0 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }), async () => {
      throw new ChatError('TOKEN_HTTP', 'Token request failed with status 401: POST /t', 401);
    });
    await signedIn(h);
    await h.advance(545_000);
    expect(h.chat.state).toBe('logged-out');
    expect(logouts(h.events)).toEqual([['logout', 'refused']]);
    expect(errors(h.events).map((error) => error.code)).toEqual(['TOKEN_HTTP']);
    expect(posts.at(-1)).toBe('logout');
  });

  it("says 'failed' when a login for another session fails while someone is identified", async () => {
    const h = setUp({ retries: 0 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }), async () => {
      throw new ChatError('TOKEN_HTTP', 'Token request failed with status 502: POST /t', 502);
    });
    await signedIn(h);
    const login = h.chat.login({ fresh: true }).catch((error: ChatError) => error.code);
    await h.advance(1000);
    expect(await login).toBe('TOKEN_HTTP');
    expect(logouts(h.events)).toEqual([['logout', 'failed']]);
  });

  it("says 'failed', not 'refused', when the endpoint refuses an explicit login (no chat renews it by itself)", async () => {
    const h = setUp({ retries: 0 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }), async () => {
      throw new ChatError('TOKEN_HTTP', 'Token request failed with status 401: POST /t', 401);
    });
    await signedIn(h);
    const login = h.chat.login({ fresh: true }).catch((error: ChatError) => error.status);
    await h.advance(1000);
    expect(await login).toBe(401);
    expect(logouts(h.events)).toEqual([['logout', 'failed']]);
  });

  it("says 'expired', with TOKEN_EXPIRED, when the token ran out and no refresh replaced it; no tab is told", async () => {
    const posts = toldOtherTabs();
    const h = setUp({ refreshMarginMs: 60_000, retries: 0, timeoutMs: 120_000 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }), async () => {
      // On the wire until after the expiry, then a server error.
      await new Promise((resolve) => setTimeout(resolve, 90_000));
      throw new ChatError('TOKEN_HTTP', 'Token request failed with status 502: POST /t', 502);
    });
    await signedIn(h);
    posts.length = 0;
    await h.advance(700_000);
    expect(h.chat.state).toBe('logged-out');
    expect(logouts(h.events)).toEqual([['logout', 'expired']]);
    const [error] = errors(h.events);
    expect(error?.code).toBe('TOKEN_EXPIRED');
    // What the refresh ran into stays readable.
    expect(error?.message).toContain('status 502');
    expect(error?.status).toBe(502);
    expect(posts).toEqual([]);
  });
});
