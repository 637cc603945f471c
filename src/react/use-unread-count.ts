import { useCallback, useSyncExternalStore } from 'react';
import { useChatApi } from './context';

/**
 * The number of conversations with unread messages (HubSpot's `unreadConversationCountChanged`),
 * re-rendering only its caller when it changes; 0 on the server, at first, and after a logout or a
 * switch to another visitor.
 *
 * @example
 * ```tsx
 * function UnreadBadge() {
 *   const unread = useUnreadCount();
 *   return unread ? <span aria-label={`${unread} unread`}>{unread}</span> : null;
 * }
 * ```
 */
export function useUnreadCount(): number {
  const { chat } = useChatApi();
  const subscribe = useCallback((changed: () => void) => chat.on('unreadCount', changed), [chat]);
  return useSyncExternalStore(
    subscribe,
    () => chat.unreadCount,
    () => 0,
  );
}
