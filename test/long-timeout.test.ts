import { afterEach, describe, expect, it, vi } from 'vitest';
import { timeoutAt } from '../src/long-timeout';

afterEach(() => {
  vi.useRealTimers();
});

describe('timeoutAt', () => {
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
