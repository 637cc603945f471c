/**
 * Time the event loop was free to run our callbacks; internal. A timer that fires late because the
 * process was busy (answering a thousand other requests, say) must not count that lateness as the
 * store's or another instance's: their answer may have been waiting in a socket the whole time.
 *
 * One shared ticker runs while anyone holds the clock. Each interval between two ticks counts at
 * most {@link TICK_MS} + {@link SLACK_MS}: the rest of a longer interval was the loop being busy.
 * Portable (setTimeout and performance.now only), so it runs on Node, Deno, Bun and Workers.
 */
const TICK_MS = 20;
const SLACK_MS = 10;
const LONGEST_FREE_STEP_MS = TICK_MS + SLACK_MS;

const clock = {
  holders: 0,
  timer: undefined as ReturnType<typeof setTimeout> | undefined,
  /** performance.now() at the last tick. */
  lastTick: 0,
  /** Loop-free milliseconds counted up to the last tick. */
  free: 0,
};

const realNow = (): number => globalThis.performance.now();

function tick(): void {
  const now = realNow();
  clock.free += Math.min(now - clock.lastTick, LONGEST_FREE_STEP_MS);
  clock.lastTick = now;
  clock.timer = setTimeout(tick, TICK_MS);
  unref(clock.timer);
}

function unref(timer: unknown): void {
  // Node: the ticker alone must not keep a process alive. Elsewhere timers are plain numbers.
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

/** Loop-free milliseconds so far; only differences taken while holding the clock mean anything. */
export function loopFreeNow(): number {
  if (clock.holders === 0) return clock.free;
  return clock.free + Math.min(realNow() - clock.lastTick, LONGEST_FREE_STEP_MS);
}

/** Starts the ticker (if it is not running) until the returned function is called. */
export function holdLoopClock(): () => void {
  if (clock.holders++ === 0) {
    clock.lastTick = realNow();
    clock.timer = setTimeout(tick, TICK_MS);
    unref(clock.timer);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--clock.holders === 0) {
      clearTimeout(clock.timer);
      clock.timer = undefined;
    }
  };
}
