import { type Ref, shallowRef } from 'vue';
import { useChatApi, whileMounted } from './context';

/**
 * The number of conversations with unread messages (HubSpot's `unreadConversationCountChanged`),
 * as a read-only ref that follows the chat's `unreadCount` event until the component unmounts; 0
 * on the server, during hydration, and after a logout or a switch to another visitor.
 *
 * @example
 * ```ts
 * const UnreadBadge = defineComponent(() => {
 *   const unread = useUnreadCount();
 *   return () => (unread.value ? h('span', { 'aria-label': `${unread.value} unread` }, unread.value) : null);
 * });
 * ```
 */
export function useUnreadCount(): Readonly<Ref<number>> {
  const { chat } = useChatApi();
  const count = shallowRef(0);
  whileMounted(chat, ['unreadCount'], () => {
    count.value = chat.unreadCount;
  });
  return count;
}
