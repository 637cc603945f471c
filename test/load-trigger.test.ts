import { afterEach, describe, expect, it } from 'vitest';
import { loadOnInteraction } from '../src/index';

let disarms: Array<() => void> = [];
afterEach(() => {
  for (const disarm of disarms) disarm();
  disarms = [];
});

/** Arms {@link loadOnInteraction} and counts how often it fires. */
function armInteraction() {
  const fired = { count: 0 };
  disarms.push(loadOnInteraction(() => fired.count++));
  return fired;
}

describe('loadOnInteraction', () => {
  it('does not fire on a scroll the browser makes by itself (anchor link, scroll restoration)', () => {
    const fired = armInteraction();
    window.dispatchEvent(new Event('scroll'));
    document.dispatchEvent(new Event('scroll'));
    expect(fired.count).toBe(0);
  });

  it.each(['wheel', 'touchmove', 'keydown', 'pointerdown'])('fires once on %s', (name) => {
    const fired = armInteraction();
    document.body.dispatchEvent(new Event(name, { bubbles: true }));
    expect(fired.count).toBe(1);
    document.body.dispatchEvent(new Event(name, { bubbles: true }));
    window.dispatchEvent(new Event('pointerdown'));
    expect(fired.count).toBe(1);
  });

  it('fires nothing once disarmed', () => {
    const fired = { count: 0 };
    loadOnInteraction(() => fired.count++)();
    for (const name of ['wheel', 'touchmove', 'keydown', 'pointerdown']) {
      window.dispatchEvent(new Event(name));
    }
    expect(fired.count).toBe(0);
  });
});
