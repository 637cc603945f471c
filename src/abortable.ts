import { ChatError } from './errors';

/** What a `login()` (or a wait inside it) rejects with when a later call superseded it. */
export const aborted = () =>
  new ChatError('ABORTED', 'Superseded by a later logout() or destroy()');

/** Settles like `promise`, or rejects with `ABORTED` as soon as `signal` aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    if (signal.aborted) return onAbort();
    // Removed once `promise` settles; a signal aborts only once.
    signal.addEventListener('abort', onAbort);
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Waits `ms`; rejects with `ABORTED` (and clears the timer) when `signal` aborts first. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return raceAbort(
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
    signal,
  ).finally(() => clearTimeout(timer));
}
