// Pure: which one widget operation moves the widget HubSpot actually has toward the one the
// chat wants. The widget driver runs these steps one at a time (docs/architecture.md, "The reconcile loop").

/** The widget the chat wants, from the last `start()`/`login()`/`logout()`. */
export interface WidgetTarget {
  /** The identity the next widget instance must carry; null for anonymous. */
  email: string | null;
  /** The token that goes with `email`; kept only in memory and in HubSpot's settings. */
  token: string | null;
  /** Whether a widget should be on the page at all. */
  visible: boolean;
  /** A login is in flight: create no anonymous instance meanwhile (docs/decisions.md §2). */
  hold: boolean;
  /** Bumped by every logout: chat cookies and the instance from before it must go. */
  forgetEpoch: number;
  /** HubSpot may be on the page (the gate is open): else nothing of it is waited for or written. */
  allowed: boolean;
}

/** The widget HubSpot has now. */
export interface WidgetActual {
  /**
   * `ours`: an instance we created, with the identity in `email`. `foreign`: one the page created
   * (loaded, or removed but not reset) before the SDK looked; it may carry any identity.
   */
  instance: 'none' | 'ours' | 'foreign';
  /** The identity our instance captured when it was created; null for anonymous. */
  email: string | null;
  /** Whether the instance's widget was loaded (or is loading) and not removed since. */
  shown: boolean;
  /** The last logout whose forgetting is done. */
  forgetEpoch: number;
}

/**
 * - `reset`: `clear({resetWidget:true})`: HubSpot drops the instance and its chat cookies.
 * - `forget-cookies`: no instance exists, so HubSpot's stub would delete nothing: expire them ourselves.
 * - `load`: `widget.load()`: create an instance from the current settings (on the stub), or show
 *   our removed one again (it keeps the identity it captured, which is the wanted one).
 * - `remove`: `widget.remove()`: take our instance off the page, keeping it.
 * - `idle`: nothing to do.
 */
export type WidgetStep = 'reset' | 'forget-cookies' | 'load' | 'remove' | 'idle';

export function planWidgetStep(target: WidgetTarget, actual: WidgetActual): WidgetStep {
  const stale = target.forgetEpoch > actual.forgetEpoch;
  if (actual.instance === 'none') {
    if (stale) return 'forget-cookies';
    return target.visible && !target.hold ? 'load' : 'idle';
  }
  if (stale) return 'reset';
  if (actual.instance === 'foreign') {
    // Its identity is unknown: keep it only as the anonymous widget it shows now.
    return target.email || !target.visible || !actual.shown ? 'reset' : 'idle';
  }
  // Identity is captured only when an instance is created — docs/hubspot.md §2. While a login is in
  // flight the instance waits for its answer (it may be the same visitor: no reset for nothing).
  if (actual.email !== target.email) return target.hold ? 'idle' : 'reset';
  if (!target.visible) return actual.shown ? 'remove' : 'idle';
  return actual.shown || target.hold ? 'idle' : 'load';
}
