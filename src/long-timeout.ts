/** Browsers keep `setTimeout` delays in 32 bits: a longer one fires at once — docs/decisions.md §18. */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `fn` at epoch ms `at` (at once if that has passed), however far away: waits of more than
 * 2^31−1 ms are taken in steps. Returns the function that cancels it.
 */
export function timeoutAt(at: number, fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = () => {
    const wait = at - Date.now();
    // A delay that has passed (negative) is 0 to setTimeout.
    timer = setTimeout(wait > MAX_DELAY_MS ? arm : fn, Math.min(wait, MAX_DELAY_MS));
  };
  arm();
  return () => clearTimeout(timer);
}
