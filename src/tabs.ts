/** What one tab tells the others. Never a token, never an email. */
export type TabMessage = 'login' | 'logout' | 'revoke';

const CHANNEL = 'hubspot-visitor-chat';
const MESSAGES: unknown[] = ['login', 'logout', 'revoke'] satisfies TabMessage[];

/**
 * Tells the page's other tabs (same origin) about logins and logouts: a BroadcastChannel, or where
 * there is none, a `storage` event on a key written and removed at once. Neither brings a tab's own
 * messages back to it. Returns `post` and `close`.
 */
export function createTabSync(onMessage: (message: TabMessage) => void) {
  const accept = (data: unknown) => {
    const type = (data as { type?: unknown } | null)?.type;
    if (MESSAGES.includes(type)) onMessage(type as TabMessage);
  };
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  const onStorage = (event: StorageEvent) => {
    try {
      // The removal's event (`newValue` null) parses to null: nothing.
      if (event.key === CHANNEL) accept(JSON.parse(event.newValue as string));
    } catch {
      // Another script's value under our key: not a message.
    }
  };
  if (channel) channel.onmessage = (event) => accept(event.data);
  else addEventListener('storage', onStorage);
  return {
    post(type: TabMessage) {
      if (channel) return channel.postMessage({ type });
      try {
        // Removed at once: the next message is a change again, and so an event.
        localStorage.setItem(CHANNEL, JSON.stringify({ type }));
        localStorage.removeItem(CHANNEL);
      } catch {
        // Storage disabled (privacy mode): the other tabs are not told.
      }
    },
    close() {
      channel?.close();
      removeEventListener('storage', onStorage);
    },
  };
}
