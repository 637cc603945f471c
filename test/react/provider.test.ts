import { act, render, screen } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { expect, it, vi } from 'vitest';
import { type Chat, type ChatError, createChat } from '../../src/index';
import {
  ChatLauncher,
  HubSpotChatProvider,
  useChatState,
  useHubSpotChat,
} from '../../src/react/index';
import { email, provider, type ReactHarness, realMacrotask, setUp, strict } from './harness';

/** Shows the chat's state and identity, as an app's header would. */
function Status() {
  const { state, identity } = useChatState();
  return createElement('output', null, `${state} ${identity?.email ?? '-'}`);
}

const loaders = () => document.querySelectorAll('script#hs-script-loader').length;
const emails = (shells: Array<{ email: string }>) => shells.map((shell) => shell.email);

it('under StrictMode: one loader, one token request, one identified load; then one reset per change; nothing left after unmount', async () => {
  const t = setUp();
  const { fake } = t.standIn;
  const app = (signedIn: string | false) =>
    strict(
      provider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn }, createElement(Status)),
    );

  t.server.user = 'u1';
  const view = render(app('u1'));
  await t.advance();
  expect(loaders()).toBe(1);
  expect(t.server.requests).toBe(1);
  expect(emails(fake.state().shells)).toEqual([email('u1')]); // no anonymous instance first
  expect(fake.state()).toMatchObject({
    loaded: true,
    identity: { email: email('u1'), identified: true },
  });
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);

  t.server.user = 'u2';
  view.rerender(app('u2'));
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(emails(fake.state().shells)).toEqual([email('u1'), email('u2')]); // exactly one reset
  expect(fake.state().identity).toEqual({ email: email('u2'), identified: true });
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u2')}`);

  t.server.user = null;
  view.rerender(app(false));
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(emails(fake.state().shells)).toEqual([email('u1'), email('u2'), '']);
  expect(fake.state()).toMatchObject({ loaded: true, identity: { email: '', identified: false } });
  expect(screen.getByRole('status').textContent).toBe('logged-out -');
  expect(loaders()).toBe(1);

  view.unmount();
  expect(fake.state().loaded).toBe(true); // destroy() waits a macrotask, in case React re-mounts
  act(() => {
    vi.advanceTimersByTime(0);
  });
  expect(fake.state().loaded).toBe(false);
  expect(document.getElementById('hubspot-messages-iframe-container')).toBeNull();
  expect(fake.state().listenerCounts).toEqual({});
  expect(t.warnings().filter((w) => /duplicate instance/.test(w))).toEqual([]);
});

it('identifies a visitor already signed in on the first render, without an anonymous widget or a second request', async () => {
  const t = setUp();
  t.server.user = 'u1';
  render(
    strict(
      provider(
        { portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1' },
        createElement(Status),
      ),
    ),
  );
  await t.advance(60_000);
  expect(t.server.requests).toBe(1);
  expect(t.standIn.fake.state().loadCalls).toBe(1);
  expect(emails(t.standIn.fake.state().shells)).toEqual([email('u1')]);
});

it('leaves the identity alone while signedIn is undefined, and does not log out a visitor who never signed in', async () => {
  const t = setUp();
  const app = (signedIn?: false) =>
    strict(
      provider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn }, createElement(Status)),
    );
  const view = render(app());
  await t.advance();
  view.rerender(app(false));
  await t.advance();
  expect(t.server.requests).toBe(0);
  expect(screen.getByRole('status').textContent).toBe('anonymous -'); // no logout from anonymous
  expect(emails(t.standIn.fake.state().shells)).toEqual(['']);
});

it('unmounted while identified: after one macrotask no widget carries the visitor and no listener is left', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const view = render(
    strict(provider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1' })),
  );
  await t.advance();
  expect(t.standIn.fake.state().identity.identified).toBe(true);
  view.unmount();
  act(() => {
    vi.advanceTimersByTime(0);
  });
  const after = t.standIn.fake.state();
  expect(after.loaded).toBe(false);
  expect(after.listenerCounts).toEqual({});
  const settings = (window as { hsConversationsSettings?: Record<string, unknown> })
    .hsConversationsSettings;
  expect(settings?.identificationEmail).toBeUndefined();
  expect(settings?.identificationToken).toBeUndefined();
});

it('never destroys a chat given with chat={existing}, and stops listening to it on unmount', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const onError = vi.fn();
  const view = render(strict(provider({ chat, signedIn: 'u1', onError })));
  await t.advance();
  expect(chat.state).toBe('authenticated');
  view.unmount();
  await t.advance(10_000);
  expect(chat.state).toBe('authenticated');
  expect(t.standIn.fake.state()).toMatchObject({ loaded: true, identity: { identified: true } });

  t.server.user = null; // the next token request fails: the chat emits an error
  const refused = chat.login().catch((error: ChatError) => error.code);
  await t.advance(60_000);
  await expect(refused).resolves.toBe('TOKEN_NETWORK');
  expect(onError).not.toHaveBeenCalled(); // the provider's listener went with it
  chat.destroy();
});

it('hands a failed login to onError once, never as an unhandled rejection', async () => {
  const t = setUp();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const errors: ChatError[] = [];
    render(
      strict(
        provider(
          {
            portalId: '1234567',
            fetchToken: t.fetchToken, // server.user is null: it throws
            retries: 0,
            signedIn: 'u1',
            onError: (error) => errors.push(error),
          },
          createElement(Status),
        ),
      ),
    );
    await t.advance();
    await realMacrotask(); // Node reports unhandled rejections after the microtasks
    expect(errors.map((error) => error.code)).toEqual(['TOKEN_NETWORK']);
    expect(screen.getByRole('status').textContent).toBe('anonymous -');
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

for (const withOnError of [false, true]) {
  it(`${withOnError ? 'with onError, a failed login goes there and not to the console' : 'without onError, a failed login is console.warned once (the quick start never fails silently)'}`, async () => {
    const t = setUp();
    const errors: ChatError[] = [];
    const view = render(
      strict(
        provider({
          portalId: '1234567',
          fetchToken: t.fetchToken, // server.user is null: it throws
          retries: 0,
          signedIn: 'u1',
          ...(withOnError ? { onError: (error: ChatError) => errors.push(error) } : {}),
        }),
      ),
    );
    await t.advance();
    const warned = t.warnings().filter((w) => /TOKEN_NETWORK/.test(w));
    expect(warned).toHaveLength(withOnError ? 0 : 1);
    expect(errors).toHaveLength(withOnError ? 1 : 0);
    view.unmount();
  });
}

it('calls the latest onError', async () => {
  const t = setUp();
  const first = vi.fn();
  const second = vi.fn();
  const app = (onError: (error: ChatError) => void, signedIn: string | false) =>
    provider({ portalId: '1234567', fetchToken: t.fetchToken, retries: 0, onError, signedIn });
  const view = render(app(first, false));
  view.rerender(app(second, 'u1'));
  await t.advance();
  expect(first).not.toHaveBeenCalled();
  expect(second).toHaveBeenCalledTimes(1);
});

it('mirrors the consent prop: nothing of HubSpot while pending, the waiting login on grant, a fresh login after a revocation and a new grant', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const app = (consent: 'pending' | 'granted' | 'denied') =>
    strict(
      provider(
        { portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1', consent },
        createElement(Status),
      ),
    );
  const view = render(app('pending'));
  await t.advance();
  expect(loaders()).toBe(0);
  expect(t.server.requests).toBe(0);

  view.rerender(app('granted'));
  await t.advance();
  expect(t.server.requests).toBe(1);
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);

  view.rerender(app('denied'));
  await t.advance();
  expect(screen.getByRole('status').textContent).toBe('logged-out -');
  expect(t.standIn.fake.state().loaded).toBe(false);

  view.rerender(app('granted'));
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);
});

it('starts with consent denied: no HubSpot, no token request, and no error for the login it did not make', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const onError = vi.fn();
  render(
    strict(
      provider({
        portalId: '1234567',
        fetchToken: t.fetchToken,
        signedIn: 'u1',
        consent: 'denied',
        onError,
      }),
    ),
  );
  await t.advance();
  expect(loaders()).toBe(0);
  expect(t.server.requests).toBe(0);
  expect(onError).not.toHaveBeenCalled();
});

it('a new signedIn while a login is in flight does not reuse the previous request', async () => {
  const t = setUp();
  let answer!: (value: { email: string; token: string }) => void;
  const fetchToken = vi.fn(
    () =>
      new Promise<{ email: string; token: string }>((resolve) => {
        answer = resolve;
      }),
  );
  const app = (signedIn: string) =>
    strict(provider({ portalId: '1234567', fetchToken, signedIn }, createElement(Status)));
  const view = render(app('u1'));
  await t.advance(10);
  const first = answer;
  view.rerender(app('u2'));
  await t.advance(10);
  expect(fetchToken).toHaveBeenCalledTimes(2);
  first({ email: email('u1'), token: t.standIn.fake.issueToken(email('u1')) }); // stale
  answer({ email: email('u2'), token: t.standIn.fake.issueToken(email('u2')) });
  await t.advance();
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u2')}`);
  expect(t.standIn.fake.state().identity).toEqual({ email: email('u2'), identified: true });
  expect(emails(t.standIn.fake.state().shells)).toEqual([email('u2')]);
});

// ---- The review of issue 14 (its failing reproductions, kept with their assertions) ----

/**
 * A token endpoint whose answers the test releases: each request is answered for the user the
 * backend's session held when the request was made, as a real endpoint would.
 */
function heldEndpoint(t: ReactHarness, expiresIn?: number) {
  const pending: Array<() => void> = [];
  const fetchToken = vi.fn(
    () =>
      new Promise<{ email: string; token: string; expiresIn?: number }>((resolve) => {
        const user = t.server.user as string;
        pending.push(() =>
          resolve({ email: email(user), token: t.standIn.fake.issueToken(email(user)), expiresIn }),
        );
      }),
  );
  const answerAll = async () => {
    while (pending.length) {
      for (const answer of pending.splice(0)) answer();
      await t.advance();
    }
  };
  return { fetchToken, answerAll };
}

it('signedIn u1 → u2 → u3 from authenticated: u3 gets its own token request, not u2’s', async () => {
  const t = setUp();
  const { fetchToken, answerAll } = heldEndpoint(t);
  const app = (signedIn: string) =>
    strict(provider({ portalId: '1234567', fetchToken, signedIn }, createElement(Status)));
  t.server.user = 'u1';
  const view = render(app('u1'));
  await t.advance(10);
  await answerAll();
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);

  t.server.user = 'u2'; // the app signs u2 in: the provider asks for u2's token…
  view.rerender(app('u2'));
  await t.advance(10);
  t.server.user = 'u3'; // …and u3 signs in before that answer came
  view.rerender(app('u3'));
  await t.advance(10);
  // A new key while a login is still in flight supersedes it (login({ fresh: true })).
  expect(fetchToken).toHaveBeenCalledTimes(3);
  await answerAll();
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u3')}`);
  expect(t.standIn.fake.state().identity).toEqual({ email: email('u3'), identified: true });
});

it('a new signedIn while a token refresh is in flight identifies the new user', async () => {
  const t = setUp();
  const { fetchToken, answerAll } = heldEndpoint(t, 600); // 10-minute tokens: refresh at 9 min
  const app = (signedIn: string) =>
    strict(provider({ portalId: '1234567', fetchToken, signedIn }, createElement(Status)));
  t.server.user = 'u1';
  const view = render(app('u1'));
  await t.advance(10);
  await answerAll();
  await t.advance(540_000); // the scheduled refresh of u1's token is now in flight
  expect(fetchToken).toHaveBeenCalledTimes(2);

  t.server.user = 'u2'; // u1 signs out and u2 signs in meanwhile
  view.rerender(app('u2'));
  await t.advance(10);
  await answerAll();
  expect(fetchToken).toHaveBeenCalledTimes(3);
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u2')}`);
  expect(t.standIn.fake.state().identity).toEqual({ email: email('u2'), identified: true });
});

it('a failed switch to a new signedIn leaves no previous visitor on the widget', async () => {
  const t = setUp();
  const onError = vi.fn();
  const app = (signedIn: string) =>
    strict(
      provider(
        { portalId: '1234567', fetchToken: t.fetchToken, retries: 0, signedIn, onError },
        createElement(Status),
      ),
    );
  t.server.user = 'u1';
  const view = render(app('u1'));
  await t.advance();
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);

  t.server.user = null; // u2's token request fails (no 401 status: the core alone would keep u1)
  view.rerender(app('u2'));
  await t.advance();
  expect(onError.mock.calls.map(([error]) => (error as ChatError).code)).toEqual(['TOKEN_NETWORK']);
  expect(screen.getByRole('status').textContent).toBe('logged-out -');
  expect(t.standIn.fake.state().identity).toEqual({ email: '', identified: false });
});

/** A keyed wrapper: a new key re-mounts the provider below it, as `<HubSpotChatProvider key=…>` does. */
function Keyed({ children }: { children?: ReactNode }) {
  return createElement('div', null, children);
}

it('a provider re-mounted with a new key keeps a widget on the page (the old chat’s deferred destroy leaves the new one’s widget)', async () => {
  const t = setUp();
  const app = (key: string) =>
    strict(
      createElement(
        Keyed,
        { key },
        provider({ portalId: '1234567', fetchToken: t.fetchToken }, createElement(Status)),
      ),
    );
  const view = render(app('a'));
  await t.advance();
  expect(t.standIn.fake.state().loaded).toBe(true);

  view.rerender(app('b'));
  await t.advance(60_000);
  expect(screen.getByRole('status').textContent).toBe('anonymous -');
  expect(t.standIn.fake.state().loaded).toBe(true);
});

it('consent="pending" with chat={existing}: nothing of HubSpot’s and no token request before consent; the login that waited runs on "granted"', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const app = (consent: 'pending' | 'granted') =>
    strict(provider({ chat, consent, signedIn: 'u1' }, createElement(Status)));
  const view = render(app('pending'));
  await t.advance();
  expect(loaders()).toBe(0);
  expect(t.server.requests).toBe(0);
  expect(screen.getByRole('status').textContent).toBe('anonymous -');

  view.rerender(app('granted'));
  await t.advance();
  expect(loaders()).toBe(1);
  expect(t.server.requests).toBe(1);
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);
  act(() => chat.destroy());
});

it('chat={existing}: no onError after unmount, not even from a login the provider started', async () => {
  const t = setUp();
  let fail!: () => void;
  const fetchToken = vi.fn(
    () =>
      new Promise<{ email: string; token: string }>((_resolve, reject) => {
        fail = () => reject(new Error('500'));
      }),
  );
  const chat = createChat({ portalId: '1234567', fetchToken, retries: 0 });
  const onError = vi.fn();
  const view = render(strict(provider({ chat, signedIn: 'u1', onError })));
  await t.advance(10);
  view.unmount();
  await t.advance(10);
  fail();
  await t.advance(10_000);
  expect(onError).not.toHaveBeenCalled();
  act(() => chat.destroy());
});

/** The chat the hooks below the provider see. */
let seen: Chat | undefined;
function Probe() {
  seen = useHubSpotChat().chat;
  return null;
}

it('reads chat={…} once, at mount: a new chat on a later render is ignored with one warning; a new key uses it', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const first = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const second = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const view = render(provider({ chat: first, signedIn: false }, createElement(Probe)));
  await t.advance();
  act(() => first.destroy()); // the app replaces its chat…
  view.rerender(provider({ chat: second, signedIn: 'u1' }, createElement(Probe)));
  await t.advance();
  view.rerender(provider({ chat: second, signedIn: 'u1' }, createElement(Probe)));
  await t.advance();
  // …without a new key: documented as read once (TSDoc of ExistingChatProps, docs/react.md), and
  // said once in the console, not silently.
  expect(t.warnings().filter((w) => /`chat` is read once, at mount/.test(w))).toHaveLength(1);
  expect(seen).toBe(first);
  expect(second.state).toBe('anonymous'); // never started

  // The documented way: a new key.
  view.rerender(
    createElement(
      HubSpotChatProvider,
      { key: 'second', chat: second, signedIn: 'u1' },
      createElement(Probe),
    ),
  );
  await t.advance();
  expect(seen).toBe(second);
  expect(second.state).toBe('authenticated');
  act(() => second.destroy());
});

it('re-mounting a provider over the same chat={existing} with an unchanged signedIn asks for no new token', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const view = render(provider({ chat, signedIn: 'u1' }));
  await t.advance();
  expect(t.server.requests).toBe(1);
  view.unmount(); // say, a route-level provider: the visitor navigates away and back
  const again = render(provider({ chat, signedIn: 'u1' }));
  await t.advance();
  expect(chat.state).toBe('authenticated');
  expect(t.server.requests).toBe(1);

  again.unmount(); // and a new key on the next mount is a new visitor
  t.server.user = 'u2';
  render(provider({ chat, signedIn: 'u2' }, createElement(Status)));
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u2')}`);
  act(() => chat.destroy());
});

it('re-mounted while its login is in flight, a provider with the same signedIn asks for no second token', async () => {
  const t = setUp();
  const { fetchToken, answerAll } = heldEndpoint(t);
  t.server.user = 'u1';
  const chat = createChat({ portalId: '1234567', fetchToken });
  const view = render(strict(provider({ chat, signedIn: 'u1' })));
  await t.advance(10);
  view.unmount();
  render(strict(provider({ chat, signedIn: 'u1' }, createElement(Status))));
  await t.advance(10);
  expect(fetchToken).toHaveBeenCalledTimes(1);
  await answerAll();
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);
  act(() => chat.destroy());
});

it('issue 19.3: consent="pending" with chat={existing} (created with consent granted): a launcher click loads nothing, sets no cookie, and says why', async () => {
  const t = setUp();
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const blocked: string[] = [];
  chat.on('openBlocked', (reason) => blocked.push(reason));
  const app = (consent: 'pending' | 'granted') =>
    strict(provider({ chat, consent }, createElement(ChatLauncher)));
  const view = render(app('pending'));
  await t.advance();
  expect(chat.consent).toBe('pending');
  act(() => screen.getByRole('button', { name: 'Chat with us' }).click());
  await t.advance();
  expect(loaders()).toBe(0);
  expect(document.cookie).not.toContain('messagesUtk');
  expect(blocked).toEqual(['consent']);
  view.rerender(app('granted'));
  await t.advance();
  expect(loaders()).toBe(1);
  act(() => chat.destroy());
});
