// After a reset HubSpot's old shell is not dead: its in-flight widget-data request, its display-delay
// timer and its deferred throttled calls still run, and it then inserts its iframe — with the identity
// it was created with — if no container is on the page (the current shell is then refused and stays
// pending); `remove()` cancels nothing either — docs/hubspot.md §4, §7. So while an old shell may
// still act, a new container is hidden and renamed at once (before the page paints it, and so that
// the current shell is not refused), and judged when its iframe has loaded: the shell that made it
// has then marked itself loaded. The current shell's container is shown; an old shell's is removed.
import { THROTTLE_MS } from './refresh';
import { type HubSpotConversations, hubspotWindow } from './types';

const ID = 'hubspot-messages-iframe-container';
const UNCONFIRMED = `${ID}-unconfirmed`;

/** Old shells that may still insert their iframe, and until when (forever while they load). */
const old = new Map<HubSpotConversations, number>();
let observer: MutationObserver | undefined;
/** The current shell when last looked at, and whether it was loaded then. */
let last: [HubSpotConversations?, boolean?] = [];
/** Set by the driver that owns the widget (widget.ts). */
export const containers = {
  /** An old shell's container was removed from the page. */
  removed: () => {},
  /** Whether the current shell's widget is wanted on the page (not hidden meanwhile). */
  wanted: () => true,
};

/**
 * Ends `api`'s widget with `end` (HubSpot's reset or `remove()`; nothing when the page reset it),
 * so that what the shell still has in flight never shows. `asked`: we asked it for a widget, which
 * tells whether it may be loading on builds whose `status()` lacks `pending`.
 */
export function endShell(api: HubSpotConversations, end: () => void, asked: boolean): void {
  const { loaded, pending } = api.widget.status();
  // HubSpot's own remove() finds a container by its id only: the ones waiting to be judged go too.
  for (let c = document.getElementById(UNCONFIRMED); c; c = document.getElementById(UNCONFIRMED)) {
    c.remove();
  }
  end();
  old.set(
    api,
    Math.max(
      old.get(api) ?? 0,
      (pending ?? (asked && !loaded)) ? 1 / 0 : Date.now() + THROTTLE_MS + 100,
    ),
  );
  observer ??= new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes)
        if ((node as Element).id === ID) inspect(node as HTMLElement);
    }
  });
  observer.observe(document.body ?? document.documentElement, { childList: true });
}

/** Forgets the old shells that can no longer insert anything; true if some still may. */
function mayAct(): boolean {
  for (const [api, until] of old) {
    const { loaded, pending } = api.widget.status();
    if (loaded || !(pending || Date.now() < until)) old.delete(api);
  }
  if (!old.size) {
    observer?.disconnect();
    observer = undefined;
  }
  return old.size > 0;
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
  if (!mayAct()) return;
  look();
  container.style.setProperty('visibility', 'hidden', 'important');
  container.id = UNCONFIRMED;
  const judge = () => {
    if (!container.isConnected) return;
    // The shell whose iframe this is heard its `load` first, and marked itself loaded.
    if (look()) {
      container.id = ID;
      container.style.visibility = '';
      const api = hubspotWindow().HubSpotConversations;
      // Removed while it loaded: HubSpot's remove() resets the shell, so that a load shows it again.
      if (api && !containers.wanted()) {
        old.delete(api);
        api.widget.remove();
      }
    } else {
      container.remove();
      containers.removed();
    }
    mayAct();
  };
  const frame = container.querySelector('iframe');
  if (frame) frame.addEventListener('load', judge, { once: true });
  else judge();
}
