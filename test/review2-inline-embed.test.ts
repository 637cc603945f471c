import { expect, it } from 'vitest';
import { setUp, validToken } from './harness';
import { alice, widgetsOnPage } from './review2-helpers';

// Finding 1: old-shells.ts only watches `#hubspot-messages-iframe-container` on <body>. With the
// supported pass-through `widget.inlineEmbedSelector`, HubSpot appends `#hubspot-conversations-inline-parent`
// to the page's element, and never refuses a second one: alice's old shell appends her chat there.
it('inline embed: logout() during alice’s display delay never leaves her inline chat on the page', async () => {
  const box = document.createElement('div');
  box.id = 'chat';
  document.body.append(box);
  try {
    const h = setUp({ widget: { inlineEmbedSelector: '#chat' } }, { displayDelayMs: 2000 });
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(500)]); // alice's shell waits out the delay
    await h.chat.logout();
    await h.advance(5000);
    expect(h.chat.state).toBe('logged-out');
    expect(widgetsOnPage(h).filter((w) => w.email === alice && !w.hidden)).toEqual([]);
  } finally {
    box.remove();
  }
});
