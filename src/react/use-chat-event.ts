import { useEffect, useInsertionEffect, useRef } from 'react';
import type { ChatEvents } from '../index';
import { useChatApi } from './context';

/**
 * Listens to one of the chat's events (its own, such as `login`, `error` or `unreadCount`, and
 * HubSpot's widget events, such as `conversationStarted`) while the component is mounted. Always
 * calls the latest `listener` without re-subscribing, so an inline arrow function is fine.
 *
 * @example
 * ```tsx
 * function Analytics() {
 *   useChatEvent('conversationStarted', ({ conversation }) => {
 *     track('chat started', conversation.conversationId);
 *   });
 *   return null;
 * }
 * ```
 */
export function useChatEvent<E extends keyof ChatEvents>(event: E, listener: ChatEvents[E]): void {
  const { chat } = useChatApi();
  const latest = useRef(listener);
  useInsertionEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    const forward = (...args: unknown[]) =>
      (latest.current as (...args: unknown[]) => void)(...args);
    return chat.on(event, forward as ChatEvents[E]);
  }, [chat, event]);
}
