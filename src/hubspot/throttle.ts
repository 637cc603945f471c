// HubSpot throttles `widget.load()` and `widget.refresh()` per shell and per method: the first call
// in a second runs, the last one inside that second runs at its end; a new shell (after a reset)
// has its own window — docs/hubspot.md §7. The SDK spaces its own calls on one shell so
// that HubSpot never has to defer one.

export const THROTTLE_MS = 1000;

type Method = 'load' | 'refresh';
const calls = new WeakMap<object, Record<Method, number>>();

/** When `method` was last called on the API object `api`; −∞ if never, never later than now. */
export function lastCall(api: object, method: Method): number {
  const times = calls.get(api);
  if (!times) return Number.NEGATIVE_INFINITY;
  // A clock that jumped back must not stall the widget: a call "in the future" was just now.
  times[method] = Math.min(times[method], Date.now());
  return times[method];
}

/** Records a call of `method` on `api`, now. */
export function noteCall(api: object, method: Method): void {
  const times = calls.get(api) ?? {
    load: Number.NEGATIVE_INFINITY,
    refresh: Number.NEGATIVE_INFINITY,
  };
  times[method] = Date.now();
  calls.set(api, times);
}

/** Milliseconds until `api` may be called with every one of `methods` without HubSpot deferring it. */
export function throttleWait(api: object, ...methods: Method[]): number {
  return Math.max(...methods.map((m) => lastCall(api, m))) + THROTTLE_MS - Date.now();
}
