import { type HubSpotChatApi, useChatApi } from './context';

/**
 * The chat and its actions: `{ chat, login, logout, open, close, pageView, hide, show, setConsent }`,
 * one object for the lifetime of the provider (or the app, with the plugin). Not reactive: read the
 * chat's changes with {@link useChatState}, {@link useUnreadCount} or {@link useChatEvent}. Throws
 * outside a {@link HubSpotChatProvider} and without {@link createHubSpotChat}'s plugin.
 *
 * @example
 * ```ts
 * const HelpButton = defineComponent(() => {
 *   const { open } = useHubSpotChat();
 *   return () => h('button', { type: 'button', onClick: open }, 'Talk to us');
 * });
 * ```
 */
export const useHubSpotChat: () => HubSpotChatApi = useChatApi;
