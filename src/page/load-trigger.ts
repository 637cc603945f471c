/**
 * When `start()` may load HubSpot's script: called with `load` once the chat has started (and
 * consent allows), it calls `load` when the time has come, at once or later, and returns the
 * function that disarms it (called when `load` ran, on `open()`, on a revocation and on
 * `destroy()`). Pass {@link loadWhenIdle}, {@link loadOnInteraction} or your own.
 *
 * @example
 * ```ts
 * // HubSpot loads when the visitor first hovers the help link.
 * const onHelpHover: LoadTrigger = (load) => {
 *   const link = document.querySelector('#help');
 *   link?.addEventListener('pointerenter', load, { once: true });
 *   return () => link?.removeEventListener('pointerenter', load);
 * };
 * ```
 */
export type LoadTrigger = (load: () => void) => () => void;

/** The longest {@link loadWhenIdle} waits for idle time (and, without `requestIdleCallback`, the wait itself). */
const IDLE_TIMEOUT_MS = 4000;
/**
 * What a person does, never what the browser does by itself: no `scroll`, which an anchor link or
 * the scroll restoration of a reload fires too.
 */
const INTERACTIONS = ['wheel', 'touchmove', 'keydown', 'pointerdown'];

/**
 * The `load` trigger that loads HubSpot when the browser is idle: from `requestIdleCallback`, at
 * the latest after 4 s (a 4 s timer where `requestIdleCallback` is missing).
 *
 * @example
 * ```ts
 * const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token', load: loadWhenIdle });
 * ```
 */
export const loadWhenIdle: LoadTrigger = (load) => {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(load, { timeout: IDLE_TIMEOUT_MS });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(load, IDLE_TIMEOUT_MS);
  return () => clearTimeout(timer);
};

/**
 * The `load` trigger that loads HubSpot on the page's first `wheel`, `touchmove`, `keydown` or
 * `pointerdown` (passive listeners, removed once fired); not on a `scroll`, which the browser also
 * makes by itself. `open()` loads it before that.
 *
 * @example
 * ```ts
 * const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token', load: loadOnInteraction });
 * mountLauncher(chat); // a light chat button until HubSpot's widget has loaded
 * ```
 */
export const loadOnInteraction: LoadTrigger = (load) => {
  const options = { capture: true, passive: true };
  const disarm = () => {
    for (const name of INTERACTIONS) removeEventListener(name, onInteraction, options);
  };
  function onInteraction(): void {
    disarm();
    load();
  }
  for (const name of INTERACTIONS) addEventListener(name, onInteraction, options);
  return disarm;
};
