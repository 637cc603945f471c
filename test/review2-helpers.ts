// Review 2 (issue 18 fix, branch fix2): shared helpers. Each finding has its own test file, because
// src/hubspot/old-shells.ts keeps its old shells and its MutationObserver in module state for the
// page's lifetime: an old shell left pending forever by one test keeps watching the next test's page
// (see review2-never-released.test.ts) and would hide what that test shows.
import type { HubSpotWindow } from '../src/hubspot/types';
import type { Harness } from './harness';

export const alice = 'alice@example.com';
export const bob = 'bob@example.com';

export const hubspot = () => (window as unknown as HubSpotWindow).HubSpotConversations;

/** Every widget root the stand-in inserted that is still on the page, with its shell's identity. */
export function widgetsOnPage(h: Harness) {
  const shells = h.standIn.fake.state().shells;
  return [...document.querySelectorAll<HTMLElement>('[data-shell-generation]')].map((root) => ({
    id: root.id,
    hidden: root.style.visibility === 'hidden',
    email: shells.find((s) => s.generation === Number(root.dataset.shellGeneration))?.email,
  }));
}
