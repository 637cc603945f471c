import { expect, it } from 'vitest';
import { setUp } from './harness';

// Finding 11 (bf79987, the refresher's deferred-load time): refresher.loaded() now dates a load made
// inside the shell's window at the window's end, and a pageView() before then counts as covered by
// it. But HubSpot's deferred loadWidget() is a no-op when the shell has loaded meanwhile (its first
// request, made before the route change, landed): nothing reads the new route. Real HubSpot sends the
// page URL when the request goes out (X-HubSpot-Messages-Uri), so a request made after the route
// change is what the route needs. (The stand-in evaluates `targeting` when the answer comes, not when
// the request is sent, which would hide the effect; hence the check on request times.)
it('hide() + show() during the load, then a route change: some widget-data request reads the new route', async () => {
  const h = setUp({}, { widgetDataDelayMs: 800 });
  await Promise.all([h.chat.start(), h.advance(100)]);
  h.chat.hide();
  await h.advance(100);
  h.chat.show(); // a second load on the shell: HubSpot defers it to t ≈ 1000 ms
  await h.advance(300);
  history.pushState({}, '', '/pricing');
  const routeChangedAt = Date.now();
  h.chat.pageView();
  await h.advance(5000);
  expect(h.chat.loaded).toBe(true);
  const after = h.standIn.fake.state().widgetRequests.filter((r) => r.at >= routeChangedAt);
  expect(after.length).toBeGreaterThan(0);
});
