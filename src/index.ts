export type { Chat, ChatEvents, LoginOptions, LogoutOptions } from './chat';
export { createChat } from './create-chat';
export { ChatError, type ChatErrorCode } from './errors';
export type { Consent } from './gate';
export type { WidgetEventName, WidgetEvents } from './hubspot/types';
export type { ChatState, Identity, LogoutReason } from './machine';
export type {
  ChatBaseOptions,
  ChatOptions,
  FetchTokenSource,
  TokenRequestOptions,
  TokenResponse,
  TokenUrlSource,
  WidgetSettings,
} from './options';
export { type LauncherOptions, mountLauncher } from './page/launcher';
export { type LoadTrigger, loadOnInteraction, loadWhenIdle } from './page/load-trigger';
