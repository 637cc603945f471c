import { describe, expect, it, vi } from 'vitest';
import type { HubSpotWindow } from '../src/hubspot/types';
import { ChatError } from '../src/index';
import { names, setUp, states } from './harness';

const alice = 'alice@example.com';

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('token expiry and refresh', () => {
  it('refreshes refreshMarginMs before expiry without disturbing the conversation', async () => {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(async () => ({
      email: alice,
      token: h.standIn.fake.issueToken(alice),
      expiresIn: 600,
    }));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.standIn.fake.simulate.startConversation('still talking');
    const token = h.settings()?.identificationToken;
    h.events.length = 0;
    await h.advance(540_000 - 3000 - 1);
    expect(h.requests()).toBe(1);
    await h.advance(10);
    expect(h.requests()).toBe(2);
    expect(h.events).toEqual([['tokenRefresh', { email: alice }]]);
    expect(h.settings()?.identificationToken).not.toBe(token);
    expect(h.standIn.fake.state()).toMatchObject({ shellGeneration: 1, loaded: true });
    expect(h.standIn.fake.state().visibleThreads).toHaveLength(1);
  });

  it('hands a renewed token to the live widget with refresh({ setIdentification: true })', async () => {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(async () => ({
      email: alice,
      token: h.standIn.fake.issueToken(alice),
      expiresIn: 600,
    }));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    const api = (window as unknown as HubSpotWindow).HubSpotConversations;
    if (!api) throw new Error('no HubSpot API');
    const refresh = vi.spyOn(api.widget, 'refresh');
    await h.advance(540_000);
    expect(h.requests()).toBe(2);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith(expect.objectContaining({ setIdentification: true }));
    // The same shell: no reset for a renewal.
    expect((window as unknown as HubSpotWindow).HubSpotConversations).toBe(api);
    await h.advance(5000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('refreshes at half the lifetime when it is shorter than the margin', async () => {
    const h = setUp({ refreshMarginMs: 60_000 });
    const issued: number[] = [];
    h.tokens.push(async () => {
      issued.push(Date.now());
      return { email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 30 };
    });
    await Promise.all([h.chat.login(), h.advance(100)]);
    await h.advance(15_000);
    expect(issued).toHaveLength(2);
    expect((issued[1] as number) - (issued[0] as number)).toBe(15_000);
  });

  it('reads the expiry from the JWT exp claim when the endpoint gives none', async () => {
    const h = setUp({ refreshMarginMs: 1000 });
    const payload = (exp: number) =>
      `eyJhbGciOiJub25lIn0.${btoa(JSON.stringify({ exp })).replace(/=+$/, '')}.`;
    h.tokens.push(async () => ({
      email: alice,
      token: payload(Math.floor(Date.now() / 1000) + 20),
    }));
    await Promise.all([h.chat.login(), h.advance(100)]);
    expect(h.requests()).toBe(1);
    await h.advance(19_000);
    expect(h.requests()).toBe(2);
  });

  it('refreshes at once when the tab becomes visible again past the refresh time', async () => {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(async () => ({
      email: alice,
      token: h.standIn.fake.issueToken(alice),
      expiresIn: 600,
    }));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    setVisibility('hidden');
    // A background tab's timers may not run: jump the clock without running them.
    const { vi } = await import('vitest');
    vi.setSystemTime(Date.now() + 560_000);
    setVisibility('visible');
    await h.advance(1);
    expect(h.requests()).toBe(2);
    setVisibility('visible');
  });

  it('keeps the identity and emits the error when a refresh fails for a passing reason', async () => {
    const h = setUp({ refreshMarginMs: 60_000, retries: 0 });
    h.tokens.push(
      async () => ({ email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 }),
      async () => {
        throw new ChatError('TOKEN_HTTP', 'Token request failed with status 500: POST /t', 500);
      },
      async () => ({ email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 }),
    );
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.events.length = 0;
    await h.advance(540_000);
    expect(h.chat.state).toBe('authenticated');
    expect(h.events).toEqual([
      ['error', expect.objectContaining({ code: 'TOKEN_HTTP', status: 500 })],
    ]);
    await h.advance(30_000); // retried at half the remaining minute
    expect(h.requests()).toBe(3);
    expect(names(h.events)).toEqual(['error', 'tokenRefresh']);
  });

  it.each([401, 403])('behaves as logout() when a refresh gets %i', async (status) => {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(
      async () => ({ email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 600 }),
      async () => {
        throw new ChatError('TOKEN_HTTP', `Token request failed with status ${status}`, status);
      },
    );
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.events.length = 0;
    await h.advance(540_000);
    expect(h.chat.state).toBe('logged-out');
    expect(states(h.events)).toEqual(['logged-out']);
    expect(names(h.events)).toEqual(['state', 'logout', 'error', 'widgetLoaded']);
    expect(h.settings()).not.toHaveProperty('identificationToken');
    expect(h.standIn.fake.state().identity.identified).toBe(false);
  });

  it('never keeps an expired identity: refreshes failing until expiry end in logout', async () => {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(
      async () => ({ email: alice, token: h.standIn.fake.issueToken(alice), expiresIn: 120 }),
      async () => {
        throw new TypeError('Failed to fetch');
      },
    );
    await Promise.all([h.chat.login(), h.advance(3000)]);
    await h.advance(125_000);
    expect(h.chat.state).toBe('logged-out');
    // The last refresh's network failure, reported as the expiry it caused (issue 19.13).
    expect(h.events.filter((e) => e[0] === 'error').at(-1)).toEqual([
      'error',
      expect.objectContaining({
        code: 'TOKEN_EXPIRED',
        message: expect.stringMatching(/Failed to fetch/),
      }),
    ]);
    expect(h.settings()).not.toHaveProperty('identificationToken');
  });
});
