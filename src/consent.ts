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

/** Tells HubSpot's privacy code to forget consent and its cookies, once it exists — docs/hubspot.md §9. */
export function revokeHubSpotConsent(): void {
  const w = window as unknown as { _hsp?: unknown[] };
  w._hsp ??= [];
  w._hsp.push(['revokeCookieConsent']);
}
