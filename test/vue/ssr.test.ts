// @vitest-environment node
// Server rendering (Nuxt, Vite SSR, @vue/server-renderer): no window, no document, nothing may throw.
import { renderToString } from '@vue/server-renderer';
import { expect, it } from 'vitest';
import { type Component, createSSRApp, defineComponent, h } from 'vue';
import { createChat } from '../../src/index';

/** Every global, after Vue has set its own (`__VUE__`, its feature flags) on a first render. */
async function globalsAfterVue(): Promise<Set<string>> {
  await renderToString(createSSRApp(() => h('p', 'warm-up')));
  return new Set(Object.keys(globalThis));
}

it('imports and renders to a string without window, with the server values, touching no global', async () => {
  expect('window' in globalThis).toBe(false);
  expect('document' in globalThis).toBe(false);
  const before = await globalsAfterVue();
  const vue = await import('../../src/vue/index');
  /** Uses every composable, as a page of an app would. */
  const Page = defineComponent(() => {
    const { state, identity, loaded } = vue.useChatState();
    const unread = vue.useUnreadCount();
    const { open } = vue.useHubSpotChat();
    vue.useChatEvent('login', () => {});
    vue.useChatPageView(() => '/pricing');
    return () =>
      h('main', [
        h('p', `${state.value} ${identity.value?.email ?? '-'} ${loaded.value} ${unread.value}`),
        h('button', { type: 'button', onClick: open }, 'Chat'),
        h(vue.ChatLauncher),
      ]);
  });
  const render = (root: Component) => renderToString(createSSRApp(root));

  const html = await render(() =>
    h(
      vue.HubSpotChatProvider,
      { portalId: '1234567', tokenUrl: '/api/chat-token', signedIn: 'u1', consent: 'granted' },
      () => h(Page),
    ),
  );
  expect(html).toContain('<p>anonymous - false 0</p>');
  expect(html).toContain('<button type="button">Chat</button>');

  // The plugin: installed on the server app too, started by app.mount() only (never called here).
  const hubspot = vue.createHubSpotChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
  const app = createSSRApp(Page).use(hubspot);
  expect(await renderToString(app)).toContain('<p>anonymous - false 0</p>');
  expect(hubspot.chat.state).toBe('anonymous');

  expect(Object.keys(globalThis).filter((key) => !before.has(key))).toEqual([]);
});

it('renders with a given chat and with consent pending or denied, starting nothing', async () => {
  const { HubSpotChatProvider, useChatState } = await import('../../src/vue/index');
  const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
  const State = defineComponent(() => {
    const { state } = useChatState();
    return () => h('p', state.value);
  });
  for (const consent of ['pending', 'denied'] as const) {
    const html = await renderToString(
      createSSRApp(() => h(HubSpotChatProvider, { chat, signedIn: 'u1', consent }, () => h(State))),
    );
    expect(html).toContain('<p>anonymous</p>');
  }
  expect(chat.state).toBe('anonymous'); // rendering started nothing
});
