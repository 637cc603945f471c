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

type Option = keyof RefreshOptions;

export interface Refresher {
  /** Asks for a refresh: now, or merged into one trailing refresh (the options OR-ed). */
  request(options: RefreshOptions): void;
  /** Records a `widget.load()` on the shell `api`: it reads the URL and identity itself. */
  loaded(api: object | undefined): void;
  /** The widget loaded, or a pass settled: a refresh kept waiting for it runs now. */
  wake(): void;
  /**
   * Drops a trailing refresh not yet made, for good: the driver's last call (on `destroy()`), after
   * which nothing asks, loads or wakes.
   */
  cancel(): void;
}

/**
 * Merges refresh requests so that HubSpot never sees one within a second of another refresh or of
 * a load on the same shell (a new shell has its own window). `refresh` makes the call and answers
 * true; false when it must not happen (no instance of ours, a load or reset of ours in flight: the
 * request is dropped, since a load reads the URL and the identity); or null when HubSpot is still
 * loading the widget itself and would ignore it, or a pass runs: tried again on `wake()`.
 */
export function createRefresher(
  current: () => object | undefined,
  refresh: (options: RefreshOptions) => boolean | null,
): Refresher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let merged: RefreshOptions = {};
  /** When the latest request still waiting was made. */
  let since = 0;
  /** HubSpot could not take the refresh yet: `wake()` asks again. */
  let waiting = false;
  /**
   * The shell the times below are about: when a load was last asked of it, when that load runs
   * (HubSpot defers one inside the shell's window to the window's end), when a refresh last ran.
   */
  let shell: object | undefined;
  let calledAt = 0;
  let loadAt = 0;
  let refreshAt = 0;
  const on = (api: object | undefined) => {
    if (api !== shell) {
      shell = api;
      calledAt = loadAt = refreshAt = 0;
    }
  };
  function fire(): void {
    timer = undefined;
    // Asked now: a throttle timer armed below is not a wait for `wake()`.
    waiting = false;
    const api = current();
    on(api);
    // A load asked since the request reads the current URL and identity itself: nothing left to
    // refresh. (A deferred load does not count: it does nothing if the shell has loaded by then.)
    if (api && calledAt < since) {
      // A clock that jumped back must not stall refreshes: no time is later than a window from now.
      const now = Date.now();
      loadAt = Math.min(loadAt, now + THROTTLE_MS);
      refreshAt = Math.min(refreshAt, now);
      const wait = Math.max(loadAt, refreshAt) + THROTTLE_MS - now;
      if (wait > 0) {
        timer = setTimeout(fire, wait + 10);
        return;
      }
      const done = refresh(merged);
      // HubSpot loads the widget (a display delay may last minutes; a shell whose widget data
      // failed, until it is removed), or a pass runs: no polling meanwhile, `wake()` asks again.
      waiting = done === null;
      if (waiting) return;
      if (done) refreshAt = Date.now();
    }
    merged = {};
  }
  return {
    request(options) {
      // What any of the merged requests asked for (only `true` counts).
      for (const key in options) if (options[key as Option]) merged[key as Option] = true;
      // A load after the latest request reads the URL that request was about.
      since = Date.now();
      if (!timer) fire();
    },
    loaded(api) {
      on(api);
      calledAt = Date.now();
      loadAt = Math.max(calledAt, loadAt + THROTTLE_MS);
    },
    wake() {
      if (waiting) fire();
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}
