import { afterEach, describe, expect, it, vi } from 'vitest';
import { timeoutAt } from '../src/long-timeout';

afterEach(() => {
  vi.useRealTimers();
});

describe('timeoutAt', () => {
  it('fires once at a time more than 2^31−1 ms away, not at once', async () => {
    vi.useFakeTimers({ now: 0 });
    let fired = 0;
    const at = 60 * 24 * 3600 * 1000; // 60 days: more than twice the 24.8-day limit
    timeoutAt(at, () => fired++);
    await vi.advanceTimersByTimeAsync(at - 1);
    expect(fired).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toBe(1);
    await vi.advanceTimersByTimeAsync(at);
    expect(fired).toBe(1);
  });

  it('fires at once for a time that has passed, and can be cancelled', async () => {
    vi.useFakeTimers({ now: 10_000 });
    let fired = 0;
    timeoutAt(5_000, () => fired++);
    const cancel = timeoutAt(20_000, () => fired++);
    cancel();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(fired).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
