import { expect, it } from 'vitest';
import { setUp } from './harness';

// Review finding: endShell() removed `[id$="-unconfirmed"]`: every element of the page whose id ends so, not
// only HubSpot's two renamed containers (before: getElementById(IDS[i] + '-unconfirmed')).
it('hide() (or a logout / reset) leaves the page’s own "*-unconfirmed" elements alone', async () => {
  const banner = document.createElement('div');
  banner.id = 'email-unconfirmed';
  banner.textContent = 'Please confirm your e-mail address';
  document.body.appendChild(banner);
  try {
    const h = setUp({});
    await Promise.all([h.chat.start(), h.advance(500)]);
    expect(h.chat.loaded).toBe(true);
    h.chat.hide(); // remove step: endShell(() => api.widget.remove())
    await h.advance(100);
    expect(document.getElementById('email-unconfirmed')).not.toBeNull();
  } finally {
    banner.remove();
  }
});
