// `hubspot-visitor-chat/vue`: a thin layer over the one core chat (imported from the package
// itself, never bundled twice). Render functions in .ts: the library build compiles no SFC.
export { ChatLauncher, type ChatLauncherProps } from './chat-launcher';
export type { HubSpotChatApi } from './context';
export {
  createHubSpotChat,
  type HubSpotChatPlugin,
  type HubSpotChatPluginOptions,
} from './plugin';
export {
  type ExistingChatProps,
  HubSpotChatProvider,
  type HubSpotChatProviderProps,
  type OptionProps,
  type ProviderControls,
} from './provider';
export { useChatEvent } from './use-chat-event';
export { useChatPageView } from './use-chat-page-view';
export { type ChatStateRefs, useChatState } from './use-chat-state';
export { useHubSpotChat } from './use-hubspot-chat';
export { useUnreadCount } from './use-unread-count';
