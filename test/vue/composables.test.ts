import { expect, it, vi } from 'vitest';
import { createApp, defineComponent, h, nextTick, ref } from 'vue';
import { type Chat, createChat, type Identity, loadOnInteraction } from '../../src/index';
import {
  ChatLauncher,
  createHubSpotChat,
  type HubSpotChatApi,
  HubSpotChatProvider,
  useChatEvent,
  useChatPageView,
  useChatState,
  useHubSpotChat,
  useUnreadCount,
} from '../../src/vue/index';
import { email, mountAlone, mountProvider, setUp, type VueHarness } from './harness';

/** A chat made by the test, to watch what the composables call on it. */
const existingChat = (t: VueHarness): Chat =>
  createChat({ portalId: '1234567', fetchToken: t.fetchToken });
const text = (selector: string) => document.querySelector(selector)?.textContent;

it('useChatState follows the state, the identity and whether the widget loaded', async () => {
  const t = setUp();
  t.server.user = 'u1';
  let api!: HubSpotChatApi;
  const identities: Array<Readonly<Identity> | null> = [];
  const View = defineComponent(() => {
    api = useHubSpotChat();
    const { state, identity, loaded } = useChatState();
    return () => {
      identities.push(identity.value);
      return h('output', `${state.value} ${identity.value?.email ?? '-'} ${loaded.value}`);
    };
  });
  mountProvider({ portalId: '1234567', fetchToken: t.fetchToken, load: loadOnInteraction }, View);
  await t.advance();
  expect(text('output')).toBe('anonymous - false'); // lazy: HubSpot waits for an interaction

  const signedIn = api.login();
  await t.advance();
  await signedIn;
  expect(text('output')).toBe(`authenticated ${email('u1')} false`);

  api.open(); // loads HubSpot now
  await t.advance();
  expect(text('output')).toBe(`authenticated ${email('u1')} true`);
  const identity = identities.at(-1);

  // The same visitor's token renewed: no new identity object.
  const renewed = api.login();
  await t.advance();
  await renewed;
  expect(t.server.requests).toBe(2);
  expect(identities.at(-1)).toBe(identity);

  const signedOut = api.logout();
  await t.advance();
  await signedOut;
  expect(text('output')).toBe('logged-out - true');
});

/** Counts the chat's listeners: each `on()` adds one, each returned unbind removes it. */
function countListeners(chat: Chat) {
  const on = chat.on.bind(chat);
  const live = new Map<string, number>();
  const add = (event: string, n: number) => live.set(event, (live.get(event) ?? 0) + n);
  vi.spyOn(chat, 'on').mockImplementation((event, listener) => {
    const off = on(event, listener);
    add(event, 1);
    let once = false;
    return () => {
      if (!once) add(event, -1);
      once = true;
      off();
    };
  });
  return () => Object.fromEntries([...live].filter(([, n]) => n !== 0));
}

it('the composables listen while their component is mounted, and stop when it unmounts', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const chat = existingChat(t);
  const listeners = countListeners(chat);
  const show = ref(true);
  const heard: number[] = [];
  let seen!: { state: { value: string }; unread: { value: number } };
  const Child = defineComponent(() => {
    const { state } = useChatState();
    const unread = useUnreadCount();
    useChatEvent('unreadConversationCountChanged', ({ unreadCount }) => heard.push(unreadCount));
    seen = { state, unread };
    return () => h('output', `${state.value} ${unread.value}`);
  });
  const Parent = defineComponent(() => () => (show.value ? h(Child) : null));
  mountProvider({ chat, signedIn: 'u1', onError: () => {} }, Parent);
  await t.advance();
  expect(listeners()).toEqual({
    error: 1, // the provider's, for its onError
    logout: 1, // the provider's, to log in again after the chat logged itself out
    state: 1,
    loaded: 1,
    unreadCount: 1,
    unreadConversationCountChanged: 1,
  });
  t.standIn.fake.simulate.unread(2);
  await nextTick();
  expect(text('output')).toBe('authenticated 2');
  expect(heard).toEqual([2]);

  show.value = false;
  await nextTick();
  expect(listeners()).toEqual({ error: 1, logout: 1 });
  t.standIn.fake.simulate.unread(5);
  await chat.logout();
  await t.advance();
  expect(heard).toEqual([2]);
  expect(seen.state.value).toBe('authenticated'); // no longer updated
  expect(seen.unread.value).toBe(2);
  chat.destroy();
});

it('useUnreadCount follows HubSpot’s unread count, and drops to 0 at logout', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const Badge = defineComponent(() => {
    const unread = useUnreadCount();
    return () => h('output', String(unread.value));
  });
  const view = mountProvider(
    { portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1' },
    Badge,
  );
  await t.advance();
  expect(text('output')).toBe('0');
  t.standIn.fake.simulate.unread(4);
  await nextTick();
  expect(text('output')).toBe('4');
  await view.setProps({ signedIn: false });
  await t.advance();
  expect(text('output')).toBe('0');
});

it('useChatPageView never fires at first, then once per new route, reaching HubSpot’s refresh', async () => {
  const t = setUp();
  const chat = existingChat(t);
  const pageView = vi.spyOn(chat, 'pageView');
  const path = ref('/');
  const other = ref(0);
  const Route = defineComponent(() => {
    useChatPageView(() => path.value);
    return () => h('p', String(other.value));
  });
  mountProvider({ chat }, Route);
  await t.advance();
  expect(pageView).not.toHaveBeenCalled();

  other.value++; // the component re-renders, the route did not change
  await nextTick();
  expect(pageView).not.toHaveBeenCalled();

  path.value = '/pricing';
  await nextTick();
  expect(pageView).toHaveBeenCalledTimes(1);
  await t.advance();
  expect(t.standIn.fake.state().refreshCalls).toBe(1);

  path.value = '/docs';
  await nextTick();
  expect(pageView).toHaveBeenCalledTimes(2);
  chat.destroy();
});

it('ChatLauncher shows one button, loads HubSpot on click, and leaves with its component', async () => {
  const t = setUp();
  const show = ref(true);
  const label = ref('Ask us');
  const Launcher = defineComponent(
    () => () => (show.value ? h(ChatLauncher, { label: label.value, position: 'left' }) : null),
  );
  mountProvider(
    { portalId: '1234567', fetchToken: t.fetchToken, load: loadOnInteraction },
    Launcher,
  );
  await t.advance();
  const buttons = (name: string) =>
    [...document.querySelectorAll('button')].filter((b) => b.getAttribute('aria-label') === name);
  expect(buttons('Ask us')).toHaveLength(1);
  expect(document.querySelector('script#hs-script-loader')).toBeNull(); // lazy: nothing yet

  label.value = 'Talk to us'; // a prop change mounts it again, once
  await nextTick();
  expect(buttons('Ask us')).toHaveLength(0);
  expect(buttons('Talk to us')).toHaveLength(1);

  show.value = false;
  await nextTick();
  expect(buttons('Talk to us')).toHaveLength(0);

  show.value = true;
  await nextTick();
  buttons('Talk to us')[0]?.click();
  await t.advance();
  expect(t.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
  expect(buttons('Talk to us')).toHaveLength(0); // HubSpot's own took over
});

it('the composables throw a clear error without a provider or the plugin', () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // Vue warns of the setup error too
  const Orphan = defineComponent(() => {
    useChatState();
    return () => null;
  });
  expect(() => mountAlone(Orphan)).toThrow(
    'hubspot-visitor-chat: no <HubSpotChatProvider> or createHubSpotChat()',
  );
});

// ---- the plugin ----

it('createHubSpotChat: nothing of HubSpot’s until app.mount(); one chat for every component; destroyed by app.unmount()', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const errors: string[] = [];
  const hubspot = createHubSpotChat({
    portalId: '1234567',
    fetchToken: t.fetchToken,
    onError: (error) => errors.push(error.code),
  });
  let api!: HubSpotChatApi;
  const App = defineComponent(() => {
    api = useHubSpotChat();
    const { state, identity } = useChatState();
    return () => h('output', `${state.value} ${identity.value?.email ?? '-'}`);
  });
  const app = createApp(App).use(hubspot);
  await t.advance();
  expect(document.querySelector('script#hs-script-loader')).toBeNull();

  const root = document.createElement('div');
  document.body.append(root);
  app.mount(root);
  await t.advance();
  expect(api.chat).toBe(hubspot.chat);
  expect(t.standIn.fake.state().loaded).toBe(true);
  const signedIn = hubspot.chat.login(); // after the app's own sign-in
  await t.advance();
  await signedIn;
  expect(root.textContent).toBe(`authenticated ${email('u1')}`);

  t.server.user = null;
  const refused = hubspot.chat.login().catch(() => {});
  await t.advance();
  await refused;
  expect(errors).toEqual(['TOKEN_NETWORK']);

  app.unmount();
  root.remove();
  expect(hubspot.chat.state).toBe('destroyed');
  expect(t.standIn.fake.state()).toMatchObject({ loaded: false, listenerCounts: {} });
  expect(vi.getTimerCount()).toBe(0);
});

it('createHubSpotChat with a provider over its chat: the provider keeps signedIn in step and leaves the chat to the app', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const hubspot = createHubSpotChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const signedIn = ref<string | false>('u1');
  const show = ref(true);
  const Status = defineComponent(() => {
    const { state } = useChatState();
    return () => h('output', state.value);
  });
  const App = defineComponent(
    () => () =>
      show.value
        ? h(HubSpotChatProvider, { chat: hubspot.chat, signedIn: signedIn.value }, () => h(Status))
        : null,
  );
  const root = document.createElement('div');
  document.body.append(root);
  const app = createApp(App).use(hubspot);
  app.mount(root);
  await t.advance();
  expect(root.textContent).toBe('authenticated');
  expect(t.server.requests).toBe(1);
  expect(t.standIn.fake.state().loadCalls).toBe(1);

  signedIn.value = false;
  await t.advance();
  expect(root.textContent).toBe('logged-out');

  show.value = false;
  await t.advance();
  expect(hubspot.chat.state).toBe('logged-out'); // the app's chat, not the provider's to destroy
  app.unmount();
  root.remove();
  expect(hubspot.chat.state).toBe('destroyed');
});
