import type { App } from 'vue';
import { type Chat, type ChatError, type ChatOptions, createChat } from '../index';
import { chatApi, chatKey } from './context';

/**
 * Options of {@link createHubSpotChat}: those of `createChat`, and `onError`.
 *
 * @example
 * ```ts
 * const options: HubSpotChatPluginOptions = { portalId: '1234567', tokenUrl: '/api/chat-token', load: loadWhenIdle };
 * ```
 */
export type HubSpotChatPluginOptions = ChatOptions & {
  /** Every error the chat emits, and a failed `start()`, once each. */
  onError?: ((error: ChatError) => void) | undefined;
};

/**
 * What {@link createHubSpotChat} returns: a Vue plugin, and its chat for code outside components
 * (a router guard, a store's sign-in action).
 *
 * @example
 * ```ts
 * const hubspot: HubSpotChatPlugin = createHubSpotChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
 * ```
 */
export interface HubSpotChatPlugin {
  /** The app's chat. */
  readonly chat: Chat;
  /** Called by `app.use()`: provides the chat to every component of the app. */
  install(app: App): void;
}

/**
 * One chat for a whole Vue app: `app.use(createHubSpotChat(options))` provides it to every
 * component (the composables and `<ChatLauncher>` find it). Creates the chat now (pure: nothing of
 * HubSpot's, no network, so it is safe in a server-rendered app), starts it when the app is mounted
 * in the browser (`app.mount()`, which server rendering never calls: install the plugin before it)
 * and destroys it with `app.unmount()`. Identify the visitor with `chat.login()` after sign-in and
 * `chat.logout()` at sign-out, or let a `<HubSpotChatProvider :chat="hubspot.chat" :signed-in="…">`
 * keep it in step. In Nuxt, install it from a client-only plugin file (`plugins/*.client.ts`).
 *
 * @example
 * ```ts
 * const hubspot = createHubSpotChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
 * createApp(App).use(hubspot).mount('#app');
 * await signIn(form);
 * await hubspot.chat.login();
 * ```
 */
export function createHubSpotChat(options: HubSpotChatPluginOptions): HubSpotChatPlugin {
  const { onError, ...chatOptions } = options;
  const chat = createChat(chatOptions as ChatOptions);
  // Without an onError, the chat itself warns in the console.
  if (onError) chat.on('error', onError);
  return {
    chat,
    install(app) {
      app.provide(chatKey, chatApi(chat));
      const { mount, unmount } = app;
      app.mount = (...args) => {
        const root = mount(...args);
        // Rejects only when the chat was destroyed (src/create-chat.ts): never emitted as well.
        chat.start().catch(onError ?? (() => {}));
        return root;
      };
      app.unmount = () => {
        unmount();
        chat.destroy();
      };
    },
  };
}
