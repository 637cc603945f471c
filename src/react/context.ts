import { createContext, useContext } from 'react';
import type { Chat } from '../index';

/**
 * What {@link useHubSpotChat} returns: the provider's chat and its actions, one object for the
 * provider's lifetime (so it is safe in dependency arrays and never re-renders a consumer).
 *
 * @example
 * ```tsx
 * const { open, chat }: HubSpotChatApi = useHubSpotChat();
 * ```
 */
export interface HubSpotChatApi {
  /** The provider's chat, for anything not listed here (`chat.on`, `chat.loaded`, …). */
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

/** The provider's value: set once, at mount, never replaced (so no consumer re-renders for it). */
export const ChatContext = createContext<HubSpotChatApi | null>(null);

/** The closest provider's value; throws outside one (a missing provider is a bug, not a state). */
export function useChatApi(): HubSpotChatApi {
  const api = useContext(ChatContext);
  if (!api)
    throw new Error('hubspot-visitor-chat: this hook needs a <HubSpotChatProvider> above it');
  return api;
}

/**
 * Wraps `chat` into the object {@link useHubSpotChat} hands out. A chat's methods are closures,
 * not `this`-bound (createChat), so they are handed out as they are.
 */
export function chatApi(chat: Chat): HubSpotChatApi {
  const { login, logout, open, close, pageView, hide, show, setConsent } = chat;
  return { chat, login, logout, open, close, pageView, hide, show, setConsent };
}
