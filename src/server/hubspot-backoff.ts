import { HubSpotApiError } from './hubspot-api-error';

/** When HubSpot rate-limits us without saying for how long: its window is 10 s (docs/hubspot.md §9). */
export const DEFAULT_RETRY_AFTER_S = 10;
/** The longest wait remembered: a bigger `Retry-After` (a proxy's, a bug's) would stall for days. */
const MAX_REMEMBERED_S = 3600;

/**
 * Remembers HubSpot asking us to wait (429, or 503 with `Retry-After`), so that inside that window
 * no new visitor is sent to HubSpot: each gets the same error at once (503 + `Retry-After` from
 * the token endpoint), with the time that is left; internal.
 */
export interface HubSpotBackoff {
  /** Rejects at once inside the window; otherwise runs `call` and learns from its failure. */
  run<T>(call: () => Promise<T>): Promise<T>;
}

/** Whether `error` is HubSpot asking us to wait. */
export function asksToWait(error: unknown): error is HubSpotApiError {
  return (
    error instanceof HubSpotApiError &&
    (error.code === 'RATE_LIMITED' ||
      (error.status === 503 && error.retryAfterSeconds !== undefined))
  );
}

/** A clock that an NTP step or a VM resume does not move back: the window is a duration. */
const now = (): number => globalThis.performance.now();

export function hubspotBackoff(): HubSpotBackoff {
  const window = { until: 0, status: 429, message: '' };
  return {
    run(call) {
      const left = (window.until - now()) / 1000;
      if (left > 0) {
        return Promise.reject(
          new HubSpotApiError(
            window.status === 429 ? 'RATE_LIMITED' : 'SERVER',
            `${window.message}; not called again for ${Math.ceil(left)} s (Retry-After)`,
            { status: window.status, retryAfterSeconds: Math.ceil(left) },
          ),
        );
      }
      return call().catch((error: unknown) => {
        if (asksToWait(error)) {
          const seconds = Math.min(
            MAX_REMEMBERED_S,
            Number.isFinite(error.retryAfterSeconds) && (error.retryAfterSeconds ?? 0) > 0
              ? (error.retryAfterSeconds as number)
              : DEFAULT_RETRY_AFTER_S,
          );
          window.until = Math.max(window.until, now() + seconds * 1000);
          window.status = error.status ?? 429;
          window.message = error.message;
        }
        throw error;
      });
    },
  };
}
