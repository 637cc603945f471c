import { createNanoEvents } from 'nanoevents';
import { ChatError } from './errors';
import { CHAT_COOKIES, expireCookies, TRACKING_COOKIES } from './hubspot/cookies';
import { removeIdentity } from './hubspot/settings';
import type { WidgetEventName, WidgetEvents } from './hubspot/types';
import { createWidgetDriver, type WidgetDriver } from './hubspot/widget';
import {
  type ChatState,
  type Identity,
  initialModel,
  type MachineEvent,
  type Model,
  transition,
} from './machine';
import { type ChatOptions, resolveOptions } from './options';
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
   * visitor. Starts the chat if needed; concurrent calls share one request. Resolves once the
   * identified widget instance was requested; rejects with a {@link ChatError}.
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
   * anonymous (or removes it, without `showAnonymous`). A token still in flight is never applied.
   * With `syncTabs`, the page's other tabs log out too. Never rejects for network reasons.
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
   * Removes the widget, the identity, every listener and timer. Afterwards `start()` and `login()`
   * reject with `DESTROYED`, `logout()` resolves and `open()`/`close()` do nothing.
   */
  destroy(): void;
}

/** A login in progress; `quiet` ones (refreshes, other tabs' logins) are not told to other tabs. */
interface Flight {
  promise: Promise<Identity>;
  controller: AbortController;
  quiet: boolean;
}

const destroyedError = () => new ChatError('DESTROYED', 'This chat was destroyed');

/**
 * Creates a chat. Touches nothing (no DOM, no network, no globals) until `start()` or `login()`,
 * so it is safe to call during server-side rendering. Bad options throw a TypeError naming the option.
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
  let model: Model = initialModel;
  let widget: WidgetDriver | undefined;
  let unavailableReported = false;
  let flight: Flight | null = null;
  let tabs: ReturnType<typeof createTabSync> | undefined;
  let expiresAt = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

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
      Date.now() >= expiresAt - config.refreshMarginMs
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
        onEvent: (name, payload) =>
          (emitter.emit as (n: string, p: unknown) => void)(name, payload),
        onUnavailable: (reason) => {
          if (unavailableReported) return;
          unavailableReported = true;
          report(new ChatError('WIDGET_UNAVAILABLE', reason));
        },
      });
      widget.target.visible = config.showAnonymous;
      widget.start();
      document.addEventListener('visibilitychange', onVisible);
    }
    return widget;
  }

  function scheduleRefresh(): void {
    clearTimeout(refreshTimer);
    if (model.state !== 'authenticated') return;
    refreshTimer = setTimeout(refresh, refreshDelay(expiresAt, Date.now(), config.refreshMarginMs));
  }

  function refresh(): void {
    // A refresh failure is handled (and emitted) inside authenticate().
    beginLogin(true).catch(() => {});
  }

  function beginLogin(quiet: boolean): Promise<Identity> {
    if (model.state === 'destroyed') return Promise.reject(destroyedError());
    syncTabs();
    if (flight) {
      if (!quiet) flight.quiet = false;
      return flight.promise;
    }
    const current = { controller: new AbortController(), quiet } as Flight;
    current.promise = authenticate(current).finally(() => {
      if (flight === current) flight = null;
    });
    flight = current;
    return current.promise;
  }

  /** Forgets the visitor: identity out of the settings now, then a fresh anonymous widget. */
  function forget(
    event: MachineEvent,
    options: LogoutOptions = {},
    fromOtherTab = false,
  ): Promise<void> {
    flight?.controller.abort();
    flight = null;
    clearTimeout(refreshTimer);
    removeIdentity();
    dispatch(event);
    if (!fromOtherTab) {
      syncTabs();
      tabs?.post('logout');
    }
    if (options.forgetVisitor) expireCookies(TRACKING_COOKIES);
    if (!widget) {
      // No instance yet: HubSpot's stub clear() would delete nothing — hubspot-api.md §6.14.
      expireCookies(CHAT_COOKIES);
      return Promise.resolve();
    }
    widget.token = null;
    widget.target = {
      email: null,
      visible: config.showAnonymous,
      hold: false,
      forgetEpoch: widget.target.forgetEpoch + 1,
    };
    return widget.reconcile();
  }

  async function authenticate(current: Flight): Promise<Identity> {
    const { controller } = current;
    const driver = startedWidget();
    dispatch({ type: 'LOGIN' });
    // No anonymous instance while the token is in flight — decisions.md §2.
    driver.target.hold = true;
    try {
      const token = await fetchToken(config, controller.signal);
      dispatch({ type: 'TOKEN', email: token.email });
      driver.token = token.token;
      driver.target = { ...driver.target, email: token.email, visible: true, hold: false };
      expiresAt = token.expiresAt;
      await driver.reconcile();
      if (controller.signal.aborted) {
        throw new ChatError('ABORTED', 'Superseded by a later logout() or destroy()');
      }
      const newVisitor = model.identity?.email !== token.email;
      dispatch({ type: 'APPLIED', email: token.email });
      if (newVisitor && !current.quiet) tabs?.post('login');
      scheduleRefresh();
      return { email: token.email };
    } catch (caught) {
      const error =
        caught instanceof ChatError ? caught : new ChatError('TOKEN_NETWORK', String(caught));
      if (error.code === 'ABORTED' || controller.signal.aborted) throw error;
      driver.target.hold = false;
      if (model.state === 'authenticated') {
        const sessionOver = error.status === 401 || error.status === 403 || Date.now() >= expiresAt;
        if (sessionOver) void forget({ type: 'FAILED', sessionOver });
        else scheduleRefresh();
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
        while (flight) await flight.promise.catch(() => {});
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
      flight?.controller.abort();
      flight = null;
      lifetime.abort();
      clearTimeout(refreshTimer);
      tabs?.close();
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
