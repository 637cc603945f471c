// pageView() refreshes under HubSpot's throttle: `widget.refresh()` runs at most once a second
// per shell — docs/hubspot.md §7, docs/decisions.md §19.

const THROTTLE_MS = 1000;

/** When this copy of the SDK last called `widget.load()` / `widget.refresh()`, across its chats. */
export const lastCall = {
  load: Number.NEGATIVE_INFINITY,
  refresh: Number.NEGATIVE_INFINITY,
};

export interface Refresher {
  /** Asks for a refresh: now, or merged into one trailing refresh (`openToNewThread` OR-ed). */
  request(openToNewThread: boolean): void;
  /** Drops a trailing refresh not yet made. */
  cancel(): void;
}

/**
 * Merges refresh requests so that HubSpot never sees one within a second of another refresh or of
 * a load. `refresh` makes the call and answers true; false when it must not happen (no instance of
 * ours, a load or reset of ours in flight: the request is dropped, since a load reads the URL);
 * or null when HubSpot is still loading the widget itself and would ignore it: tried again later.
 */
export function createRefresher(refresh: (openToNewThread: boolean) => boolean | null): Refresher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let newThread = false;
  /** When the latest request still waiting was made. */
  let since = 0;
  function fire(): void {
    timer = undefined;
    const now = Date.now();
    // A load since the request read the current URL itself: nothing left to refresh.
    if (lastCall.load >= since) {
      newThread = false;
      return;
    }
    // A clock that jumped back must not stall refreshes.
    lastCall.load = Math.min(lastCall.load, now);
    lastCall.refresh = Math.min(lastCall.refresh, now);
    const wait = Math.max(lastCall.load, lastCall.refresh) + THROTTLE_MS - now;
    if (wait > 0) {
      timer = setTimeout(fire, wait + 10);
      return;
    }
    const done = refresh(newThread);
    if (done === null) {
      timer = setTimeout(fire, THROTTLE_MS);
      return;
    }
    newThread = false;
    if (done) lastCall.refresh = Date.now();
  }
  return {
    request(openToNewThread) {
      newThread ||= openToNewThread;
      // A load after the latest request reads the URL that request was about.
      since = Date.now();
      if (!timer) fire();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      newThread = false;
    },
  };
}
