import { expect, it } from 'vitest';
import { setUp } from './harness';

// Finding 3: destroy() while the anonymous widget is still loading removes it (release(): remove(),
// not a reset), but the shell's request is still in flight. Its container lands after destroy();
// old-shells.ts judges it as the *current* shell's and shows it, because `containers.wanted()` answers
// `owner !== self` = true once the destroyed driver gave up ownership. decisions.md §6: "the widget goes".
it('destroy() during the anonymous widget’s display delay: no widget appears afterwards', async () => {
  const h = setUp({}, { displayDelayMs: 2000 });
  await Promise.all([h.chat.start(), h.advance(500)]);
  expect(h.standIn.fake.state().pending).toBe(true);
  h.chat.destroy();
  await h.advance(5000);
  expect(h.chat.state).toBe('destroyed');
  expect(document.getElementById('hubspot-messages-iframe-container')).toBeNull();
  expect(h.standIn.fake.state().shown).toBeNull();
});
