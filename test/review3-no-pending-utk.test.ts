import { expect, it } from 'vitest';
import { setUp } from './harness';

// HubSpot builds whose status() is { loaded } only (the 2020 build; HubSpot documents only
// `loaded`, docs/hubspot.md §4, §9): stopLoad() cannot see the load in flight and calls remove(), so
// hide() + show() during a slow load still give the current shell two requests and two containers
// (review2-second-container). The second container is judged an old shell's and removed, and now
// (change 2) the `messagesUtk` in its iframe address, which is the *current* visitor's own, is expired:
// the anonymous visitor's thread is gone on the next page load (and open() does nothing).
it('hide() + show() during a slow load, status() without `pending`: the visitor keeps their messagesUtk', async () => {
  const h = setUp(
    {},
    { statusWithoutPending: true, widgetDataDelayMs: 1200, iframeLoadDelayMs: 1500 },
  );
  await Promise.all([h.chat.start(), h.advance(100)]);
  const utk = h.standIn.fake.state().widgetRequests.at(-1)?.messagesUtk;
  h.chat.hide();
  await h.advance(100);
  h.chat.show(); // deferred by HubSpot to t ≈ 1000 ms: a second request on the same shell
  await h.advance(8000);
  expect(h.chat.loaded).toBe(true);
  expect(h.standIn.fake.state().shellGeneration).toBe(1); // one shell, one visitor
  expect(h.standIn.fake.state().messagesUtk).toBe(utk);
});
