// Pure: which one widget operation moves the widget HubSpot actually has toward the one the
// chat wants. The widget driver runs these steps one at a time (STYLE.md, "Desired state, reconciled").

/** The widget the chat wants, from the last `start()`/`login()`/`logout()`. */
export interface WidgetTarget {
  /** The identity the next widget instance must carry; null for anonymous. */
  email: string | null;
  /** Whether a widget should be on the page at all. */
  visible: boolean;
  /** A login is in flight: create no anonymous instance meanwhile (decisions.md §2). */
  hold: boolean;
  /** Bumped by every logout: chat cookies and the instance from before it must go. */
  forgetEpoch: number;
}

/** The widget HubSpot has now. */
export interface WidgetActual {
  /** `foreign`: an instance the page loaded before the SDK looked; its identity is unknown. */
  instance: 'none' | 'ours' | 'foreign';
  /** The identity our instance captured when it was created; null for anonymous. */
  email: string | null;
  /** The last logout whose forgetting is done. */
  forgetEpoch: number;
}

/**
 * - `reset`: `clear({resetWidget:true})`: HubSpot drops the instance and its chat cookies.
 * - `forget-cookies`: no instance exists, so HubSpot's stub would delete nothing: expire them ourselves.
 * - `load`: create an instance from the current settings (`widget.load()` on the stub).
 * - `idle`: nothing to do.
 */
export type WidgetStep = 'reset' | 'forget-cookies' | 'load' | 'idle';

export function planWidgetStep(target: WidgetTarget, actual: WidgetActual): WidgetStep {
  const stale = target.forgetEpoch > actual.forgetEpoch;
  if (actual.instance !== 'none') {
    if (stale) return 'reset';
    // Identity is captured only when an instance is created — hubspot-api.md §2.
    if (actual.instance === 'foreign') return target.email || !target.visible ? 'reset' : 'idle';
    return actual.email !== target.email ? 'reset' : 'idle';
  }
  if (stale) return 'forget-cookies';
  return target.visible && !target.hold ? 'load' : 'idle';
}
