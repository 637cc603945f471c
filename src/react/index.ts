// `hubspot-visitor-chat/react`: a thin layer over the one core chat (imported from the package
// itself, never bundled twice). The build adds `'use client'` to dist/react/*.
export { ChatLauncher, type ChatLauncherProps } from './chat-launcher';
export type { HubSpotChatApi } from './context';
export {
  type ExistingChatProps,
  HubSpotChatProvider,
  type HubSpotChatProviderProps,
  type OptionProps,
  type ProviderControls,
} from './provider';
export { useChatEvent } from './use-chat-event';
export { useChatLoaded } from './use-chat-loaded';
export { useChatPageView } from './use-chat-page-view';
export { type ChatStateSnapshot, useChatState } from './use-chat-state';
export { useHubSpotChat } from './use-hubspot-chat';
export { useUnreadCount } from './use-unread-count';
