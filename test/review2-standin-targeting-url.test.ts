import { expect, it } from 'vitest';
import { setUp } from './harness';

// Finding 12 (stand-in fidelity): HubSpot sends the page URL with the widget-data request
// (header X-HubSpot-Messages-Uri, read when the request is sent); the answer's targeting is about
// that URL. The stand-in calls `targeting(location.href)` when its answer comes, so a route change
// while the request is on its way changes the outcome, and SDK tests cannot see a refresh that was
// dropped (review2-pageview-after-deferred-load.test.ts).
it('stand-in: targeting is decided on the URL the widget-data request was sent with', async () => {
  history.replaceState({}, '', '/account');
  const h = setUp({}, { widgetDataDelayMs: 800, targeting: (url) => !url.includes('/no-chat') });
  await Promise.all([h.chat.start(), h.advance(100)]); // the request went out from /account
  history.pushState({}, '', '/no-chat'); // the page moves on before the answer
  await h.advance(2000);
  // No pageView() was called: HubSpot knows nothing of /no-chat; it shows the widget for /account.
  expect(h.standIn.fake.state().loaded).toBe(true);
});
