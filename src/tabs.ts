/** What one tab tells the others. Never a token, never an email. */
export type TabMessage = 'login' | 'logout' | 'revoke';

const CHANNEL = 'hubspot-visitor-chat';
const MESSAGES: unknown[] = ['login', 'logout', 'revoke'] satisfies TabMessage[];

/**
 * Tells the page's other tabs (same origin) about logins and logouts through a BroadcastChannel,
 * which never brings a tab's own messages back to it. Where there is none (Safari before 15.4),
 * the tabs are not told — docs/decisions.md §26. Returns `post` and `close`.
 */
export function createTabSync(onMessage: (message: TabMessage) => void) {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  if (channel) {
    channel.onmessage = (event) => {
      const type = (event.data as { type?: unknown } | null)?.type;
      if (MESSAGES.includes(type)) onMessage(type as TabMessage);
    };
  }
  return {
    post: (type: TabMessage) => channel?.postMessage({ type }),
    close: () => channel?.close(),
  };
}
