// After a reset HubSpot's old shell is not dead: its in-flight widget-data request, its display-delay
// timer and its deferred throttled calls still run, and it then inserts its iframe — with the identity
// it was created with — if no container is on the page (the current shell is then refused and stays
// pending); `remove()` cancels nothing either, and `status()` stops saying `pending` when it is
// called — docs/hubspot.md §4, §7. So once the SDK has ended a shell, for the page's life, every
// container that appears (floating or inline, anywhere in the document) is hidden and renamed at
// once (before the page paints it, and so that the current shell is not refused), and judged when
// its iframe has loaded: the shell that made it has then marked itself loaded. The current shell's
// container is shown; an old shell's is removed.
import { expireCookies } from './cookies';
import { type HubSpotConversations, hubspotWindow } from './types';

/** HubSpot's floating and inline containers. */
const IDS = ['hubspot-messages-iframe-container', 'hubspot-conversations-inline-parent'];
const UNCONFIRMED = '-unconfirmed';

let observer: MutationObserver | undefined;
/** The shell last looked at, if it was loaded then. */
let loadedShell: HubSpotConversations | undefined;
/** Set by the driver that owns the widget (widget.ts). */
export const containers = {
  /** An old shell's container was removed from the page. */
  removed: () => {},
  /** Whether the current shell's widget is wanted on the page (not hidden meanwhile). */
  wanted: () => true,
};

/** From now on, for the page's life, every container that appears is judged before it shows. */
function watch(): void {
  observer ??= new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) inspect(node as HTMLElement);
  });
  // The whole document: an inline container goes into the page's element, and a navigation may
  // replace <body>.
  observer.observe(document.documentElement, { childList: true, subtree: true });
}

/**
 * Ends a shell's widget with `end` (HubSpot's reset or `remove()`; none when the page reset it),
 * so that what the shell still has in flight never shows.
 */
export function endShell(end?: () => void): void {
  // HubSpot's own remove() finds a container by its id only: the ones waiting to be judged go too.
  for (const id of IDS) document.getElementById(id + UNCONFIRMED)?.remove();
  end?.();
  watch();
}

/** The current shell if it became loaded since it was last looked at. */
function look(): HubSpotConversations | undefined {
  const api = hubspotWindow().HubSpotConversations;
  const before = loadedShell;
  loadedShell = api?.widget.status().loaded ? api : undefined;
  return loadedShell === before ? undefined : loadedShell;
}

function inspect(container: HTMLElement): void {
  const { id } = container;
  if (!IDS.includes(id)) return;
  look();
  container.style.setProperty('visibility', 'hidden', 'important');
  const frame = container.querySelector('iframe');
  const src = frame?.src as string; // no frame: exec() below reads 'undefined' and matches nothing
  // A shell that loads again before its first container was judged (a show() after a hide() while
  // it loaded) talks to its newest iframe only: its older container goes. Its iframes' addresses
  // carry the shell's own `uuid`.
  const shell = /uuid=[^&]+/.exec(src)?.[0];
  for (const older of shell ? document.querySelectorAll(`iframe[src*="${shell}"]`) : [])
    if (older !== frame) older.parentElement?.remove();
  container.id = id + UNCONFIRMED;
  const judge = () => {
    if (!container.isConnected) return;
    // The shell whose iframe this is heard its `load` first, and marked itself loaded.
    const api = look();
    if (api) {
      container.id = id;
      container.style.visibility = '';
      // Removed while it loaded: HubSpot's remove() resets the shell, so that a load shows it again.
      if (!containers.wanted()) api.widget.remove();
    } else {
      container.remove();
      // Its panel may have asked the old shell to store its `messagesUtk` (the message may still be
      // on its way): that cookie, the previous visitor's thread, is expired — docs/hubspot.md §7.
      // (Only that value: a cookie the current shell wrote since is the current visitor's.)
      // The old shell stores it in its `message` listener, which runs before ours: it is looked for
      // after every message for 10 s (under load the message came more than a second late).
      const forget = () => expireCookies([`messagesUtk=${/utk\/([^?/]+)/.exec(src)?.[1]}`]);
      forget();
      addEventListener('message', forget);
      setTimeout(() => removeEventListener('message', forget), 10_000);
      containers.removed();
    }
  };
  if (frame) frame.addEventListener('load', judge, { once: true });
  else judge();
}
