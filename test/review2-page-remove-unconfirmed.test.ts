import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice, bob, hubspot } from './review2-helpers';

// Finding 13 (page's own calls): while any old shell may act, the current shell's new container is
// renamed `…-unconfirmed` until its iframe loads. HubSpot's remove() finds the container by its id
// only, so a remove() the page makes in that window (e.g. its route without chat) removes nothing,
// and the widget shows once the iframe loads, although the page removed it.
it('page’s own widget.remove() while bob’s new widget awaits its iframe: the widget stays removed', async () => {
  const h = setUp({}, { displayDelayMs: 2000 });
  h.tokens.push(validToken(h.standIn, alice), validToken(h.standIn, bob));
  await Promise.all([h.chat.login(), h.advance(500)]); // alice's shell in its display delay
  h.standIn.fake.config.displayDelayMs = 0; // bob's widget comes at once (alice's lands later)
  await Promise.all([h.chat.login({ fresh: true }), h.advance(1)]); // switch: alice's shell is old
  const waiting = () =>
    document.querySelector<HTMLElement>(
      '#hubspot-messages-iframe-container-unconfirmed[data-shell-generation="2"]',
    );
  for (let i = 0; i < 500 && !waiting(); i++) await h.advance(5);
  expect(waiting()).not.toBeNull(); // bob's container is in, its iframe not loaded yet
  hubspot()?.widget.remove(); // the page's route without chat
  await h.advance(5000);
  expect(h.standIn.fake.state().shown).toBeNull();
  expect(document.querySelector('[data-shell-generation]')).toBeNull();
});
