// Issue 19.6: two chats on one page (a site-wide chat and a sub-page's, or two copies of the SDK:
// the UMD in a CMS template and the app's bundle). The one started last drives HubSpot's widget and
// hands it back when destroyed; a chat that does not drive never writes HubSpot's settings; a
// second live chat is warned about once — docs/decisions.md §25.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChat } from '../src/index';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';

/** A second copy of the SDK, as a page that loads it twice has: its own modules, its own state. */
async function otherCopy(): Promise<typeof createChat> {
  vi.resetModules();
  return (await import('../src/index')).createChat;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each([
  ['the same copy of the SDK', async () => createChat],
  ['another copy of the SDK', otherCopy],
])('two live chats from %s', (_, copy) => {
  it('the sub-page chat takes the widget and gives it back to the signed-in chat when destroyed', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    const make = await copy();
    const sub = make({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
    try {
      await Promise.all([sub.start(), h.advance(3000)]);
      expect(h.standIn.fake.state().identity).toEqual({ email: '', identified: false });
      sub.destroy();
      await h.advance(5000);
      expect(h.standIn.fake.state()).toMatchObject({
        loaded: true,
        identity: { email: alice, identified: true },
      });
      expect(h.settings()).toMatchObject({ identificationEmail: alice });
    } finally {
      sub.destroy();
    }
  });

  it('resets once, not again and again, and the chat that does not drive writes no settings', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(3000)]);
    const make = await copy();
    const sub = make({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
    try {
      h.tokens.push(validToken(h.standIn, bob));
      await Promise.all([sub.login(), h.advance(3000)]);
      const shells = h.standIn.fake.state().shellGeneration;
      expect(h.standIn.fake.state().identity).toEqual({ email: bob, identified: true });
      // The older chat signs alice in while the sub-page's chat drives: bob's widget stays.
      h.tokens.splice(0, h.tokens.length, validToken(h.standIn, alice));
      await Promise.all([h.chat.login(), h.advance(10_000)]);
      expect(h.chat.state).toBe('authenticated');
      expect(h.settings()).toMatchObject({ identificationEmail: bob });
      expect(h.standIn.fake.state().identity).toEqual({ email: bob, identified: true });
      expect(h.standIn.fake.state().shellGeneration).toBe(shells);
      // The sub-page goes: alice's chat drives again, with one reset away from bob.
      sub.destroy();
      await h.advance(10_000);
      expect(h.standIn.fake.state().identity).toEqual({ email: alice, identified: true });
      expect(h.standIn.fake.state().shellGeneration - shells).toBeLessThanOrEqual(2);
    } finally {
      sub.destroy();
    }
  });
});

it('warns once when second and third chats stay live beside the first', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const h = setUp();
  // A fresh copy: "once" is once per copy of the SDK.
  const make = await otherCopy();
  const chats = [alice, bob, bob].map((email) =>
    make({ portalId: '1234567', fetchToken: validToken(h.standIn, email) }),
  );
  try {
    await Promise.all([...chats.map((chat) => chat.start()), h.advance(5000)]);
    const twoChats = warn.mock.calls.filter((call) => /two live chats/.test(String(call[0])));
    expect(twoChats).toHaveLength(1);
  } finally {
    for (const chat of chats) chat.destroy();
  }
});

it('a chat that replaces another in the same task (a re-mount) is not warned about', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const h = setUp();
  await Promise.all([h.chat.start(), h.advance(3000)]);
  const next = createChat({ portalId: '1234567', fetchToken: validToken(h.standIn, bob) });
  try {
    void next.start();
    setTimeout(() => h.chat.destroy(), 0); // the old provider's deferred destroy
    await h.advance(5000);
    expect(warn.mock.calls.filter((call) => /two live chats/.test(String(call[0])))).toEqual([]);
  } finally {
    next.destroy();
  }
});
