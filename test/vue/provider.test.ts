import { describe, expect, it, vi } from 'vitest';
import { createApp, defineComponent, h, ref, Suspense } from 'vue';
import { type ChatError, createChat } from '../../src/index';
import { ChatLauncher, HubSpotChatProvider, useChatState } from '../../src/vue/index';
import { email, mountProvider, realMacrotask, setUp, unmount, type VueHarness } from './harness';

/** Shows the chat's state and identity, as an app's header would. */
const Status = defineComponent(() => {
  const { state, identity } = useChatState();
  return () => h('output', `${state.value} ${identity.value?.email ?? '-'}`);
});

const loaders = () => document.querySelectorAll('script#hs-script-loader').length;
const emails = (shells: Array<{ email: string }>) => shells.map((shell) => shell.email);
const status = () => document.querySelector('output')?.textContent;

it('signed in at mount: one loader, one token request, one identified widget; then one reset per change; nothing left after unmount', async () => {
  const t = setUp();
  const { fake } = t.standIn;
  t.server.user = 'u1';
  const view = mountProvider(
    { portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1' },
    Status,
  );
  await t.advance();
  expect(loaders()).toBe(1);
  expect(t.server.requests).toBe(1);
  expect(emails(fake.state().shells)).toEqual([email('u1')]); // no anonymous instance first
  expect(fake.state()).toMatchObject({
    loaded: true,
    loadCalls: 1,
    identity: { email: email('u1'), identified: true },
  });
  expect(status()).toBe(`authenticated ${email('u1')}`);

  t.server.user = 'u2';
  await view.setProps({ signedIn: 'u2' });
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(emails(fake.state().shells)).toEqual([email('u1'), email('u2')]); // exactly one reset
  expect(fake.state().identity).toEqual({ email: email('u2'), identified: true });
  expect(status()).toBe(`authenticated ${email('u2')}`);

  t.server.user = null;
  await view.setProps({ signedIn: false });
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(emails(fake.state().shells)).toEqual([email('u1'), email('u2'), '']);
  expect(fake.state()).toMatchObject({ loaded: true, identity: { email: '', identified: false } });
  expect(status()).toBe('logged-out -');
  expect(loaders()).toBe(1);

  unmount(view);
  expect(fake.state().loaded).toBe(false);
  expect(document.getElementById('hubspot-messages-iframe-container')).toBeNull();
  expect(fake.state().listenerCounts).toEqual({});
  expect(vi.getTimerCount()).toBe(0);
  expect(t.warnings().filter((w) => /duplicate instance/.test(w))).toEqual([]);
});

it('unmounted while identified: no widget carries the visitor, and no listener or timer is left', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const view = mountProvider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1' });
  await t.advance();
  expect(t.standIn.fake.state().identity.identified).toBe(true);
  expect(vi.getTimerCount()).toBeGreaterThan(0); // the token's refresh, at least
  unmount(view);
  const after = t.standIn.fake.state();
  expect(after.loaded).toBe(false);
  expect(after.listenerCounts).toEqual({});
  expect(vi.getTimerCount()).toBe(0);
  const settings = (window as { hsConversationsSettings?: Record<string, unknown> })
    .hsConversationsSettings;
  expect(settings?.identificationEmail).toBeUndefined();
  expect(settings?.identificationToken).toBeUndefined();
});

it('leaves the identity alone while signedIn is undefined, and does not log out a visitor who never signed in', async () => {
  const t = setUp();
  const view = mountProvider({ portalId: '1234567', fetchToken: t.fetchToken }, Status);
  await t.advance();
  await view.setProps({ signedIn: false });
  await t.advance();
  expect(t.server.requests).toBe(0);
  expect(status()).toBe('anonymous -'); // no logout from anonymous
  expect(emails(t.standIn.fake.state().shells)).toEqual(['']);
});

it('takes option props written as a template writes them (kebab-case, a bare boolean attribute)', async () => {
  const t = setUp();
  t.server.user = 'u1';
  // What `<HubSpotChatProvider portal-id="1234567" :fetch-token="…" sync-tabs signed-in="u1">`
  // compiles to: kebab-case keys, and '' for an attribute given without a value.
  const view = mountProvider({
    'portal-id': '1234567',
    'fetch-token': t.fetchToken,
    'sync-tabs': '',
    'signed-in': 'u1',
  } as unknown as Parameters<typeof mountProvider>[0]);
  await t.advance();
  expect(t.server.requests).toBe(1);
  expect(t.standIn.fake.state().identity).toEqual({ email: email('u1'), identified: true });
  unmount(view);
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
  const view = mountProvider({ portalId: '1234567', fetchToken, signedIn: 'u1' }, Status);
  await t.advance(10);
  const first = answer;
  await view.setProps({ signedIn: 'u2' });
  await t.advance(10);
  expect(fetchToken).toHaveBeenCalledTimes(2);
  first({ email: email('u1'), token: t.standIn.fake.issueToken(email('u1')) }); // stale
  answer({ email: email('u2'), token: t.standIn.fake.issueToken(email('u2')) });
  await t.advance();
  expect(status()).toBe(`authenticated ${email('u2')}`);
  expect(emails(t.standIn.fake.state().shells)).toEqual([email('u2')]);
});

it('hands a failed login to onError once, never as an unhandled rejection', async () => {
  const t = setUp();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const errors: ChatError[] = [];
    mountProvider(
      {
        portalId: '1234567',
        fetchToken: t.fetchToken, // server.user is null: it throws
        retries: 0,
        signedIn: 'u1',
        onError: (error) => errors.push(error),
      },
      Status,
    );
    await t.advance();
    await realMacrotask(); // Node reports unhandled rejections after the microtasks
    expect(errors.map((error) => error.code)).toEqual(['TOKEN_NETWORK']);
    expect(status()).toBe('anonymous -');
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

for (const withOnError of [false, true]) {
  it(`${withOnError ? 'with onError, a failed login goes there and not to the console' : 'without onError, a failed login is console.warned once (the quick start never fails silently)'}`, async () => {
    const t = setUp();
    const errors: ChatError[] = [];
    const view = mountProvider({
      portalId: '1234567',
      fetchToken: t.fetchToken, // server.user is null: it throws
      retries: 0,
      signedIn: 'u1',
      ...(withOnError ? { onError: (error: ChatError) => errors.push(error) } : {}),
    });
    await t.advance();
    const warned = t.warnings().filter((w) => /TOKEN_NETWORK/.test(w));
    expect(warned).toHaveLength(withOnError ? 0 : 1);
    expect(errors).toHaveLength(withOnError ? 1 : 0);
    unmount(view);
  });
}

it('calls the latest onError', async () => {
  const t = setUp();
  const first = vi.fn();
  const second = vi.fn();
  const view = mountProvider({
    portalId: '1234567',
    fetchToken: t.fetchToken,
    retries: 0,
    onError: first,
    signedIn: false,
  });
  await view.setProps({ onError: second, signedIn: 'u1' });
  await t.advance();
  expect(first).not.toHaveBeenCalled();
  expect(second).toHaveBeenCalledTimes(1);
});

it('mirrors the consent prop: nothing of HubSpot while pending, the waiting login on grant, a fresh login after a revocation and a new grant', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const view = mountProvider(
    { portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1', consent: 'pending' },
    Status,
  );
  await t.advance();
  expect(loaders()).toBe(0);
  expect(t.server.requests).toBe(0);

  await view.setProps({ consent: 'granted' });
  await t.advance();
  expect(t.server.requests).toBe(1);
  expect(status()).toBe(`authenticated ${email('u1')}`);

  await view.setProps({ consent: 'denied' });
  await t.advance();
  expect(status()).toBe('logged-out -');
  expect(t.standIn.fake.state().loaded).toBe(false);

  await view.setProps({ consent: 'granted' });
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(status()).toBe(`authenticated ${email('u1')}`);
});

it('starts with consent denied: no HubSpot, no token request, and no error for the login it did not make', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const onError = vi.fn();
  mountProvider({
    portalId: '1234567',
    fetchToken: t.fetchToken,
    signedIn: 'u1',
    consent: 'denied',
    onError,
  });
  await t.advance();
  expect(loaders()).toBe(0);
  expect(t.server.requests).toBe(0);
  expect(onError).not.toHaveBeenCalled();
});

// ---- chat={existing} ----

const existingChat = (t: VueHarness) =>
  createChat({ portalId: '1234567', fetchToken: t.fetchToken });

it('never destroys a chat it was given, and stops listening to it on unmount', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const chat = existingChat(t);
  const onError = vi.fn();
  const view = mountProvider({ chat, signedIn: 'u1', onError });
  await t.advance();
  expect(chat.state).toBe('authenticated');
  unmount(view);
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

it('calls no onError after unmount, not even for a login it started', async () => {
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
  const view = mountProvider({ chat, signedIn: 'u1', onError });
  await t.advance(10);
  unmount(view);
  await t.advance(10);
  fail();
  await t.advance(10_000);
  expect(fetchToken).toHaveBeenCalledTimes(1);
  expect(onError).not.toHaveBeenCalled();
  chat.destroy();
});

it('reads chat once, at mount: a new chat later is ignored', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const first = existingChat(t);
  const second = existingChat(t);
  const view = mountProvider({ chat: first, signedIn: false });
  await t.advance();
  await view.setProps({ chat: second, signedIn: 'u1' });
  await t.advance();
  await view.setProps({ chat: second, signedIn: 'u1' });
  await t.advance();
  expect(first.state).toBe('authenticated'); // the signedIn change went to the first chat
  expect(second.state).toBe('anonymous'); // never started
  first.destroy();
});

it('mounted again over the same chat with an unchanged signedIn, asks for no new token', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const chat = existingChat(t);
  unmount(mountProvider({ chat, signedIn: 'u1' }));
  await t.advance();
  expect(t.server.requests).toBe(1);
  const again = mountProvider({ chat, signedIn: 'u1' }); // a route-level provider, say
  await t.advance();
  expect(chat.state).toBe('authenticated');
  expect(t.server.requests).toBe(1);

  unmount(again); // and a new key on the next mount is a new visitor
  t.server.user = 'u2';
  mountProvider({ chat, signedIn: 'u2' }, Status);
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(status()).toBe(`authenticated ${email('u2')}`);
  chat.destroy();
});

describe('review: no visitor stays on the widget', () => {
  it('a provider that never mounts (a dropped <Suspense> branch) logs nobody in, and leaves nothing', async () => {
    const t = setUp();
    t.server.user = 'u2';
    const show = ref(true);
    const user = ref('u1');
    const Never = defineComponent({
      async setup() {
        await new Promise<void>(() => {});
        return () => h('i', 'never');
      },
    });
    const app = createApp(() =>
      h(Suspense, null, {
        default: () =>
          show.value
            ? h('div', [
                h(HubSpotChatProvider, {
                  portalId: '1234567',
                  fetchToken: t.fetchToken,
                  signedIn: user.value,
                }),
                h(Never),
              ])
            : h('b', 'gone'),
      }),
    );
    const el = document.createElement('div');
    document.body.append(el);
    app.mount(el);
    await t.advance(10);
    user.value = 'u2';
    await t.advance();
    show.value = false;
    await t.advance();
    app.unmount();
    expect(t.server.requests).toBe(0);
    expect(t.standIn.fake.state().identity.identified).toBe(false);
    expect(document.getElementById('hubspot-messages-iframe-container')).toBeNull();
    el.remove();
  });
});

it('issue 19.3: consent="pending" with a given chat (created with consent granted): a launcher click loads nothing, sets no cookie, and says why', async () => {
  const t = setUp();
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const blocked: string[] = [];
  chat.on('openBlocked', (reason) => blocked.push(reason));
  const view = mountProvider({ chat, consent: 'pending' }, ChatLauncher);
  await t.advance();
  expect(chat.consent).toBe('pending');
  const button = document.querySelector<HTMLButtonElement>('button[aria-label="Chat with us"]');
  expect(button).not.toBeNull();
  button?.click();
  await t.advance();
  expect(loaders()).toBe(0);
  expect(document.cookie).not.toContain('messagesUtk');
  expect(blocked).toEqual(['consent']);
  await view.setProps({ consent: 'granted' });
  await t.advance();
  expect(loaders()).toBe(1);
  chat.destroy();
});
