// The public face of a chat: what it emits and what an app calls. The implementation is
// create-chat.ts, around the pure gate.ts and machine.ts (docs/architecture.md).
import type { createChat } from './create-chat';
import type { ChatError } from './errors';
import type { Consent } from './gate';
import type { WidgetEventName, WidgetEvents } from './hubspot/types';
import type { ChatState, Identity, LogoutReason } from './machine';

/** Every event a {@link Chat} emits, with its listener's signature. */
export type ChatEvents = {
  /** The state changed. */
  state: (state: ChatState, previous: ChatState) => void;
  /** A visitor is now identified (also when one signed in over another). */
  login: (identity: Identity) => void;
  /**
   * The chat logged out, and `reason` says why: `logout()` was called here (`'logout'`, also with
   * nobody signed in) or in another tab (`'tab'`), an identified visitor withdrew consent
   * (`'consent'`), a `login()` failed while someone was identified (`'failed'`), or the chat
   * ended the session by itself: the token endpoint refused a refresh (`'refused'`) or the token
   * expired (`'expired'`).
   */
  logout: (reason: LogoutReason) => void;
  /** The same visitor's token was renewed, without disturbing the widget. */
  tokenRefresh: (identity: Identity) => void;
  /** Something failed; `login()` also rejects with it where it applies. */
  error: (error: ChatError) => void;
  /** The number of conversations with unread messages changed (also back to 0 on logout, switch, destroy). */
  unreadCount: (count: number) => void;
  /** The visitor's consent changed: `setConsent()`, or a revocation in another tab. */
  consent: (consent: Consent) => void;
  /**
   * HubSpot's widget appeared on the page (`true`, with `widgetLoaded`) or was removed (`false`;
   * also on `destroy()`).
   */
  loaded: (loaded: boolean) => void;
  /**
   * An `open()` could not happen: the visitor has not consented (`consent`; show your consent
   * banner), `hide()` is in effect (`hidden`), or nobody is signed in and `showAnonymous` is false
   * (`anonymous`). Nothing is remembered for later.
   */
  openBlocked: (reason: 'consent' | 'hidden' | 'anonymous') => void;
} & {
  /** HubSpot's widget events, forwarded with their payloads, across every widget reset. */
  [E in WidgetEventName]: (payload: WidgetEvents[E]) => void;
};

/** Options of {@link Chat.login}. */
export interface LoginOptions {
  /**
   * Someone else signed in: do not share a token request already in flight (it may answer for the
   * previous person). Its answer, when it comes, is dropped unapplied (its callers reject with
   * `ABORTED`) and this login asks again. Default `false`: concurrent `login()` calls share one
   * request. (An internal token refresh is never shared: an explicit `login()` supersedes it.)
   *
   * @example
   * ```ts
   * await switchAccount(otherUser);
   * await chat.login({ fresh: true });
   * ```
   */
  fresh?: boolean | undefined;
}

/** Options of {@link Chat.logout}. */
export interface LogoutOptions {
  /**
   * Also expire HubSpot's tracking cookies (`hubspotutk`, `__hstc`, `__hssc`), so that the next
   * person at this computer is not tracked as the same visitor. Page views before and after the
   * logout are then no longer linked in HubSpot's analytics. Default `false`.
   */
  forgetVisitor?: boolean | undefined;
}

/** A HubSpot chat that knows who is chatting. Create it with {@link createChat}. */
export interface Chat {
  /** Where the chat is: `anonymous`, `authenticating`, `authenticated`, `logged-out` or `destroyed`. */
  readonly state: ChatState;
  /** The identified visitor while `authenticated`, else null. Never holds the token. */
  readonly identity: Identity | null;
  /**
   * Writes HubSpot's settings, inserts its loader once and loads the anonymous widget (when
   * `showAnonymous`). Idempotent. With a `load` trigger it resolves once the trigger is armed,
   * and while consent is pending at once: it is remembered and done when allowed. Resolves once the widget's load was requested, or after
   * `readyTimeoutMs` with one `WIDGET_UNAVAILABLE` error event; never rejects for widget reasons.
   *
   * @example
   * ```ts
   * await chat.start();
   * ```
   */
  start(): Promise<void>;
  /**
   * Fetches a visitor-identification token from your backend and reloads the widget as that
   * visitor. Starts the chat if needed. While consent is pending it waits for `setConsent()`
   * (and rejects with `CONSENT_DENIED` when consent is refused); while denied it rejects at once.
   * Before HubSpot has loaded (lazy `load`, `hide()`) it resolves once the token is held for the
   * coming load. A call made while another login is in flight (also from a
   * listener) shares its token request and its result. Resolves once the identified widget
   * instance was requested; rejects with a {@link ChatError} (`ABORTED` when a later `logout()` or
   * `destroy()` superseded it).
   *
   * @example
   * ```ts
   * await signIn(form);
   * const { email } = await chat.login();
   * ```
   */
  login(options?: LoginOptions): Promise<Identity>;
  /**
   * Drops the identity at once, clears HubSpot's chat cookies and brings the widget back
   * anonymous (or removes it, without `showAnonymous`). A login in flight is superseded: its token,
   * whenever it arrives, reaches neither the settings nor the widget. Clearing the chat cookies
   * (`messagesUtk`) also ends an anonymous visitor's chat history on this browser, so that the next
   * person at this computer cannot read it. An `open()` still waiting for a widget is dropped. With
   * `syncTabs`, the page's other tabs log out too. Never rejects for network reasons.
   *
   * @example
   * ```ts
   * await signOut();
   * await chat.logout();
   * ```
   */
  logout(options?: LogoutOptions): Promise<void>;
  /**
   * Opens the widget, now or as soon as it has loaded; starts the chat if needed and, with
   * a `load` trigger, loads HubSpot now. When it cannot happen (consent not granted,
   * `hide()` in effect, nobody to show a widget to) it emits `openBlocked` with the reason instead.
   * Dropped if it cannot happen before the next `logout()` or `destroy()`.
   *
   * @example
   * ```ts
   * helpButton.addEventListener('click', () => chat.open());
   * ```
   */
  open(): void;
  /** Closes the widget, now or as soon as it has loaded. Never starts the chat or loads HubSpot. */
  close(): void;
  /**
   * Tells HubSpot that a single-page app changed route, so that chatflow targeting follows the URL
   * (`widget.refresh()`; on a route with no chatflow HubSpot removes the widget, and brings it back
   * on the next route that has one). Never touches identity. Refreshes at most once a second and
   * never within a second of a load: calls in between merge into one trailing refresh
   * (`openToNewThread` OR-ed). Does nothing before our widget instance exists, while a load or reset
   * is in flight, before the chat has started (`start()`, `login()` or `open()`), without consent,
   * or after `destroy()`. With `trackPageViews`,
   * also records the page view in HubSpot's analytics (`path`, default `location.pathname + location.search`).
   *
   * @example
   * ```ts
   * router.subscribe(() => chat.pageView());
   * ```
   */
  pageView(options?: { openToNewThread?: boolean | undefined; path?: string | undefined }): void;
  /** Whether HubSpot's widget has loaded on the page; the `loaded` event says when it changes. */
  readonly loaded: boolean;
  /**
   * Removes the widget from the page until `show()`, through logins, logouts, refreshes and other
   * tabs' messages. Identity management goes on: `show()` brings back the right visitor.
   *
   * @example
   * ```ts
   * if (route === '/checkout') chat.hide(); else chat.show();
   * ```
   */
  hide(): void;
  /**
   * Brings the widget back after `hide()`: the visitor signed in now, or an anonymous one (per
   * `showAnonymous`). An instance that carried an identity before a logout is never shown again.
   *
   * @example
   * ```ts
   * chat.show();
   * ```
   */
  show(): void;
  /** Whether `hide()` is in effect. */
  readonly hidden: boolean;
  /**
   * The number of conversations with unread messages (from HubSpot's
   * `unreadConversationCountChanged`); 0 at first, on logout, on a switch to another visitor and on
   * destroy. The `unreadCount` event fires on each change.
   *
   * @example
   * ```ts
   * chat.on('unreadCount', (count) => { badge.textContent = count ? String(count) : ''; });
   * ```
   */
  readonly unreadCount: number;
  /** The visitor's consent to HubSpot's cookies: `'granted'`, `'pending'` or `'denied'`. */
  readonly consent: Consent;
  /**
   * Records the visitor's consent decision. `true` runs what waited for it (a `start()`, a
   * `login()`), as if called now; `false` makes a waiting `login()` reject with `CONSENT_DENIED`,
   * and after a grant revokes: the identity is dropped (`logged-out`), the widget reset and
   * removed, HubSpot's chat and tracking cookies expired, `revokeCookieConsent` pushed to HubSpot's
   * `_hsp` (when HubSpot's script was loaded), and the other tabs whose chat has started told. HubSpot's script cannot be unloaded: reload the page after a
   * revocation to stop its tracking code as well. `'pending'` (the visitor has not decided, or
   * reopened the banner) revokes in this tab as `false` does, but tells no other tab; then
   * everything is held as at creation with `consent: 'pending'`: nothing loads, `open()` emits
   * `openBlocked` and `login()` waits for the decision. `'granted'` and `'denied'` mean
   * `true` and `false`. Resolves when what it started is done.
   *
   * @example
   * ```ts
   * consentManager.onChange((categories) => chat.setConsent(categories.functional));
   * ```
   */
  setConsent(granted: boolean | Consent): Promise<void>;
  /**
   * Adds a listener; returns the function that removes it.
   *
   * @example
   * ```ts
   * const unbind = chat.on('state', (state, previous) => console.log(previous, '→', state));
   * unbind();
   * ```
   */
  on<E extends keyof ChatEvents>(event: E, listener: ChatEvents[E]): () => void;
  /**
   * Removes the widget, the identity, every listener and timer. A widget instance that may carry
   * an identity is reset, not only removed, so that a chat created later on this page never shows
   * this chat's visitor. Afterwards `start()` and `login()` reject with `DESTROYED`, `logout()`
   * resolves and `open()`/`close()` do nothing.
   */
  destroy(): void;
}
