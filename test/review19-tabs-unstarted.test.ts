// Issue 19.10: another tab's login starts nothing on a page whose app never called start(); a page
// that only gave consent (setConsent) hears the other tabs' revocations, and nothing else —
// docs/decisions.md §26. Real timers: BroadcastChannel delivers outside fake time.
import { describe, expect, it } from 'vitest';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';

function otherTab() {
  const channel = new BroadcastChannel('hubspot-visitor-chat');
  return {
    post: (type: string) => channel.postMessage({ type, from: 'another-tab' }),
    close: () => channel.close(),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('a page whose app never started the chat', { timeout: 30_000 }, () => {
  it('does not follow another tab’s login: no token request, nothing of HubSpot’s', async () => {
    const h = setUp({ consent: 'pending' }, {}, { fakeTimers: false });
    h.tokens.push(validToken(h.standIn, alice));
    await h.chat.setConsent(true); // the consent banner, on a page without chat
    const other = otherTab();
    other.post('login');
    await settle();
    expect(h.requests()).toBe(0);
    expect(h.chat.state).toBe('anonymous');
    expect(document.getElementById('hs-script-loader')).toBeNull();
    // Another tab's logout is not this page's business either.
    other.post('logout');
    await settle();
    expect(h.chat.state).toBe('anonymous');
    other.close();
  });

  it('still hears another tab’s revocation', async () => {
    const h = setUp({ consent: 'pending' }, {}, { fakeTimers: false });
    await h.chat.setConsent(true);
    const other = otherTab();
    other.post('revoke');
    await settle();
    expect(h.chat.consent).toBe('denied');
    other.close();
  });
});
