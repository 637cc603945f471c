import { watchPostEffect } from 'vue';
import type { ChatEvents } from '../index';
import { useChatApi } from './context';

/**
 * Listens to one of the chat's events (its own, such as `login`, `error` or `unreadCount`, and
 * HubSpot's widget events, such as `conversationStarted`) from mount to unmount; never on the
 * server.
 *
 * @example
 * ```ts
 * const Analytics = defineComponent(() => {
 *   useChatEvent('conversationStarted', ({ conversation }) => {
 *     track('chat started', conversation.conversationId);
 *   });
 *   return () => null;
 * });
 * ```
 */
export function useChatEvent<E extends keyof ChatEvents>(event: E, listener: ChatEvents[E]): void {
  const { chat } = useChatApi();
  watchPostEffect((onCleanup) => onCleanup(chat.on(event, listener)));
}
