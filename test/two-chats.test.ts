// A framework re-mount creates the new chat before the old one's deferred destroy: HubSpot's one
// widget follows the chat started last, and the old chat's destroy() leaves it alone (issue 14).
import { describe, expect, it } from 'vitest';
import { createChat } from '../src/index';
import { outcome, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';

describe('two chats on one page', () => {
  it('destroying the older chat leaves the newer one’s widget on the page', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    const next = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
    try {
      await Promise.all([next.start(), h.advance(100)]);
      h.chat.destroy(); // the old effect's deferred cleanup
      await h.advance(3000);
      expect(h.standIn.fake.state()).toMatchObject({
        loaded: true,
        identity: { identified: false },
      });
      await Promise.all([next.login(), h.advance(3000)]);
      expect(h.standIn.fake.state().identity).toEqual({ email: bob, identified: true });
    } finally {
      next.destroy();
    }
  });

  it('the newer chat takes over the same visitor’s widget without a reset', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    const shells = h.standIn.fake.state().shellGeneration;
    const next = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, alice) });
    try {
      await Promise.all([next.login(), h.advance(3000)]);
      h.chat.destroy();
      await h.advance(3000);
      expect(h.standIn.fake.state().shellGeneration).toBe(shells);
      expect(h.standIn.fake.state()).toMatchObject({
        loaded: true,
        identity: { email: alice, identified: true },
      });
      expect(h.settings()).toMatchObject({ identificationEmail: alice });
    } finally {
      next.destroy();
    }
  });

  it('the newer chat resets an instance that carries another visitor', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    const next = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
    try {
      await Promise.all([next.start(), h.advance(3000)]);
      expect(h.standIn.fake.state().identity).toEqual({ email: '', identified: false });
      h.chat.destroy();
      await h.advance(3000);
      expect(h.standIn.fake.state().identity).toEqual({ email: '', identified: false });
    } finally {
      next.destroy();
    }
  });
});

describe('login({ fresh: true }) and refreshes', () => {
  it('a fresh login drops the answer in flight unapplied, asks again, and ends as the new visitor', async () => {
    const h = setUp();
    const slow = (email: string) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { email, token: h.standIn.fake.issueToken(email) };
    };
    h.tokens.push(slow(alice), slow(bob));
    const first = outcome(h.chat.login());
    await h.advance(100);
    const second = outcome(h.chat.login({ fresh: true }));
    await h.advance(5000);
    // The first answer may be the previous person's: dropped unapplied, never on the widget.
    expect(await first).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
    expect(await second).toEqual({ value: { email: bob } });
    expect(h.standIn.fake.state().shells.filter((shell) => shell.email === alice)).toEqual([]);
    expect(h.requests()).toBe(2);
    expect(h.standIn.fake.state().identity).toEqual({ email: bob, identified: true });
  });

  it('a logout after a fresh login supersedes it too', async () => {
    const h = setUp();
    h.tokens.push(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { email: alice, token: h.standIn.fake.issueToken(alice) };
    });
    void h.chat.login().catch(() => {});
    await h.advance(100);
    const fresh = outcome(h.chat.login({ fresh: true }));
    void h.chat.logout();
    await h.advance(5000);
    expect(await fresh).toEqual({ error: expect.objectContaining({ code: 'ABORTED' }) });
    expect(h.chat.state).toBe('logged-out');
    expect(h.standIn.fake.state().shells.filter((shell) => shell.email)).toEqual([]);
  });

  it('an explicit login() during a token refresh asks for its own token', async () => {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    // The refresh at 9 min hangs; meanwhile the site's session became bob's.
    h.tokens.splice(
      0,
      1,
      () => new Promise(() => {}),
      validToken(h.standIn, bob, { expiresIn: 600 }),
    );
    await h.advance(540_000);
    expect(h.requests()).toBe(2);
    const login = outcome(h.chat.login());
    await h.advance(5000);
    expect(await login).toEqual({ value: { email: bob } });
    expect(h.requests()).toBe(3);
    expect(h.standIn.fake.state().identity).toEqual({ email: bob, identified: true });
  });
});
