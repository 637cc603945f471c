// Cold review: refresh.ts wake() calls fire() whenever `waiting` is set, even while a throttle
// timer is already armed (a request made after the null answer); fire() overwrites `timer`, so the
// first timer is orphaned: two trailing refreshes run, and cancel() clears only one of the timers.
import { afterEach, expect, it, vi } from 'vitest';
import { createRefresher } from '../src/hubspot/refresh';

afterEach(() => vi.useRealTimers());

it('one merged refresh after a wake, and nothing left after cancel()', async () => {
  vi.useFakeTimers({ now: Date.parse('2026-11-26T10:00:00Z') });
  const api = {};
  const calls: unknown[] = [];
  let busy = true; // a pass runs: the first try answers null
  const refresher = createRefresher(
    () => api,
    (options) => {
      if (busy) return null;
      calls.push({ ...options });
      return true;
    },
  );
  refresher.request({ openToNewThread: false }); // pageView during a pass: kept for wake()
  refresher.loaded(api); // the pass loads the widget
  vi.advanceTimersByTime(5);
  refresher.request({}); // another pageView, inside the load's throttle window: a timer
  busy = false;
  refresher.wake(); // the pass settles
  vi.advanceTimersByTime(5000);
  expect(calls).toHaveLength(1);
});

it('cancel() leaves no timer', () => {
  vi.useFakeTimers({ now: Date.parse('2026-11-26T10:00:00Z') });
  const api = {};
  let busy = true;
  const calls: unknown[] = [];
  const refresher = createRefresher(
    () => api,
    (options) => {
      if (busy) return null;
      calls.push(options);
      return true;
    },
  );
  refresher.request({});
  refresher.loaded(api);
  vi.advanceTimersByTime(5);
  refresher.request({});
  busy = false;
  refresher.wake();
  refresher.cancel(); // destroy()
  expect(vi.getTimerCount()).toBe(0);
});
