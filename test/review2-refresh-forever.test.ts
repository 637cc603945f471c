import { expect, it, vi } from 'vitest';
import { setUp } from './harness';

// Finding 9 (leak, minor): HubSpot leaves a shell whose widget-data request failed `pending: true`
// until remove() (docs/hubspot.md §4). The refresher answers `null` ("still loading, try again") for
// a pending shell and re-arms a 1 s timer, forever: a pageView() (or a token hand-over) on such a
// page polls HubSpot every second for the page's life.
it('a pageView() while HubSpot’s widget-data request has failed does not poll forever', async () => {
  const h = setUp({}, { widgetDataFails: true });
  await Promise.all([h.chat.start(), h.advance(3000)]);
  expect(h.standIn.fake.state().pending).toBe(true);
  await h.advance(60_000); // everything the load armed has run out
  const idle = vi.getTimerCount();
  h.chat.pageView();
  await h.advance(300_000);
  expect(vi.getTimerCount()).toBe(idle);
});
