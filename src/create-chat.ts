import { createNanoEvents } from 'nanoevents';
import { aborted as superseded } from './abortable';
import type { Chat, ChatEvents, LoginOptions, LogoutOptions } from './chat';
import { type Deferred, deferred, revokeHubSpotConsent } from './consent';
import { ChatError } from './errors';
import { type Consent, mayLoad, widgetVisible } from './gate';
import {
  ALL_HUBSPOT_COOKIES,
  CHAT_COOKIES,
  expireCookies,
  TRACKING_COOKIES,
} from './hubspot/cookies';
import { top } from './hubspot/owner';
import { removeIdentity as removeAnyIdentity } from './hubspot/settings';
import type { WidgetEvents } from './hubspot/types';
import { createWidgetDriver, type WidgetDriver } from './hubspot/widget';
import { createFlights, type Flight } from './login-flight';
import { timeoutAt } from './long-timeout';
import {
  type Identity,
  initialModel,
  type LogoutReason,
  type MachineEvent,
  type Model,
  transition,
} from './machine';
import { type ChatOptions, resolveOptions } from './options';
import type { WidgetTarget } from './reconcile';
import { createTabSync, type TabMessage } from './tabs';
import { refreshDelay } from './token/expiry';
import { fetchToken } from './token/fetch-token';

export type { Chat, ChatEvents, LoginOptions, LogoutOptions } from './chat';

/** Rendering on a server: every call is a no-op there, and nothing is opened — docs/decisions.md §12. */
const serverSide = () => typeof window === 'undefined';
const destroyedError = () => new ChatError('DESTROYED', 'The chat was destroyed');
const supersededByFresh = () =>
  new ChatError('ABORTED', 'Superseded by a later login({ fresh: true })');
const consentDenied = () =>
  new ChatError('CONSENT_DENIED', "The visitor did not consent to HubSpot's cookies");

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
  let model: Model = initialModel;
  let widget: WidgetDriver | undefined;
  let unavailableReported = false;
  let tabs: ReturnType<typeof createTabSync> | undefined;
  let unread = 0;
  let loadedNow = false;
  /** A `close()` made before there was a widget: done when it loads. */
  let closeLater = false;
  /** The codes already warned about while nobody listened to `error`. */
  const warned = new Set<string>();
  // The gate (gate.ts) and the page-level wishes that sit beside the wanted identity.
  let started = false;
  let consent: Consent = config.consent;
  let triggered = false;
  let disarm: (() => void) | undefined;
  let hidden = false;

  // ── Identity: the wanted identity, the login flights that fetch it, the refresh and expiry
  // timers that keep it; each way an identity ends has its own operation.
  const flights = createFlights<Identity>();
  let wanted: Wanted = { email: null, token: null, expiresAt: 0, forgetEpoch: 0 };
  let applying: Flight<Identity> | null = null;
  let waitingFresh: Promise<Identity> | null = null;
  let dropped = 0;
  let announced = false;
  let waitingConsent: Deferred<Identity> | null = null;
  /** The token expired and no login has replaced it yet: a failure now ends the session. */
  let expired = false;
  let cancelRefresh = () => {};
  let cancelExpiry = () => {};

  const destroyed = () => model.state === 'destroyed';
  /** Only the chat that drives the widget (or any, while none does) touches the settings — §25. */
  const removeIdentity = () => {
    if (widget ? widget.drives() : !top()) removeAnyIdentity();
  };

  function stopTimers(): void {
    cancelRefresh();
    cancelExpiry();
  }

  function scheduleRefresh(): void {
    cancelRefresh();
    if (model.state !== 'authenticated') return;
    const now = Date.now();
    const at = now + refreshDelay(wanted.expiresAt, now, config.marginMs);
    cancelRefresh = timeoutAt(at, refresh);
  }

  function refresh(): void {
    // A refresh failure is handled (and emitted) inside authenticate().
    ask(true).catch(() => {});
  }

  /** Settles the login() calls waiting for consent with `error`. */
  function endWait(error: ChatError): void {
    waitingConsent?.reject(error);
    waitingConsent = null;
  }

  function ask(quiet: boolean): Promise<Identity> {
    if (destroyed()) return Promise.reject(destroyedError());
    if (consent === 'denied') return Promise.reject(consentDenied());
    if (consent === 'pending') {
      // Nothing leaves the page before the visitor decides — docs/decisions.md §13.
      waitingConsent ??= deferred<Identity>();
      return waitingConsent.promise;
    }
    begin();
    // An explicit login() never takes a refresh's (or another tab's) answer: the session behind it
    // may have changed. The identity stays until the new answer.
    if (!quiet && flights.current?.quiet) flights.supersede();
    return flights.join(quiet, authenticate);
  }

  /** Nobody's identity is wanted now, and the instance and cookies from before must go. */
  function forgetWanted(): void {
    wanted = { email: null, token: null, expiresAt: 0, forgetEpoch: wanted.forgetEpoch + 1 };
    removeIdentity();
  }

  /** The identity the app wants now is nobody's: a logout, a revocation, an expiry. */
  function drop(): void {
    flights.supersede();
    announced = false;
    expired = false;
    dropped++;
    stopTimers();
    forgetWanted();
    widget?.dropShow();
    setUnread(0);
  }

  /** Ends the session: identity out of the settings now, then a fresh anonymous widget. */
  function endSession(
    event: MachineEvent,
    broadcast = true,
    forgetVisitor: boolean | undefined = false,
  ): Promise<void> {
    drop();
    endWait(superseded());
    if (broadcast) tell('logout');
    if (forgetVisitor) expireCookies(TRACKING_COOKIES);
    // No instance yet: HubSpot's stub clear() would delete nothing — docs/hubspot.md §6.10.
    if (!widget) expireCookies(CHAT_COOKIES);
    // Last: a listener that calls login() now is a later call, and wins — docs/decisions.md §16.
    dispatch(event);
    return widget ? widget.reconcile() : Promise.resolve();
  }

  /**
   * An expired identity is never kept (docs/decisions.md §7) and never broadcast (§26: each tab has
   * its own token). It leaves the settings and the widget (a reset) now; the chat is
   * `authenticating` until a login in flight, or a refresh started now, brings the visitor back, or
   * fails: then `logged-out`. Meanwhile no anonymous instance comes (§2).
   */
  function expire(): void {
    expired = true;
    cancelRefresh();
    forgetWanted();
    if (!flights.current) refresh();
    void widget?.reconcile();
    // Last: a listener's logout(), login() or destroy() is a later call — docs/decisions.md §16.
    dispatch({ type: 'EXPIRED' });
  }

  async function authenticate(flight: Flight<Identity>): Promise<Identity> {
    /** Checked after every emit and every await: a later call may have superseded this login. */
    const check = () => {
      if (!flights.isCurrent(flight)) throw stale();
    };
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
      const { email } = token;
      // Another visitor: the count belonged to the one before — docs/decisions.md §19.
      if (model.identity?.email !== email) setUnread(0);
      dispatch({ type: 'TOKEN', email });
      check();
      wanted = { ...wanted, email, token: token.token, expiresAt: token.expiresAt };
      stopTimers();
      cancelExpiry = timeoutAt(token.expiresAt, expire);
      // Held for the coming load when HubSpot may not load yet or is not ready — docs/decisions.md §15.
      if (widget?.ready()) await widget.reconcile();
      else {
        widget?.writeIdentity();
        void widget?.reconcile();
      }
      check();
      const newVisitor = model.identity?.email !== email;
      announced = true;
      expired = false;
      dispatch({ type: 'APPLIED', email });
      scheduleRefresh();
      if (newVisitor && !flight.quiet && flights.isCurrent(flight)) tell('login');
      return { email };
    } catch (caught) {
      throw failed(flight, caught);
    }
  }

  /** Superseded by a logout or destroy (`ABORTED`), or by a revocation (`CONSENT_DENIED`). */
  const stale = () => (consent === 'denied' ? consentDenied() : superseded());

  /** A login failed: what it leaves behind, and the error its callers get. */
  function failed(flight: Flight<Identity>, caught: unknown): ChatError {
    const error =
      caught instanceof ChatError ? caught : new ChatError('TOKEN_NETWORK', String(caught));
    if (error.code === 'ABORTED' || !flights.isCurrent(flight)) return stale();
    // Settled for the listeners below: a login() they call starts a new request.
    flights.finish(flight);
    // Only a background refresh keeps the identity it could not renew — docs/decisions.md §28.
    // After an expiry (which forgot the token: `expiresAt` is 0) any failure ends the session.
    const reason: LogoutReason | false =
      (expired || model.state === 'authenticated') &&
      (!flight.quiet
        ? 'failed'
        : error.status === 401 || error.status === 403
          ? 'refused'
          : Date.now() >= wanted.expiresAt && 'expired');
    // The refresh of a token that ran out says so — docs/decisions.md §7.
    const reported =
      reason === 'expired'
        ? new ChatError('TOKEN_EXPIRED', `The token expired: ${error.message}`, error.status)
        : error;
    // An expiry is this tab's token running out: no other tab is told — §26.
    if (reason) void endSession({ type: 'LOGOUT', reason }, reason !== 'expired');
    else if (model.state === 'authenticated') scheduleRefresh();
    else {
      dispatch({ type: 'FAILED' });
      void widget?.reconcile();
    }
    report(reported);
    return reported;
  }

  /** `login()`: shares the request in flight unless `fresh` (docs/decisions.md §24). */
  function login(options: LoginOptions = {}): Promise<Identity> {
    // Logins called while a fresh one waits are later calls than the request it waits for too.
    if (waitingFresh) return waitingFresh;
    const earlier = flights.current;
    if (!options.fresh || !earlier || earlier.quiet) return ask(false);
    // Its answer has not come: abandon it now (its callers reject ABORTED) and ask again.
    if (applying !== earlier) {
      flights.supersede();
      return ask(false);
    }
    // Its answer is being applied already: ask again right after; unless a logout or destroy came.
    const drops = dropped;
    const fresh = earlier.promise
      .catch(() => {})
      .then(() => {
        waitingFresh = null;
        if (dropped !== drops) throw destroyed() ? destroyedError() : superseded();
        return ask(false);
      });
    waitingFresh = fresh;
    return fresh;
  }
  /** `logout()`, or another tab's (`fromOtherTab`: not told back). */
  function logOut(options: LogoutOptions = {}, fromOtherTab = false): Promise<void> {
    return endSession(
      { type: 'LOGOUT', reason: fromOtherTab ? 'tab' : 'logout' },
      !fromOtherTab,
      options.forgetVisitor,
    );
  }

  /** Tells the page's other tabs. */
  function tell(message: TabMessage): void {
    syncTabs();
    tabs?.post(message);
  }

  /**
   * Calls each listener of `name`; one that throws is reported (`reportError`) and neither stops
   * the others nor the SDK's own work — a bug in an app's hook must not leave an identity behind.
   * Returns how many listeners it called.
   */
  function emit<E extends keyof ChatEvents>(name: E, ...args: Parameters<ChatEvents[E]>): number {
    const listeners = [...(emitter.events[name] ?? [])];
    const of = model;
    for (const listener of listeners) {
      // A listener made a later call (a login, logout or destroy): the next ones heard of it
      // already, and not of this stale event (say, `logout` with a reason that call made untrue) —
      // docs/decisions.md §16. An error or a consent change is still news to them.
      if (model !== of && name !== 'error' && name !== 'consent') break;
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
        emit('logout', effect.reason);
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
    const now = chat.loaded;
    if (now === loadedNow) return;
    loadedNow = now;
    emit('loaded', now);
  }

  function syncTabs(): void {
    if (config.syncTabs && !tabs && !destroyed()) tabs = createTabSync(onTabMessage);
  }

  function onTabMessage(message: TabMessage): void {
    // A page that only gave consent hears revocations; logins and logouts where the chat started —
    // docs/decisions.md §26.
    if (message === 'revoke') void revoke(true);
    else if (!started) return;
    else if (message === 'logout') void logOut({}, true);
    else if (consent === 'granted') ask(true).catch(() => {});
  }

  function report(error: ChatError): void {
    // Nobody listened: say it once per code rather than fail silently — docs/guide.md, "Errors".
    if (!emit('error', error) && !warned.has(error.code)) {
      warned.add(error.code);
      console.warn(`[hubspot-visitor-chat] ${error.code} (no 'error' listener)`, error);
    }
  }

  /** The page is back (shown, unfrozen, online): a token due while it slept is renewed first. */
  function onWake(): void {
    if (document.visibilityState !== 'visible' || model.state !== 'authenticated') return;
    // A sleeping computer's timers may not have counted the sleep: the wall clock decides.
    if (Date.now() >= wanted.expiresAt) expire();
    else if (Date.now() >= wanted.expiresAt - config.marginMs) refresh();
  }

  /**
   * Listens (or stops) to the page coming back: shown, unfrozen, restored, online. Captured on the
   * window, which also sees the document's `visibilitychange` and `resume` first.
   */
  function wakeEvents(listen: typeof addEventListener): void {
    for (const name of ['visibilitychange', 'resume', 'pageshow', 'online'])
      listen(name, onWake, true);
  }

  /** Marks the chat started and arms the `load` trigger, once consent allows. */
  function begin(): void {
    started = true;
    syncTabs();
    if (consent !== 'granted' || triggered || disarm) return;
    if (config.load) disarm = config.load(fire);
    else fire();
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
    if (!widget && mayLoad({ started, consent, triggered }) && !destroyed()) {
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
      if (closeLater) widget.show(false);
      wakeEvents(addEventListener);
    }
    // A driver left from before a revocation waits for the gate too (`load` is respected again).
    if (widget && mayLoad({ started, consent, triggered })) void widget.reconcile();
    return widget;
  }

  /**
   * Consent withdrawn (`denied`): nothing of HubSpot's may stay — docs/consent.md. Undecided again
   * (`pending`) is the same in this tab, except that no other tab is told and a `login()` waits
   * for the decision instead of being refused.
   */
  async function revoke(fromOtherTab = false, next: Consent = 'denied'): Promise<void> {
    const wasGranted = consent === 'granted';
    setConsent(next);
    if (next === 'denied') {
      endWait(consentDenied());
      // Consent is per site: the other tabs revoke too (also after a return to pending here).
      if (!fromOtherTab && (wasGranted || widget)) tell('revoke');
    }
    if (!wasGranted) return;
    // The `load` trigger is respected again on the next grant.
    disarm?.();
    disarm = undefined;
    triggered = false;
    const { state } = model;
    // Identified, or being switched to another visitor: then it is a logout — docs/consent.md.
    const identified = announced;
    drop();
    expireCookies(ALL_HUBSPOT_COOKIES);
    if (identified) dispatch({ type: 'LOGOUT', reason: 'consent' });
    else if (state === 'authenticating') dispatch({ type: 'FAILED' });
    // Also once a loader still on its way has run, unless the visitor granted consent meanwhile.
    const forget = () => {
      if (consent !== 'granted') expireCookies(ALL_HUBSPOT_COOKIES);
    };
    if (widget) {
      revokeHubSpotConsent(forget);
      await widget.reconcile();
    }
    forget();
  }

  function setConsent(next: Consent): void {
    if (consent === next) return;
    consent = next;
    emit('consent', next);
  }

  /**
   * Opens the widget, loading HubSpot now whatever `load` says (the visitor asked for the chat);
   * or says why it cannot (`openBlocked`) — docs/decisions.md §27.
   */
  function open(): void {
    if (destroyed() || serverSide()) return;
    const someone = wanted.email !== null || flights.current !== null;
    const blocked =
      consent !== 'granted'
        ? 'consent'
        : hidden
          ? 'hidden'
          : !widgetVisible(false, someone, config.showAnonymous) && 'anonymous';
    if (blocked) {
      emit('openBlocked', blocked);
      return;
    }
    closeLater = false;
    begin();
    fire(); // the visitor asked for the chat: load now, whatever `load` says
    widget?.show(true);
  }

  const chat: Chat = {
    get state() {
      return model.state;
    },
    get identity() {
      return model.identity && { ...model.identity };
    },
    get loaded() {
      return !destroyed() && !!widget?.loaded();
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
      if (destroyed()) throw destroyedError();
      if (serverSide()) return;
      begin();
      const driver = openGate();
      if (!driver) return; // remembered: the gate opens on consent or on the load trigger
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settled = (async () => {
        for (let flight = flights.current; flight; flight = flights.current) {
          await flight.promise.catch(() => {});
        }
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
    login: (options) =>
      serverSide()
        ? Promise.reject(new ChatError('WIDGET_UNAVAILABLE', 'No window'))
        : login(options),
    logout(options) {
      if (destroyed() || serverSide()) return Promise.resolve();
      return logOut(options);
    },
    open,
    close() {
      if (destroyed()) return;
      // Never starts the chat: remembered until the widget is there.
      if (widget) widget.show(false);
      else closeLater = true;
    },
    pageView(options = {}) {
      if (destroyed() || !started || consent !== 'granted') {
        return;
      }
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
      // An open() remembered until the widget loads is for a widget the visitor no longer sees.
      widget?.dropShow();
      void widget?.reconcile();
    },
    show() {
      hidden = false;
      void widget?.reconcile();
    },
    async setConsent(decision) {
      if (destroyed() || serverSide()) return;
      // Consent is per site: from now on this tab hears (and tells) the others — rule 6.
      syncTabs();
      if (decision !== true && decision !== 'granted') return revoke(false, decision || 'denied');
      setConsent('granted');
      if (destroyed()) return; // a consent listener destroyed the chat
      // What waited runs now, as if called now — docs/decisions.md §13.
      const waiting = waitingConsent;
      waitingConsent = null;
      if (waiting) waiting.resolve(ask(false));
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
      if (destroyed()) return;
      flights.supersede();
      dropped++;
      endWait(superseded());
      stopTimers();
      wanted = { ...wanted, email: null, token: null };
      lifetime.abort();
      disarm?.();
      tabs?.close();
      if (widget) {
        widget.destroy();
        wakeEvents(removeEventListener);
      } else if (!serverSide()) {
        removeIdentity();
      }
      dispatch({ type: 'DESTROY' });
      setUnread(0); // after DESTROY: a listener's login() now rejects DESTROYED
      syncLoaded();
      emitter.events = {};
    },
  };
  return chat;
}
