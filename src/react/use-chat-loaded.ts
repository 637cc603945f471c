import { useCallback, useSyncExternalStore } from 'react';
import { useChatApi } from './context';

/**
 * Whether HubSpot's widget is on the page and loaded (`chat.loaded`, the `loaded` event),
 * re-rendering only its caller when that changes; false on the server, before the widget loads,
 * while consent or the load trigger holds it back, and when HubSpot's script is blocked. A button
 * that opens the chat can say so instead of doing nothing.
 *
 * @example
 * ```tsx
 * function ChatButton() {
 *   const { open } = useHubSpotChat();
 *   const loaded = useChatLoaded();
 *   return <button type="button" onClick={open} disabled={!loaded}>{loaded ? 'Chat with us' : 'Chat unavailable'}</button>;
 * }
 * ```
 */
export function useChatLoaded(): boolean {
  const { chat } = useChatApi();
  const subscribe = useCallback((changed: () => void) => chat.on('loaded', changed), [chat]);
  return useSyncExternalStore(
    subscribe,
    () => chat.loaded,
    () => false,
  );
}
