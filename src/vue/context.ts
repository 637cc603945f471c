import { type InjectionKey, inject, watchPostEffect } from 'vue';
import type { Chat, ChatEvents } from '../index';

/**
 * What {@link useHubSpotChat} returns: the chat and its actions, one object for the lifetime of the
 * provider (or the app, with the plugin).
 *
 * @example
 * ```ts
 * const { open, chat }: HubSpotChatApi = useHubSpotChat();
 * ```
 */
export interface HubSpotChatApi {
  /** The chat, for anything not listed here (`chat.on`, `chat.loaded`, …). */
  readonly chat: Chat;
  /** {@link Chat.login}: identify the visitor now (the provider's `signedIn` prop usually does it). */
  readonly login: Chat['login'];
  /** {@link Chat.logout}: forget the visitor now. */
  readonly logout: Chat['logout'];
  /** {@link Chat.open}: open the widget, loading HubSpot now if it is lazy. */
  readonly open: Chat['open'];
  /** {@link Chat.close}: close the widget. */
  readonly close: Chat['close'];
  /** {@link Chat.pageView}: tell HubSpot the route changed ({@link useChatPageView} does it for you). */
  readonly pageView: Chat['pageView'];
  /** {@link Chat.hide}: take the widget off the page until `show()`. */
  readonly hide: Chat['hide'];
  /** {@link Chat.show}: bring the widget back after `hide()`. */
  readonly show: Chat['show'];
  /** {@link Chat.setConsent}: record the visitor's consent (the provider's `consent` prop usually does it). */
  readonly setConsent: Chat['setConsent'];
}

/** Where the provider and the plugin put their {@link HubSpotChatApi}. */
export const chatKey: InjectionKey<HubSpotChatApi> = Symbol('hubspot-visitor-chat');

/**
 * The closest provider's (or the app plugin's) chat; throws without one (a bug, not a state: the
 * stack names the composable).
 */
export function useChatApi(): HubSpotChatApi {
  const api = inject(chatKey, null);
  if (!api)
    throw new Error('hubspot-visitor-chat: no <HubSpotChatProvider> or createHubSpotChat()');
  return api;
}

/**
 * The object {@link useHubSpotChat} hands out. A chat's methods do not use `this` (createChat
 * returns closures, src/create-chat.ts), so they are handed out as they are.
 */
export function chatApi(chat: Chat): HubSpotChatApi {
  const { login, logout, open, close, pageView, hide, show, setConsent } = chat;
  return { chat, login, logout, open, close, pageView, hide, show, setConsent };
}

/**
 * Calls `read` once mounted and on each of `events` until unmount. Never during server rendering
 * nor before hydration, so that the first client render matches the server's markup. `read` must
 * read no ref (it would re-run this effect): it only writes them.
 */
export function whileMounted(
  chat: Chat,
  events: ReadonlyArray<keyof ChatEvents>,
  read: () => void,
): void {
  watchPostEffect((onCleanup) => {
    read();
    const unbinds = events.map((event) => chat.on(event, read));
    onCleanup(() => {
      for (const unbind of unbinds) unbind();
    });
  });
}
