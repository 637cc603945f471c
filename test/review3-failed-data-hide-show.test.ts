import { expect, it } from 'vitest';
import { setUp } from './harness';

// The change's stopLoad(): hide() on a shell that says { loaded: false, pending: true } with no
// container on the page no longer calls remove(). HubSpot leaves a shell whose widget-data request
// failed `pending: true` until remove() (docs/hubspot.md §4), and load() on it is a no-op: once the
// request failed, hide() + show() (e.g. a route that hides the chat and back) never loads the widget
// again. Before the change, hide()'s remove() cleared `pending` and show()'s load() asked again.
it('a failed widget-data request, then hide() + show() with the network back: the widget loads', async () => {
  const h = setUp({}, { widgetDataFails: true });
  await Promise.all([h.chat.start(), h.advance(3000)]);
  expect(h.standIn.fake.state().pending).toBe(true); // HubSpot: pending until remove()
  h.standIn.fake.config.widgetDataFails = false; // a transient failure (HTTP 500, flaky network)
  h.chat.hide();
  await h.advance(2000);
  h.chat.show();
  await h.advance(5000);
  expect(h.chat.loaded).toBe(true);
});
