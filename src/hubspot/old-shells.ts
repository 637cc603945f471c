// After a reset HubSpot's old shell is not dead: its in-flight widget-data request, its display-delay
// timer and its deferred throttled calls still run, and it then inserts its iframe — with the identity
// it was created with — if no container is on the page (the current shell is then refused and stays
// pending) — docs/hubspot.md "Old shells". So while an old shell may still act, a new container is
// hidden until its iframe has loaded; then the shell that made it is the one whose status says
// loaded. The current shell's container is shown; an old shell's is removed.

import { THROTTLE_MS } from './throttle';
import type { HubSpotConversations } from './types';
import { hubspotWindow } from './types';

const CONTAINER_ID = 'hubspot-messages-iframe-container';

interface OldShell {
  api: HubSpotConversations;
  /** It was loading when it was retired: its work may still land, however late. */
  busy: boolean;
  /** Until then a call HubSpot deferred may still run. */
  until: number;
}

const old: OldShell[] = [];
let observer: MutationObserver | undefined;
let onRemoved: (() => void) | undefined;
let wanted: () => boolean = () => true;

/**
 * What to call after an old shell's container was removed, and whether the current shell's
 * widget is wanted on the page (a shell removed while it loaded still inserts its iframe).
 */
export function watchContainers(removed?: () => void, isWanted: () => boolean = () => true): void {
  onRemoved = removed;
  wanted = isWanted;
}

/** `api` was HubSpot's shell until now (a reset); `busy`: it was loading then. */
export function retireShell(api: HubSpotConversations, busy: boolean): void {
  const known = old.find((shell) => shell.api === api);
  if (known) known.busy ||= busy;
  else old.push({ api, busy, until: Date.now() + THROTTLE_MS + 100 });
  observer ??= new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if ((node as Element).id === CONTAINER_ID) inspect(node as HTMLElement);
      }
    }
  });
  observer.observe(document.body ?? document.documentElement, { childList: true });
}

function mayStillAct(shell: OldShell): boolean {
  const { loaded, pending } = shell.api.widget.status();
  return shell.busy ? !loaded : Boolean(pending) || Date.now() < shell.until;
}

/** Drops the old shells that can no longer insert anything; true if some still may. */
function prune(): boolean {
  for (let i = old.length - 1; i >= 0; i--) {
    const shell = old[i];
    if (shell && !mayStillAct(shell)) old.splice(i, 1);
  }
  if (!old.length) {
    observer?.disconnect();
    observer = undefined;
  }
  return old.length > 0;
}

/**
 * Removes the containers still waiting to be confirmed: before the SDK removes or resets the
 * widget, whose `remove()` finds a container by its id only.
 */
export function dropUnconfirmed(): void {
  for (const container of document.querySelectorAll(`#${CONTAINER_ID}-unconfirmed`)) {
    container.remove();
  }
}

/** The current shell, and whether it was loaded when last looked at. */
let last: { api: HubSpotConversations | undefined; loaded: boolean } = {
  api: undefined,
  loaded: false,
};

function look(): boolean {
  const api = hubspotWindow().HubSpotConversations;
  const loaded = Boolean(api?.widget.status().loaded);
  const before = last.api === api && last.loaded;
  last = { api, loaded };
  return loaded && !before;
}

function inspect(container: HTMLElement): void {
  if (!prune()) return;
  look();
  // Hidden, and under another id so that the current shell is not refused meanwhile.
  container.style.setProperty('visibility', 'hidden', 'important');
  container.id = `${CONTAINER_ID}-unconfirmed`;
  const judge = () => {
    if (!container.isConnected) return;
    // The shell whose iframe this is marked itself loaded just before us (its listener came first).
    if (look()) {
      container.id = CONTAINER_ID;
      container.style.removeProperty('visibility');
      const api = hubspotWindow().HubSpotConversations;
      if (api && !wanted()) {
        // Removed while it loaded: HubSpot's remove() resets the shell, so that a load shows it again.
        api.widget.remove();
        const index = old.findIndex((shell) => shell.api === api);
        if (index >= 0) old.splice(index, 1);
      }
    } else {
      container.remove();
      onRemoved?.();
    }
    prune();
  };
  const frame = container.querySelector('iframe');
  if (frame) frame.addEventListener('load', judge, { once: true });
  else judge();
}
