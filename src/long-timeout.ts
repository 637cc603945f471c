/** Browsers keep `setTimeout` delays in 32 bits: a longer one fires at once — docs/decisions.md §18. */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `fn` at epoch ms `at` (at once if that has passed). Returns the function that cancels it.
 * Token lifetimes are capped at 12 hours (docs/decisions.md §18), far below `MAX_DELAY_MS`.
 */
export function timeoutAt(at: number, fn: () => void): () => void {
  // A delay that has passed (negative) is 0 to setTimeout.
  const timer = setTimeout(fn, at - Date.now());
  return () => clearTimeout(timer);
}
