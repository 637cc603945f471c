import { useEffect, useRef } from 'react';
import { useChatApi } from './context';

/**
 * Calls `pageView()` whenever `key` changes (after the render that changed it), so that HubSpot's
 * chatflow targeting follows a single-page app's routes; never on the first render, where HubSpot
 * reads the URL itself. Pass what identifies the route: React Router's `useLocation().key` (or
 * `pathname`), Next.js's `usePathname()`.
 *
 * @example
 * ```tsx
 * function ChatPageViews() {
 *   useChatPageView(useLocation().key);
 *   return null;
 * }
 * ```
 */
export function useChatPageView(key: unknown): void {
  const { chat } = useChatApi();
  const last = useRef(key);
  useEffect(() => {
    if (Object.is(last.current, key)) return;
    last.current = key;
    chat.pageView();
  }, [chat, key]);
}
