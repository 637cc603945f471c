/** When `start()` may load HubSpot's script: at once, when the browser is idle, or on first use. */
export type LoadMode = 'immediate' | 'idle' | 'interaction';

/** The longest `'idle'` waits for idle time (and, without `requestIdleCallback`, the wait itself). */
const IDLE_TIMEOUT_MS = 4000;
/**
 * What a person does, never what the browser does by itself: no `scroll`, which an anchor link or
 * the scroll restoration of a reload fires too.
 */
const INTERACTIONS = ['wheel', 'touchmove', 'keydown', 'pointerdown'] as const;

/**
 * Calls `fire` once, when `mode` says HubSpot may load: at once (`immediate`), from
 * `requestIdleCallback` with a 4 s timeout (`idle`; a 4 s `setTimeout` where it is missing), or on
 * the page's first `wheel`, `touchmove`, `keydown` or `pointerdown` (`interaction`; passive
 * listeners, removed once fired). Returns the function that disarms it.
 */
export function armLoadTrigger(mode: LoadMode, fire: () => void): () => void {
  if (mode === 'immediate') {
    fire();
    return () => {};
  }
  if (mode === 'idle') {
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(fire, { timeout: IDLE_TIMEOUT_MS });
      return () => cancelIdleCallback(handle);
    }
    const timer = setTimeout(fire, IDLE_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }
  const options = { capture: true, passive: true };
  const disarm = () => {
    for (const name of INTERACTIONS) removeEventListener(name, onInteraction, options);
  };
  function onInteraction(): void {
    disarm();
    fire();
  }
  for (const name of INTERACTIONS) addEventListener(name, onInteraction, options);
  return disarm;
}
