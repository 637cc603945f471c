/** What one tab tells the others. Never a token, never an email. */
export type TabMessage = 'login' | 'logout' | 'revoke';

const CHANNEL = 'hubspot-visitor-chat';

/**
 * Tells the page's other tabs (same origin) about logins and logouts: a BroadcastChannel, or where
 * there is none, a `storage` event on a key written and removed at once. Returns `post` and `close`.
 */
export function createTabSync(onMessage: (message: TabMessage) => void) {
  const sender = Math.random().toString(36).slice(2);
  const accept = (data: unknown) => {
    const { type, from } = (data ?? {}) as { type?: unknown; from?: unknown };
    if (from !== sender && (type === 'login' || type === 'logout' || type === 'revoke')) {
      onMessage(type);
    }
  };
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event) => accept(event.data);
    return {
      post: (type: TabMessage) => channel.postMessage({ type, from: sender }),
      close: () => channel.close(),
    };
  }
  const onStorage = (event: StorageEvent) => {
    if (event.key !== CHANNEL || !event.newValue) return;
    try {
      accept(JSON.parse(event.newValue));
    } catch {
      // not ours
    }
  };
  addEventListener('storage', onStorage);
  return {
    post(type: TabMessage) {
      try {
        // A fresh value each time, so that the same message twice still fires the event.
        localStorage.setItem(CHANNEL, JSON.stringify({ type, from: sender, at: Date.now() }));
        localStorage.removeItem(CHANNEL);
      } catch {
        // storage disabled: other tabs notice on their next login or refresh
      }
    },
    close: () => removeEventListener('storage', onStorage),
  };
}
