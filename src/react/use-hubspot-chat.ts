import { type HubSpotChatApi, useChatApi } from './context';

/**
 * The provider's chat and its actions: `{ chat, login, logout, open, close, pageView, hide, show,
 * setConsent }`. The same object for the provider's lifetime: calling this hook never makes a
 * component re-render when the chat changes (read changes with {@link useChatState},
 * {@link useUnreadCount} or {@link useChatEvent}). Throws outside a {@link HubSpotChatProvider}.
 *
 * @example
 * ```tsx
 * function HelpButton() {
 *   const { open } = useHubSpotChat();
 *   return <button type="button" onClick={open}>Talk to us</button>;
 * }
 * ```
 */
export function useHubSpotChat(): HubSpotChatApi {
  return useChatApi();
}
