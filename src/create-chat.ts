import { createNanoEvents } from 'nanoevents';
import { aborted as superseded } from './abortable';
import { ChatError } from './errors';
import { CHAT_COOKIES, expireCookies, TRACKING_COOKIES } from './hubspot/cookies';
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
  /** The identity was dropped: `logout()`, or the session ended (401/403 or expiry on refresh). */
  logout: () => void;
  /** The same visitor's token was renewed, without disturbing the widget. */
  tokenRefresh: (identity: Identity) => void;
  /** Something failed; `login()` also rejects with it where it applies. */
  error: (error: ChatError) => void;
} & {
  /** HubSpot's widget events, forwarded with their payloads, across every widget reset. */
  [E in WidgetEventName]: (payload: WidgetEvents[E]) => void;
};

/** Options of {@link Chat.logout}. */
export interface LogoutOptions {
  /**
   * Also expire HubSpot's tracking cookies (`hubspotutk`, `__hstc`, `__hssc`), so that the next
   * person at this computer is not tracked as the same visitor. Page views before and after the
   * logout are then no longer linked in HubSpot's analytics. Default `false`.
   */
  forgetVisitor?: boolean;
}

/** A HubSpot chat that knows who is chatting. Create it with {@link createChat}. */
export interface Chat {
  /** Where the chat is: `anonymous`, `authenticating`, `authenticated`, `logged-out` or `destroyed`. */
  readonly state: ChatState;
  /** The identified visitor while `authenticated`, else null. Never holds the token. */
  readonly identity: Identity | null;
  /**
   * Writes HubSpot's settings, inserts its loader once and loads the anonymous widget (when
   * `showAnonymous`). Idempotent. Resolves once the widget's load was requested, or after
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
   * visitor. Starts the chat if needed. A call made while another login is in flight (also from a
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
  login(): Promise<Identity>;
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
  /** Opens the widget, now or as soon as it has loaded; starts the chat if needed. */
  open(): void;
  /** Closes the widget, now or as soon as it has loaded; starts the chat if needed. */
  close(): void;
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

/**
 * Creates a chat. Pure: no DOM, no network, no globals until `start()`, `login()`, `logout()`,
 * `open()` or `close()`, so it is safe to call during server-side rendering. Bad options throw a
 * TypeError naming the option.
 *
 * @example
 * ```ts
 * const chat = createChat({ portalId: '1234567', tokenUrl: '/api/hubspot/chat-token' });
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

  function dispatch(event: MachineEvent): void {
    const result = transition(model, event);
    model = result.model;
    for (const effect of result.effects) {
      if (effect.type === 'state') {
        log(`state: ${effect.previous} → ${effect.state}`);
        emitter.emit('state', effect.state, effect.previous);
      } else if (effect.type === 'logout') {
        emitter.emit('logout');
      } else {
        emitter.emit(effect.type, { ...effect.identity });
      }
    }
  }

  /** The widget the driver must reach, derived from `wanted` each time it asks. */
  function target(): WidgetTarget {
    const { email, token, forgetEpoch } = wanted;
    return {
      email,
      token,
      visible: email !== null || config.showAnonymous,
      // No anonymous instance while a login is in flight — decisions.md §2.
      hold: email === null && flights.current !== null,
      forgetEpoch,
    };
  }

  function syncTabs(): void {
    if (config.syncTabs && !tabs && model.state !== 'destroyed') tabs = createTabSync(onTabMessage);
  }

  function onTabMessage(message: TabMessage): void {
    log(`another tab: ${message}`);
    if (message === 'logout') void forget({ type: 'LOGOUT' }, {}, true);
    else beginLogin(true).catch(() => {});
  }

  function report(error: ChatError): void {
    log(`error ${error.code}: ${error.message}`);
    emitter.emit('error', error);
  }

  function onVisible(): void {
    if (
      document.visibilityState === 'visible' &&
      model.state === 'authenticated' &&
      Date.now() >= wanted.expiresAt - config.refreshMarginMs
    ) {
      refresh();
    }
  }

  /** The widget driver, created and started (settings, loader) on first use. */
  function startedWidget(): WidgetDriver {
    if (!widget) {
      widget = createWidgetDriver({
        scriptUrl: config.scriptUrl,
        nonce: config.nonce,
        settings: config.widget,
        readyTimeoutMs: config.readyTimeoutMs,
        signal: lifetime.signal,
        log,
        target,
        onEvent: (name, payload) =>
          (emitter.emit as (n: string, p: unknown) => void)(name, payload),
        onUnavailable: (reason) => {
          if (unavailableReported) return;
          unavailableReported = true;
          report(new ChatError('WIDGET_UNAVAILABLE', reason));
        },
      });
      widget.start();
      document.addEventListener('visibilitychange', onVisible);
    }
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
    cancelRefresh = timeoutAt(
      now + refreshDelay(wanted.expiresAt, now, config.refreshMarginMs),
      refresh,
    );
  }

  function refresh(): void {
    // A refresh failure is handled (and emitted) inside authenticate().
    beginLogin(true).catch(() => {});
  }

  /** An expired identity is never kept, whatever a refresh is doing — decisions.md §7. */
  function expire(): void {
    log('the token expired before a refresh replaced it');
    const error =
      refreshError ??
      new ChatError('TOKEN_TIMEOUT', 'The token expired before a refresh could replace it');
    void forget({ type: 'FAILED', sessionOver: true });
    report(error);
  }

  function beginLogin(quiet: boolean): Promise<Identity> {
    if (model.state === 'destroyed') return Promise.reject(destroyedError());
    syncTabs();
    return flights.join(quiet, authenticate);
  }

  /** Forgets the visitor: identity out of the settings now, then a fresh anonymous widget. */
  function forget(
    event: MachineEvent,
    options: LogoutOptions = {},
    fromOtherTab = false,
  ): Promise<void> {
    flights.supersede();
    stopTimers();
    wanted = { email: null, token: null, expiresAt: 0, forgetEpoch: wanted.forgetEpoch + 1 };
    removeIdentity();
    widget?.dropShow();
    if (!fromOtherTab) {
      syncTabs();
      tabs?.post('logout');
    }
    if (options.forgetVisitor) expireCookies(TRACKING_COOKIES);
    // No instance yet: HubSpot's stub clear() would delete nothing — hubspot-api.md §6.14.
    if (!widget) expireCookies(CHAT_COOKIES);
    // Last: a listener that calls login() now is a later call, and wins — decisions.md §16.
    dispatch(event);
    return widget ? widget.reconcile() : Promise.resolve();
  }

  async function authenticate(flight: Flight<Identity>): Promise<Identity> {
    const driver = startedWidget();
    /** Checked after every emit and every await: a later call may have superseded this login. */
    const check = () => {
      if (!flights.isCurrent(flight)) throw superseded();
    };
    try {
      dispatch({ type: 'LOGIN' });
      check();
      const token = await fetchToken(config, flight.signal);
      check();
      dispatch({ type: 'TOKEN', email: token.email });
      check();
      wanted = { ...wanted, email: token.email, token: token.token, expiresAt: token.expiresAt };
      stopTimers();
      cancelExpiry = timeoutAt(token.expiresAt, expire);
      await driver.reconcile();
      check();
      const newVisitor = model.identity?.email !== token.email;
      dispatch({ type: 'APPLIED', email: token.email });
      scheduleRefresh();
      if (newVisitor && !flight.quiet) tabs?.post('login');
      return { email: token.email };
    } catch (caught) {
      const error =
        caught instanceof ChatError ? caught : new ChatError('TOKEN_NETWORK', String(caught));
      if (error.code === 'ABORTED' || !flights.isCurrent(flight)) throw superseded();
      // Settled for the listeners below: a login() they call starts a new request.
      flights.finish(flight);
      if (model.state === 'authenticated') {
        const sessionOver =
          error.status === 401 || error.status === 403 || Date.now() >= wanted.expiresAt;
        if (sessionOver) void forget({ type: 'FAILED', sessionOver });
        else {
          refreshError = error;
          scheduleRefresh();
        }
      } else {
        dispatch({ type: 'FAILED', sessionOver: false });
        void driver.reconcile();
      }
      report(error);
      throw error;
    }
  }

  function show(open: boolean): void {
    if (model.state === 'destroyed') return;
    void chat.start();
    startedWidget().show(open);
  }

  const chat: Chat = {
    get state() {
      return model.state;
    },
    get identity() {
      return model.identity && { ...model.identity };
    },
    async start() {
      if (model.state === 'destroyed') throw destroyedError();
      syncTabs();
      const driver = startedWidget();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settled = (async () => {
        while (flights.current) await flights.current.promise.catch(() => {});
        await driver.reconcile();
      })();
      await Promise.race([
        settled,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, config.readyTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
    login() {
      return beginLogin(false);
    },
    logout(options) {
      if (model.state === 'destroyed') return Promise.resolve();
      return forget({ type: 'LOGOUT' }, options);
    },
    open() {
      show(true);
    },
    close() {
      show(false);
    },
    on(event, listener) {
      return emitter.on(event, listener);
    },
    destroy() {
      if (model.state === 'destroyed') return;
      flights.supersede();
      lifetime.abort();
      stopTimers();
      tabs?.close();
      wanted = { ...wanted, email: null, token: null };
      if (widget) {
        widget.destroy();
        document.removeEventListener('visibilitychange', onVisible);
      } else {
        removeIdentity();
      }
      dispatch({ type: 'DESTROY' });
      emitter.events = {};
    },
  };
  return chat;
}
