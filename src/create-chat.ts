import { createNanoEvents } from 'nanoevents';
import { aborted as superseded } from './abortable';
import { type Deferred, deferred, revokeHubSpotConsent } from './consent';
import { ChatError } from './errors';
import { type Consent, mayLoad, widgetVisible } from './gate';
import {
  ALL_HUBSPOT_COOKIES,
  CHAT_COOKIES,
  expireCookies,
  TRACKING_COOKIES,
} from './hubspot/cookies';
import { removeIdentity } from './hubspot/settings';
import type { WidgetEventName, WidgetEvents } from './hubspot/types';
import { createWidgetDriver, type WidgetDriver } from './hubspot/widget';
import { createFlights, type Flight } from './login-flight';
import { timeoutAt } from './long-timeout';
import {
  type ChatState,
  type Identity,
  initialModel,
  type MachineEvent,
  type Model,
  transition,
} from './machine';
import { type ChatOptions, resolveOptions } from './options';
import { armLoadTrigger } from './page/load-trigger';
import type { WidgetTarget } from './reconcile';
import { createTabSync, type TabMessage } from './tabs';
import { refreshDelay } from './token/expiry';
import { fetchToken } from './token/fetch-token';

/** Every event a {@link Chat} emits, with its listener's signature. */
export type ChatEvents = {
  /** The state changed. */
  state: (state: ChatState, previous: ChatState) => void;
  /** A visitor is now identified (also when one signed in over another). */
  login: (identity: Identity) => void;
  /**
   * `logout()` was called (also with nobody signed in), the session ended (401/403 or expiry on
   * refresh), or an identified visitor withdrew consent (`setConsent(false)`).
   */
  logout: () => void;
  /** The same visitor's token was renewed, without disturbing the widget. */
  tokenRefresh: (identity: Identity) => void;
  /** Something failed; `login()` also rejects with it where it applies. */
  error: (error: ChatError) => void;
  /** The number of conversations with unread messages changed (also back to 0 on logout, switch, destroy). */
  unreadCount: (count: number) => void;
  /** The visitor's consent changed: `setConsent()`, or a revocation in another tab. */
  consent: (consent: Consent) => void;
  /** HubSpot's widget appeared on the page (`true`, with `widgetLoaded`) or was removed (`false`). */
  loaded: (loaded: boolean) => void;
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
   * `showAnonymous`). Idempotent. With `load: 'idle' | 'interaction'` it resolves once the trigger
   * is armed, and while consent is pending at once: it is remembered and done when allowed. Resolves once the widget's load was requested, or after
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
   * `load: 'idle' | 'interaction'`, loads HubSpot now. Nothing while consent is not granted.
   * Dropped if it cannot happen before the next `logout()` or `destroy()`.
   *
   * @example
   * ```ts
   * helpButton.addEventListener('click', () => chat.open());
   * ```
   */
  open(): void;
  /** Closes the widget, now or as soon as it has loaded; starts the chat if needed. */
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
   * revocation to stop its tracking code as well. Resolves when what it started is done.
   *
   * @example
   * ```ts
   * consentManager.onChange((categories) => chat.setConsent(categories.functional));
   * ```
   */
  setConsent(granted: boolean): Promise<void>;
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

/** What the last login()/logout()/destroy() asked for; replaced whole, never mutated in place. */
interface Wanted {
  /** The identity the widget must carry; null for anonymous. */
  email: string | null;
  token: string | null;
  /** When `token` expires, epoch ms. */
  expiresAt: number;
  /** Bumped by every logout: the chat cookies and any instance from before it must go. */
  forgetEpoch: number;
}

const destroyedError = () => new ChatError('DESTROYED', 'This chat was destroyed');
const supersededByFresh = () =>
  new ChatError('ABORTED', 'Superseded by a later login({ fresh: true })');
const consentDenied = () =>
  new ChatError('CONSENT_DENIED', "The visitor did not consent to HubSpot's cookies");

/**
 * Creates a chat. Pure: no DOM, no network, no globals until `start()`, `login()`, `logout()`,
 * `open()` or `close()`, so it is safe to call during server-side rendering. Bad options throw a
 * TypeError naming the option.
 *
 * @example
 * ```ts
 * const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
 * chat.start();
 * ```
 */
export function createChat(options: ChatOptions): Chat {
  const config = resolveOptions(options);
  const { log } = config;
  const emitter = createNanoEvents<ChatEvents>();
  const lifetime = new AbortController();
  const flights = createFlights<Identity>();
  let model: Model = initialModel;
  let wanted: Wanted = { email: null, token: null, expiresAt: 0, forgetEpoch: 0 };
  let widget: WidgetDriver | undefined;
  let unavailableReported = false;
  let tabs: ReturnType<typeof createTabSync> | undefined;
  let cancelRefresh = () => {};
  let cancelExpiry = () => {};
  /** The last refresh failure, reported again if the token expires before a refresh succeeds. */
  let refreshError: ChatError | undefined;
  // The gate (gate.ts) and the page-level wishes that sit beside the wanted identity.
  let started = false;
  let consent: Consent = config.consent;
  let triggered = false;
  let disarm: (() => void) | undefined;
  let hidden = false;
  let unread = 0;
  /** The codes already warned about while nobody listened to `error`. */
  const warned = new Set<string>();
  let loadedNow = false;
  /** The login whose token has arrived and is being applied (past the point of no return). */
  let applying: Flight<Identity> | null = null;
  /** A `login({ fresh: true })` waiting for the request in flight before it asks its own. */
  let waitingFresh: Promise<Identity> | null = null;
  /** How many times the identity was dropped (logout, revocation, expiry, destroy). */
  let dropped = 0;
  /** A visitor was announced (`login` event) since the last time the identity was dropped. */
  let announced = false;
  /** login() calls waiting for the visitor's consent decision. */
  let waitingLogin: Deferred<Identity> | null = null;

  /**
   * Calls each listener of `name`; one that throws is reported (`reportError`) and neither stops
   * the others nor the SDK's own work — a bug in an app's hook must not leave an identity behind.
   * Returns how many listeners it called.
   */
  function emit<E extends keyof ChatEvents>(name: E, ...args: Parameters<ChatEvents[E]>): number {
    const listeners = [...(emitter.events[name] ?? [])];
    for (const listener of listeners) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        (globalThis.reportError ?? console.error)(error);
      }
    }
    return listeners.length;
  }

  function dispatch(event: MachineEvent): void {
    const result = transition(model, event);
    const after = result.model;
    model = after;
    for (const effect of result.effects) {
      // A listener made a later call (logout() on `authenticated`…): what is left is stale.
      if (model !== after) return;
      if (effect.type === 'state') {
        log(`state: ${effect.previous} → ${effect.state}`);
        emit('state', effect.state, effect.previous);
      } else if (effect.type === 'logout') {
        emit('logout');
      } else {
        emit(effect.type, { ...effect.identity });
      }
    }
  }

  /** The widget the driver must reach, derived from what the app wants each time it asks. */
  function target(): WidgetTarget {
    const { email, token, forgetEpoch } = wanted;
    const allowed = mayLoad({ started, consent, triggered });
    return {
      email,
      token,
      allowed,
      visible: allowed && widgetVisible(hidden, email !== null, config.showAnonymous),
      // No anonymous instance while a login is in flight — docs/decisions.md §2.
      hold: email === null && flights.current !== null,
      forgetEpoch,
    };
  }

  function setUnread(count: number): void {
    if (count === unread) return;
    unread = count;
    emit('unreadCount', count);
  }

  function syncLoaded(): void {
    const now = !!widget?.loaded();
    if (now === loadedNow) return;
    loadedNow = now;
    emit('loaded', now);
  }

  function syncTabs(): void {
    if (config.syncTabs && !tabs && model.state !== 'destroyed') tabs = createTabSync(onTabMessage);
  }

  function onTabMessage(message: TabMessage): void {
    if (message === 'logout') void forget({ type: 'LOGOUT' }, {}, true);
    else if (message === 'revoke') void revoke(true);
    else if (consent === 'granted') beginLogin(true).catch(() => {});
  }

  function report(error: ChatError): void {
    // Nobody listened: say it once per code rather than fail silently — docs/guide.md, "Errors".
    if (!emit('error', error) && !warned.has(error.code)) {
      warned.add(error.code);
      console.warn(`[hubspot-visitor-chat] ${error.code} (no 'error' listener)`, error);
    }
  }

  function onVisible(): void {
    if (
      document.visibilityState === 'visible' &&
      model.state === 'authenticated' &&
      Date.now() >= wanted.expiresAt - config.marginMs
    ) {
      refresh();
    }
  }

  /** Marks the chat started and arms the `load` trigger, once consent allows. */
  function begin(): void {
    started = true;
    syncTabs();
    if (consent !== 'granted' || triggered || disarm) return;
    disarm = armLoadTrigger(config.load, fire);
  }

  /** The `load` trigger fired (or `open()` stood in for it): HubSpot may load once the gate agrees. */
  function fire(): void {
    disarm?.();
    disarm = undefined;
    triggered = true;
    openGate();
  }

  /**
   * The widget driver, created (settings, loader) the first time the gate is open — docs/decisions.md
   * §13 — and told to reconcile. Undefined while the gate is closed: then nothing of HubSpot's exists.
   */
  function openGate(): WidgetDriver | undefined {
    if (!widget && mayLoad({ started, consent, triggered }) && model.state !== 'destroyed') {
      widget = createWidgetDriver({
        scriptUrl: config.scriptUrl,
        nonce: config.nonce,
        settings: config.widget,
        readyMs: config.readyMs,
        signal: lifetime.signal,
        log,
        target,
        onEvent: (name, payload) => {
          if (name === 'widgetLoaded') syncLoaded();
          if (name === 'unreadConversationCountChanged') {
            setUnread((payload as WidgetEvents['unreadConversationCountChanged']).unreadCount);
          }
          (emit as (n: string, p: unknown) => void)(name, payload);
        },
        onUnavailable: (reason) => {
          if (unavailableReported) return;
          unavailableReported = true;
          report(new ChatError('WIDGET_UNAVAILABLE', reason));
        },
        onChange: syncLoaded,
      });
      widget.start();
      document.addEventListener('visibilitychange', onVisible);
    }
    // A driver left from before a revocation waits for the gate too (`load` is respected again).
    if (widget && mayLoad({ started, consent, triggered })) void widget.reconcile();
    return widget;
  }

  function stopTimers(): void {
    cancelRefresh();
    cancelExpiry();
    refreshError = undefined;
  }

  function scheduleRefresh(): void {
    cancelRefresh();
    if (model.state !== 'authenticated') return;
    const now = Date.now();
    cancelRefresh = timeoutAt(now + refreshDelay(wanted.expiresAt, now, config.marginMs), refresh);
  }

  function refresh(): void {
    // A refresh failure is handled (and emitted) inside authenticate().
    beginLogin(true).catch(() => {});
  }

  /**
   * An expired identity is never kept, whatever a refresh is doing — docs/decisions.md §7. A login the
   * app asked for (another visitor signing in) goes on: an expiry is not a later call.
   */
  function expire(): void {
    const error =
      refreshError ??
      new ChatError('TOKEN_TIMEOUT', 'The token expired before a refresh replaced it');
    const userLogin = flights.current && !flights.current.quiet;
    void forget({ type: 'FAILED', sessionOver: true }, {}, false, !!userLogin);
    report(error);
  }

  function beginLogin(quiet: boolean): Promise<Identity> {
    if (model.state === 'destroyed') return Promise.reject(destroyedError());
    if (consent === 'denied') return Promise.reject(consentDenied());
    if (consent === 'pending') {
      // Nothing leaves the page before the visitor decides — docs/decisions.md §13.
      waitingLogin ??= deferred<Identity>();
      return waitingLogin.promise;
    }
    begin();
    // An explicit login() never takes a refresh's (or another tab's) answer: the session behind it
    // may have changed. The identity stays until the new answer.
    if (!quiet && flights.current?.quiet) flights.supersede();
    return flights.join(quiet, authenticate);
  }

  /** The identity the app wants now is nobody's: a logout, a revocation, an expiry. */
  function dropIdentity(keepLogin = false): void {
    if (!keepLogin) flights.supersede();
    announced = false;
    dropped++;
    stopTimers();
    wanted = { email: null, token: null, expiresAt: 0, forgetEpoch: wanted.forgetEpoch + 1 };
    removeIdentity();
    widget?.dropShow();
    setUnread(0);
  }

  /** Forgets the visitor: identity out of the settings now, then a fresh anonymous widget. */
  function forget(
    event: MachineEvent,
    options: LogoutOptions = {},
    fromOtherTab = false,
    keepLogin = false,
  ): Promise<void> {
    dropIdentity(keepLogin);
    waitingLogin?.reject(superseded());
    waitingLogin = null;
    if (!fromOtherTab) {
      syncTabs();
      tabs?.post('logout');
    }
    if (options.forgetVisitor) expireCookies(TRACKING_COOKIES);
    // No instance yet: HubSpot's stub clear() would delete nothing — docs/hubspot.md §6.10.
    if (!widget) expireCookies(CHAT_COOKIES);
    // Last: a listener that calls login() now is a later call, and wins — docs/decisions.md §16.
    dispatch(event);
    return widget ? widget.reconcile() : Promise.resolve();
  }

  /** Consent withdrawn: nothing of HubSpot's may stay — docs/consent.md. */
  async function revoke(fromOtherTab = false): Promise<void> {
    const wasGranted = consent === 'granted';
    setConsentState('denied');
    waitingLogin?.reject(consentDenied());
    waitingLogin = null;
    if (!wasGranted) return;
    disarm?.();
    disarm = undefined;
    triggered = false;
    const { state } = model;
    // Identified, or being switched to another visitor: then it is a logout — docs/consent.md.
    const identified = announced;
    dropIdentity();
    if (!fromOtherTab) tabs?.post('revoke');
    expireCookies(ALL_HUBSPOT_COOKIES);
    if (identified) dispatch({ type: 'LOGOUT' });
    else if (state === 'authenticating') dispatch({ type: 'FAILED', sessionOver: false });
    if (widget) {
      revokeHubSpotConsent();
      await widget.reconcile();
    }
    expireCookies(ALL_HUBSPOT_COOKIES);
  }

  function setConsentState(next: Consent): void {
    if (consent === next) return;
    consent = next;
    emit('consent', next);
  }

  async function authenticate(flight: Flight<Identity>): Promise<Identity> {
    /** Checked after every emit and every await: a later call may have superseded this login. */
    const check = () => {
      if (!flights.isCurrent(flight)) throw stale();
    };
    /** Superseded by a logout or destroy (`ABORTED`), or by a revocation (`CONSENT_DENIED`). */
    const stale = () => (consent === 'denied' ? consentDenied() : superseded());
    try {
      openGate();
      dispatch({ type: 'LOGIN' });
      check();
      const token = await fetchToken(config, flight.signal);
      check();
      // Someone else signed in meanwhile (`login({ fresh: true })` waits): this answer may be the
      // previous person's, so it is dropped unapplied and the fresh login asks again.
      if (waitingFresh) throw supersededByFresh();
      applying = flight;
      // Another visitor: the count belonged to the one before — docs/decisions.md §19.
      if (model.identity?.email !== token.email) setUnread(0);
      dispatch({ type: 'TOKEN', email: token.email });
      check();
      wanted = { ...wanted, email: token.email, token: token.token, expiresAt: token.expiresAt };
      stopTimers();
      cancelExpiry = timeoutAt(token.expiresAt, expire);
      // Held for the coming load when HubSpot may not load yet or is not ready — docs/decisions.md §15.
      if (widget?.ready()) await widget.reconcile();
      else {
        widget?.writeIdentity();
        void widget?.reconcile();
      }
      check();
      const newVisitor = model.identity?.email !== token.email;
      announced = true;
      dispatch({ type: 'APPLIED', email: token.email });
      scheduleRefresh();
      if (newVisitor && !flight.quiet && flights.isCurrent(flight)) tabs?.post('login');
      return { email: token.email };
    } catch (caught) {
      const error =
        caught instanceof ChatError ? caught : new ChatError('TOKEN_NETWORK', String(caught));
      if (error.code === 'ABORTED' || !flights.isCurrent(flight)) throw stale();
      // Settled for the listeners below: a login() they call starts a new request.
      flights.finish(flight);
      if (model.state === 'authenticated') {
        // Only a background refresh keeps the identity it could not renew — docs/decisions.md §28.
        const sessionOver =
          !flight.quiet ||
          error.status === 401 ||
          error.status === 403 ||
          Date.now() >= wanted.expiresAt;
        if (sessionOver) void forget({ type: 'FAILED', sessionOver });
        else {
          refreshError = error;
          scheduleRefresh();
        }
      } else {
        dispatch({ type: 'FAILED', sessionOver: false });
        void widget?.reconcile();
      }
      report(error);
      throw error;
    }
  }

  function toggle(open: boolean): void {
    if (model.state === 'destroyed' || consent !== 'granted') return;
    begin();
    if (open) fire(); // the visitor asked for the chat: load now, whatever `load` says
    widget?.show(open);
  }

  const chat: Chat = {
    get state() {
      return model.state;
    },
    get identity() {
      return model.identity && { ...model.identity };
    },
    get loaded() {
      return !!widget?.loaded();
    },
    get hidden() {
      return hidden;
    },
    get unreadCount() {
      return unread;
    },
    get consent() {
      return consent;
    },
    async start() {
      if (model.state === 'destroyed') throw destroyedError();
      begin();
      const driver = openGate();
      if (!driver) return; // remembered: the gate opens on consent or on the load trigger
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settled = (async () => {
        while (flights.current) await flights.current.promise.catch(() => {});
        await driver.reconcile();
      })();
      await Promise.race([
        settled,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, config.readyMs);
        }),
      ]);
      clearTimeout(timer);
    },
    login(options = {}) {
      // Logins called while a fresh one waits are later calls than the request it waits for too.
      if (waitingFresh) return waitingFresh;
      const earlier = flights.current;
      if (!options.fresh || !earlier || earlier.quiet) return beginLogin(false);
      // Its answer has not come: abandon it now (its callers reject ABORTED) and ask again.
      if (applying !== earlier) {
        flights.supersede();
        return beginLogin(false);
      }
      // Its answer is being applied already: ask again right after; unless a logout or destroy came.
      const drops = dropped;
      const fresh = earlier.promise
        .catch(() => {})
        .then(() => {
          waitingFresh = null;
          if (dropped !== drops)
            throw model.state === 'destroyed' ? destroyedError() : superseded();
          return beginLogin(false);
        });
      waitingFresh = fresh;
      return fresh;
    },
    logout(options) {
      if (model.state === 'destroyed') return Promise.resolve();
      return forget({ type: 'LOGOUT' }, options);
    },
    open() {
      toggle(true);
    },
    close() {
      toggle(false);
    },
    pageView(options = {}) {
      if (model.state === 'destroyed' || !started || consent !== 'granted') return;
      if (config.trackPageViews && widget) {
        const w = window as unknown as { _hsq?: unknown[] };
        w._hsq ??= [];
        w._hsq.push(
          ['setPath', options.path ?? location.pathname + location.search],
          ['trackPageView'],
        );
      }
      widget?.refresh(!!options.openToNewThread);
    },
    hide() {
      hidden = true;
      void widget?.reconcile();
    },
    show() {
      hidden = false;
      void widget?.reconcile();
    },
    async setConsent(granted) {
      if (model.state === 'destroyed') return;
      // Consent is per site: from now on this tab hears (and tells) the others — rule 6.
      syncTabs();
      if (!granted) return revoke();
      setConsentState('granted');
      if ((model as Model).state === 'destroyed') return; // a consent listener destroyed the chat
      const waiting = waitingLogin;
      waitingLogin = null;
      // What waited runs now, as if called now — docs/decisions.md §13.
      if (waiting) waiting.resolve(beginLogin(false));
      // A listener may destroy the chat meanwhile: setConsent() still resolves.
      await Promise.all([
        started && chat.start().catch(() => {}),
        waiting?.promise.catch(() => {}),
      ]);
    },
    on(event, listener) {
      return emitter.on(event, listener);
    },
    destroy() {
      if (model.state === 'destroyed') return;
      flights.supersede();
      dropped++;
      waitingLogin?.reject(superseded());
      waitingLogin = null;
      lifetime.abort();
      stopTimers();
      disarm?.();
      tabs?.close();
      wanted = { ...wanted, email: null, token: null };
      if (widget) {
        widget.destroy();
        document.removeEventListener('visibilitychange', onVisible);
      } else {
        removeIdentity();
      }
      dispatch({ type: 'DESTROY' });
      setUnread(0); // after DESTROY: a listener's login() now rejects DESTROYED
      emitter.events = {};
    },
  };
  return chat;
}
