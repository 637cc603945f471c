import { afterEach, expect, it } from 'vitest';
import { setUp } from './harness';

afterEach(() => history.replaceState({}, '', '/'));

// The refresher now gives up after 60 tries (1 s apart) while HubSpot says it is loading. A chatflow
// display delay longer than a minute (HubSpot lets a chatflow wait any number of seconds on the
// page) makes a pageView() made during it silently lost: when the widget shows, it is the one for
// the route the page was on when the load began, on a route no chatflow targets.
it('pageView() during a 90 s display delay: the widget follows the new route once it shows', async () => {
  history.replaceState({}, '', '/account');
  const h = setUp({}, { displayDelayMs: 90_000, targeting: (url) => !url.includes('/no-chat') });
  await Promise.all([h.chat.start(), h.advance(2000)]);
  expect(h.standIn.fake.state().pending).toBe(true);
  history.pushState({}, '', '/no-chat');
  h.chat.pageView();
  await h.advance(100_000); // the widget (for /account) has shown at ≈ 92 s
  expect(h.standIn.fake.state().shown).toBeNull(); // no chatflow targets /no-chat
});

// Issue 19.13: a pageView() waiting for HubSpot's load asks again when the widget has loaded (or a
// pass settled), not every second for as long as HubSpot says it is loading.
it('pageView() during a display delay does not poll HubSpot every second meanwhile', async () => {
  history.replaceState({}, '', '/account');
  const h = setUp({}, { displayDelayMs: 60_000 });
  await Promise.all([h.chat.start(), h.advance(2000)]);
  expect(h.standIn.fake.state().pending).toBe(true);
  const api = (window as unknown as { HubSpotConversations: { widget: { status(): unknown } } })
    .HubSpotConversations;
  let asked = 0;
  const status = api.widget.status.bind(api.widget);
  api.widget.status = () => {
    asked++;
    return status();
  };
  history.pushState({}, '', '/pricing');
  h.chat.pageView();
  await h.advance(30_000);
  expect(asked).toBeLessThan(5);
  await h.advance(40_000); // shown at ≈ 62 s: the waiting refresh runs then
  expect(h.standIn.fake.state().refreshCalls).toBe(1);
});
