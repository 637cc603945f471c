import { LOADER_ID } from './hubspot/loader';

// Consent as a condition of the gate (gate.ts): a login() asked for while the visitor has not
// decided waits for the decision, and nothing of HubSpot's runs meanwhile — docs/decisions.md §13.

/** A promise settled from outside: the `login()` calls that wait for consent share one. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T | Promise<T>): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  const d = {} as Deferred<T>;
  d.promise = new Promise<T>((resolve, reject) => {
    d.resolve = resolve;
    d.reject = reject;
  });
  return d;
}

/**
 * Tells HubSpot's privacy code to forget consent and its cookies, and its tracking code to stop,
 * once they exist — docs/hubspot.md §9. A loader still on its way may write cookies when it runs:
 * `forget` runs then too.
 */
export function revokeHubSpotConsent(forget: () => void): void {
  const w = window as unknown as { _hsp?: unknown[]; _hsq?: unknown[] };
  w._hsp ??= [];
  w._hsq ??= [];
  w._hsp.push(['revokeCookieConsent']);
  w._hsq.push(['doNotTrack']);
  document.getElementById(LOADER_ID)?.addEventListener('load', forget);
}
