import { expect, it } from 'vitest';
import { setUp } from './harness';

// old-shells.ts inspect(): `shell` was undefined when the container has no iframe yet (or its src has
// no `uuid=`): the selector becomes `iframe[src*="undefined"]`, and the *parent* of every matching
// iframe on the page is removed — the page's own content, not HubSpot's.
it('a container without a uuid never removes the page’s own iframes', async () => {
  const h = setUp({});
  await Promise.all([h.chat.start(), h.advance(500)]);
  h.chat.hide(); // remove(): old-shells now watches the page
  await h.advance(100);
  const page = document.createElement('section');
  page.id = 'page-video';
  page.innerHTML = '<iframe src="https://player.example.com/embed?start=undefined"></iframe>';
  document.body.appendChild(page);
  await h.advance(10);
  const placeholder = document.createElement('div');
  placeholder.id = 'hubspot-messages-iframe-container'; // e.g. a container whose iframe comes later
  document.body.appendChild(placeholder);
  await h.advance(100);
  expect(document.getElementById('page-video')).not.toBeNull();
});
