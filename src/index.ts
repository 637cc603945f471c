export { type Chat, type ChatEvents, createChat, type LogoutOptions } from './create-chat';
export { ChatError, type ChatErrorCode } from './errors';
export type { WidgetEventName, WidgetEvents } from './hubspot/types';
export type { ChatState, Identity } from './machine';
export type {
  ChatOptions,
  TokenRequestOptions,
  TokenResponse,
  WidgetSettings,
} from './options';
