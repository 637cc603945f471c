// pageView() and a renewed token refresh the widget under HubSpot's per-shell throttle: requests
// are merged so that HubSpot never has to defer one — docs/hubspot.md §7, docs/decisions.md §19.
import { lastCall, noteCall, throttleWait } from './throttle';

/** What a refresh asks of HubSpot (`widget.refresh(options)`). */
export interface RefreshOptions {
  openToNewThread?: boolean;
  /** Re-read the identification from the settings into the live shell (HubSpot ≥ 1.26137). */
  setIdentification?: boolean;
}

export interface Refresher {
  /** Asks for a refresh: now, or merged into one trailing refresh (the options OR-ed). */
  request(options: RefreshOptions): void;
  /** Drops a trailing refresh not yet made. */
  cancel(): void;
}

/**
 * Merges refresh requests so that HubSpot never sees one within a second of another refresh or of
 * a load on the same shell. `refresh` makes the call on `api` and answers true; false when it must
 * not happen (no instance of ours, a load or reset of ours in flight: the request is dropped, since
 * a load reads the URL and the identity); or null when HubSpot is still loading the widget itself
 * and would ignore it: tried again later.
 */
export function createRefresher(
  current: () => object | undefined,
  refresh: (options: RefreshOptions) => boolean | null,
): Refresher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let merged: RefreshOptions = {};
  /** When the latest request still waiting was made. */
  let since = 0;
  function fire(): void {
    timer = undefined;
    const api = current();
    // A load since the request read the current URL and identity itself: nothing left to refresh.
    if (!api || lastCall(api, 'load') >= since) {
      merged = {};
      return;
    }
    const wait = throttleWait(api, 'load', 'refresh');
    if (wait > 0) {
      timer = setTimeout(fire, wait + 10);
      return;
    }
    const done = refresh(merged);
    if (done === null) {
      timer = setTimeout(fire, 1000);
      return;
    }
    merged = {};
    if (done) noteCall(api, 'refresh');
  }
  return {
    request(options) {
      merged = {
        openToNewThread: merged.openToNewThread || options.openToNewThread,
        setIdentification: merged.setIdentification || options.setIdentification,
      };
      // A load after the latest request reads the URL that request was about.
      since = Date.now();
      if (!timer) fire();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      merged = {};
    },
  };
}
