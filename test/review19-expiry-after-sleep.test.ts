// Issue 19.4: after sleep, the overdue refresh and expiry timers fire together. The expiry must not
// log the visitor out in every tab: the expired identity leaves the widget, the chat stays
// `authenticating` while the refresh runs, goes `logged-out` only if it fails, and an expiry is
// never broadcast (each tab has its own token) — docs/decisions.md §7, §26.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '../src/index';
import { names, setUp, states, toldOtherTabs, validToken } from './harness';

const alice = 'alice@example.com';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * The computer slept while the refresh was on the wire (it started 60 s before expiry and answers
 * 90 s later): on waking, the expiry fires while the refresh still runs, as overdue timers do.
 */
const SLEPT_MS = 90_000;
async function sleepPastExpiry(h: ReturnType<typeof setUp>): Promise<void> {
  await h.advance(600_000 - 3000 + 1);
}

describe('waking up after the token expired', () => {
  it('renews the token without a logout in this tab or the others', async () => {
    const posts = toldOtherTabs();
    const h = setUp({ refreshMarginMs: 60_000, timeoutMs: 120_000 });
    const answer = (delayMs: number) => async () => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 };
    };
    h.tokens.push(answer(0), answer(SLEPT_MS));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    posts.length = 0;
    h.events.length = 0;
    await sleepPastExpiry(h);
    // The expired identity is out of the settings at once; the chat waits for the refresh.
    expect(h.chat.state).toBe('authenticating');
    expect(h.chat.identity).toBeNull();
    expect(h.settings()).not.toHaveProperty('identificationToken');
    await h.advance(SLEPT_MS);
    expect(h.chat.state).toBe('authenticated');
    expect(h.chat.identity).toEqual({ email: alice });
    expect(states(h.events)).toEqual(['authenticating', 'authenticated']);
    expect(names(h.events)).not.toContain('logout');
    expect(posts).toEqual([]);
    expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
  });

  it('goes logged-out, with a logout event and the error, when that refresh fails; told to no tab', async () => {
    const posts = toldOtherTabs();
    const h = setUp({ refreshMarginMs: 60_000, retries: 0, timeoutMs: 120_000 });
    h.tokens.push(
      async () => ({ email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 }),
      async () => {
        await new Promise((resolve) => setTimeout(resolve, SLEPT_MS));
        throw new ChatError('TOKEN_HTTP', 'Token request failed with status 502: POST /t', 502);
      },
    );
    await Promise.all([h.chat.login(), h.advance(3000)]);
    posts.length = 0;
    h.events.length = 0;
    await sleepPastExpiry(h);
    expect(h.chat.state).toBe('authenticating');
    await h.advance(SLEPT_MS);
    expect(h.chat.state).toBe('logged-out');
    expect(states(h.events)).toEqual(['authenticating', 'logged-out']);
    expect(h.events.filter((event) => event[0] === 'logout')).toEqual([['logout', 'expired']]);
    // The refresh's failure, reported as the expiry it caused (issue 19.13).
    expect(h.events.filter((event) => event[0] === 'error').at(-1)).toEqual([
      'error',
      expect.objectContaining({ code: 'TOKEN_EXPIRED', status: 502 }),
    ]);
    expect(posts).toEqual([]);
    expect(h.standIn.fake.state().identity.identified).toBe(false);
  });

  it('refreshes first when the page comes back (pageshow, online) past the refresh time', async () => {
    for (const event of ['pageshow', 'online'] as const) {
      const h = setUp({ refreshMarginMs: 60_000 });
      h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
      await Promise.all([h.chat.login(), h.advance(3000)]);
      const requests = h.requests();
      // Timers of a frozen page do not run: only the clock moved.
      vi.setSystemTime(Date.now() + 560_000);
      window.dispatchEvent(new Event(event));
      expect(h.requests()).toBe(requests + 1);
      h.chat.destroy();
      h.standIn.uninstall();
    }
  });
});
