// Pure: the one gate that decides when anything of HubSpot's may exist on the page, and whether a
// widget should be shown — docs/decisions.md §13–14. Consent and lazy loading are two conditions of it.

/** The visitor's answer about HubSpot's cookies and tracking, as the site's consent manager gives it. */
export type Consent = 'granted' | 'pending' | 'denied';

/** What the gate looks at. */
export interface GateInput {
  /** `start()`, `login()` or `open()` was called. */
  started: boolean;
  consent: Consent;
  /** The `load` trigger fired: `immediate`, idle time, the first interaction, or `open()`. */
  triggered: boolean;
}

/** Whether HubSpot's globals, script and cookies may exist now. */
export const mayLoad = (gate: GateInput): boolean =>
  gate.started && gate.consent === 'granted' && gate.triggered;

/**
 * Whether a widget should be on the page once the gate is open: not hidden, and someone to show it
 * to — docs/decisions.md §14 (a revocation closes the gate, which hides it too).
 */
export const widgetVisible = (hidden: boolean, identified: boolean, showAnonymous: boolean) =>
  !hidden && (identified || showAnonymous);
