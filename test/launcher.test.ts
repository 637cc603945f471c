// Issue 19.7: the launcher's busy state ends.
import { afterEach, describe, expect, it } from 'vitest';
import { loadOnInteraction, mountLauncher } from '../src/index';
import { type Harness, setUp } from './harness';

const label = 'Talk to us';
/** The launcher as the visitor sees it: in the page, or not. */
const launcher = () => document.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`);

const unmounts: Array<() => void> = [];
afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
});
function mount(h: Harness, busyMs?: number) {
  unmounts.push(mountLauncher(h.chat, busyMs === undefined ? { label } : { label, busyMs }));
}

describe('aria-busy', () => {
  it("ends after 15 s when HubSpot's targeting shows no widget on this page (neither loaded nor error)", async () => {
    const h = setUp({ load: loadOnInteraction }, { targeting: () => false });
    mount(h);
    await h.chat.start();
    launcher()?.click();
    expect(launcher()?.getAttribute('aria-busy')).toBe('true');
    expect(launcher()?.style.cursor).toBe('progress');
    await h.advance(14_000);
    expect(launcher()?.getAttribute('aria-busy')).toBe('true');
    await h.advance(1_000);
    expect(h.chat.loaded).toBe(false);
    expect(launcher()?.hasAttribute('aria-busy')).toBe(false);
    expect(launcher()?.style.cursor).toBe('pointer');
  });

  it('ends after busyMs when given', async () => {
    const h = setUp({ load: loadOnInteraction }, { targeting: () => false });
    mount(h, 4000);
    await h.chat.start();
    launcher()?.click();
    await h.advance(3900);
    expect(launcher()?.getAttribute('aria-busy')).toBe('true');
    await h.advance(100);
    expect(launcher()?.hasAttribute('aria-busy')).toBe(false);
  });
});
