// The server values (anonymous, no identity, not loaded, 0 unread) are what hydration starts from,
// so the markup agrees even when the browser's chat is already signed in; the real values follow
// once mounted.
import { renderToString } from '@vue/server-renderer';
import { expect, it, vi } from 'vitest';
import { type Component, createSSRApp, defineComponent, h } from 'vue';
import { type Chat, createChat } from '../../src/index';
import {
  ChatLauncher,
  HubSpotChatProvider,
  type HubSpotChatProviderProps,
  useChatState,
  useHubSpotChat,
  useUnreadCount,
} from '../../src/vue/index';
import { email, setUp } from './harness';

const Page = defineComponent(() => {
  const { state, identity, loaded } = useChatState();
  const unread = useUnreadCount();
  return () =>
    h('output', [
      `${state.value} ${identity.value?.email ?? '-'} ${loaded.value} ${unread.value}`,
      h(ChatLauncher),
    ]);
});

/** What a component that read the chat directly, not through the composables, would render. */
const Direct = defineComponent(() => {
  const { chat } = useHubSpotChat();
  return () => h('output', chat.state);
});

const tree = (props: HubSpotChatProviderProps, page: Component) => () =>
  h(HubSpotChatProvider, props, () => h(page));

/** Hydrates `html` with `root`; returns what Vue said on the console, and how to unmount. */
function hydrate(html: string, root: () => ReturnType<typeof h>) {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const said = [vi.spyOn(console, 'warn'), vi.spyOn(console, 'error')].map((spy) =>
    spy.mockImplementation(() => {}),
  );
  const app = createSSRApp(root);
  app.mount(container);
  return {
    container,
    said: () => said.flatMap((spy) => spy.mock.calls.map((call) => String(call[0]))),
    unmount: () => {
      app.unmount();
      container.remove();
    },
  };
}

async function signedInChat(t: ReturnType<typeof setUp>): Promise<Chat> {
  // The browser's chat is signed in before Vue hydrates (say, created and logged in by other code).
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const signedIn = chat.login();
  await t.advance();
  await signedIn;
  expect(chat.state).toBe('authenticated');
  return chat;
}

it('hydrates server markup with no mismatch warning, then shows the browser chat’s real state', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const server = await renderToString(
    createSSRApp(tree({ portalId: '1234567', tokenUrl: '/api/chat-token', signedIn: 'u1' }, Page)),
  );
  expect(server).toContain('anonymous - false 0');
  const chat = await signedInChat(t);

  const page = hydrate(server, tree({ chat, signedIn: 'u1' }, Page));
  await t.advance();
  expect(page.said()).toEqual([]);
  expect(page.container.textContent).toBe(`authenticated ${email('u1')} true 0`);
  page.unmount();
  chat.destroy();
});

it('(the check above can fail) reading the chat directly would be a hydration mismatch', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const server = await renderToString(
    createSSRApp(tree({ portalId: '1234567', tokenUrl: '/api/chat-token' }, Direct)),
  );
  const chat = await signedInChat(t);
  const page = hydrate(server, tree({ chat }, Direct));
  expect(page.said().some((message) => /hydration/i.test(message))).toBe(true);
  page.unmount();
  chat.destroy();
});
