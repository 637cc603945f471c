import { type WatchSource, watch } from 'vue';
import { useChatApi } from './context';

/**
 * Calls `pageView()` whenever `route` changes (before the components re-render for it), so that
 * HubSpot's chatflow targeting follows a single-page app's routes; never at first, where HubSpot
 * reads the URL itself. Pass a getter (or a ref) of what identifies the route: vue-router's
 * `() => route.fullPath`. Stops with the component.
 *
 * @example
 * ```ts
 * const ChatPageViews = defineComponent(() => {
 *   const route = useRoute();
 *   useChatPageView(() => route.fullPath);
 *   return () => null;
 * });
 * ```
 */
export function useChatPageView(route: WatchSource<unknown>): void {
  const { chat } = useChatApi();
  watch(route, () => chat.pageView());
}
