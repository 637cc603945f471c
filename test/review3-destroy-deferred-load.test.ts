import { expect, it } from 'vitest';
import { setUp } from './harness';

// destroy() is to leave no widget ("the load a destroyed chat made goes", docs/hubspot.md §7). The
// change covers a load still in flight (status pending) through `leaving`; a load the chat made that
// HubSpot has deferred to the end of the shell's throttle second is not pending yet: stopLoad()
// calls remove() (nothing on the page), the deferred load runs after destroy(), and its container is
// judged by the destroyed driver's `containers.wanted()`: `leaving` is unset, so it answers true and
// the anonymous widget shows on the page after destroy().
it('hide(), show(), destroy() within the shell’s second: no widget after destroy()', async () => {
  const h = setUp({});
  await Promise.all([h.chat.start(), h.advance(200)]);
  expect(h.chat.loaded).toBe(true);
  h.chat.hide(); // remove()
  await h.advance(50);
  h.chat.show(); // load(): HubSpot defers it to the end of the shell's second
  await h.advance(50);
  h.chat.destroy();
  await h.advance(5000);
  expect(h.chat.state).toBe('destroyed');
  expect(h.standIn.fake.state().shown).toBeNull();
});
