/**
 * Which live chat drives the page's one HubSpot widget — docs/decisions.md §25: the one started
 * last; when it is destroyed, the one below it drives again. The list sits on `window` under a
 * `Symbol.for` key, so that two copies of this SDK on one page (a `<script>` tag and an app's
 * bundle) see each other; what copies share is only this list and the members of {@link Owner}
 * (their names are never shortened in a build).
 */
export interface Owner {
  /** Called when this owner drives the widget again: the owner above it was destroyed. */
  resume(): void;
  /** Whether this owner wants the current shell's widget on the page (old-shells.ts asks). */
  showing(): boolean;
  /** An old shell's container was removed from the page: look again. */
  containerRemoved(): void;
}

/** The owners, bottom to top, and whether a page with two live chats was warned about. */
type Owners = Owner[] & { warned?: boolean };

const OWNERS = Symbol.for('hubspot-visitor-chat');

const owners = (): Owners => {
  const w = window as unknown as { [OWNERS]?: Owners };
  w[OWNERS] ??= [];
  return w[OWNERS];
};

/** The owner that drives the widget now. */
export const top = (): Owner | undefined => owners().slice(-1)[0];

/**
 * Puts `owner` on top and returns the owner it takes over from. Two chats still live a second
 * later (not a re-mount, which destroys the old one a macrotask later) are warned about, once a page.
 */
export function own(owner: Owner): Owner | undefined {
  const list = owners();
  const previous = top();
  list.push(owner);
  setTimeout(() => {
    if (list[1] && !list.warned) {
      list.warned = true;
      console.warn('[hubspot-visitor-chat] two live chats: the last started drives the widget');
    }
  }, 1000);
  return previous;
}

/** Takes `owner` off the list; when it drove, the owner below it drives again. */
export function disown(owner: Owner): void {
  const list = owners();
  const index = list.indexOf(owner);
  if (index < 0) return;
  list.splice(index, 1);
  if (index === list.length) top()?.resume();
}
