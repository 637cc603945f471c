// After a reset HubSpot's old shell is not dead: its in-flight widget-data request, its display-delay
// timer and its deferred throttled calls still run, and it then inserts its iframe — with the identity
// it was created with — if no container is on the page (the current shell is then refused and stays
// pending); `remove()` cancels nothing either, and `status()` stops saying `pending` when it is
// called — docs/hubspot.md §4, §7. So once the SDK has ended a shell, for the page's life, every
// container that appears (floating or inline, anywhere in the document) is hidden and renamed at
// once (before the page paints it, and so that the current shell is not refused), and judged when
// its iframe has loaded: the shell that made it has then marked itself loaded. The current shell's
// container is shown; an old shell's is removed.
import { hubspotWindow } from './types';

/** HubSpot's floating and inline containers. */
const IDS = ['hubspot-messages-iframe-container', 'hubspot-conversations-inline-parent'];
const UNCONFIRMED = '-unconfirmed';

let observer: MutationObserver | undefined;
/** The current shell when last looked at, and whether it was loaded then. */
let last: [object?, boolean?] = [];
/** Set by the driver that owns the widget (widget.ts). */
export const containers = {
  /** An old shell's container was removed from the page. */
  removed: () => {},
  /** Whether the current shell's widget is wanted on the page (not hidden meanwhile). */
  wanted: () => true,
};

/**
 * Ends a shell's widget with `end` (HubSpot's reset or `remove()`; nothing when the page reset it),
 * so that what the shell still has in flight never shows.
 */
export function endShell(end: () => void): void {
  // HubSpot's own remove() finds a container by its id only: the ones waiting to be judged go too.
  for (const id of IDS) {
    for (
      let c = document.getElementById(id + UNCONFIRMED);
      c;
      c = document.getElementById(id + UNCONFIRMED)
    ) {
      c.remove();
    }
  }
  end();
  observer ??= new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) inspect(node as HTMLElement);
  });
  // The whole document: an inline container goes into the page's element, and a navigation may
  // replace <body>.
  observer.observe(document.documentElement, { childList: true, subtree: true });
}

/** Whether the current shell became loaded since it was last looked at. */
function look(): boolean {
  const api = hubspotWindow().HubSpotConversations;
  const loaded = Boolean(api?.widget.status().loaded);
  const before = last[0] === api && last[1];
  last = [api, loaded];
  return loaded && !before;
}

function inspect(container: HTMLElement): void {
  const { id } = container;
  if (!IDS.includes(id)) return;
  look();
  container.style.setProperty('visibility', 'hidden', 'important');
  container.id = id + UNCONFIRMED;
  const judge = () => {
    if (!container.isConnected) return;
    // The shell whose iframe this is heard its `load` first, and marked itself loaded.
    if (look()) {
      container.id = id;
      container.style.visibility = '';
      const api = hubspotWindow().HubSpotConversations;
      // Removed while it loaded: HubSpot's remove() resets the shell, so that a load shows it again.
      if (api && !containers.wanted()) api.widget.remove();
    } else {
      container.remove();
      containers.removed();
    }
  };
  const frame = container.querySelector('iframe');
  if (frame) frame.addEventListener('load', judge, { once: true });
  else judge();
}
