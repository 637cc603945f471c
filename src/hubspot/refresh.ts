// pageView() and a renewed token refresh the widget under HubSpot's per-shell throttle: requests
// are merged so that HubSpot never has to defer one (it would keep only the last one's options)
// — docs/hubspot.md §7, docs/decisions.md §19.

/** HubSpot's throttle window for `widget.load()` and `widget.refresh()`, per shell and method. */
export const THROTTLE_MS = 1000;

/** What a refresh asks of HubSpot (`widget.refresh(options)`). */
export interface RefreshOptions {
  openToNewThread?: boolean;
  /** Re-read the identification from the settings into the live shell (HubSpot ≥ 1.26137). */
  setIdentification?: boolean;
}

export interface Refresher {
  /** Asks for a refresh: now, or merged into one trailing refresh (the options OR-ed). */
  request(options: RefreshOptions): void;
  /** Records a `widget.load()` on the shell `api`: it reads the URL and identity itself. */
  loaded(api: object | undefined): void;
  /** Drops a trailing refresh not yet made. */
  cancel(): void;
}

/**
 * Merges refresh requests so that HubSpot never sees one within a second of another refresh or of
 * a load on the same shell (a new shell has its own window). `refresh` makes the call and answers
 * true; false when it must not happen (no instance of ours, a load or reset of ours in flight: the
 * request is dropped, since a load reads the URL and the identity); or null when HubSpot is still
 * loading the widget itself and would ignore it: tried again later.
 */
export function createRefresher(
  current: () => object | undefined,
  refresh: (options: RefreshOptions) => boolean | null,
): Refresher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let merged: RefreshOptions = {};
  /** When the latest request still waiting was made. */
  let since = 0;
  /** The shell the two times below are about: when a load and a refresh last ran on it (0: never). */
  let shell: object | undefined;
  let loadAt = 0;
  let refreshAt = 0;
  const on = (api: object | undefined) => {
    if (api !== shell) {
      shell = api;
      loadAt = refreshAt = 0;
    }
  };
  function fire(): void {
    timer = undefined;
    const api = current();
    on(api);
    // A load since the request read the current URL and identity itself: nothing left to refresh.
    if (!api || loadAt >= since) {
      merged = {};
      return;
    }
    // At most a window: a clock that jumped back must not stall refreshes.
    const wait = Math.min(Math.max(loadAt, refreshAt) + THROTTLE_MS - Date.now(), THROTTLE_MS);
    if (wait > 0) {
      timer = setTimeout(fire, wait + 10);
      return;
    }
    const done = refresh(merged);
    if (done === null) {
      timer = setTimeout(fire, THROTTLE_MS);
      return;
    }
    merged = {};
    if (done) refreshAt = Date.now();
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
    loaded(api) {
      on(api);
      // When it runs: HubSpot defers a load inside the shell's window to the window's end.
      loadAt = Math.max(Date.now(), loadAt + THROTTLE_MS);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      merged = {};
    },
  };
}
