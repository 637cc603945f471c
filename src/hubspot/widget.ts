import { delay } from '../abortable';
import { planWidgetStep, type WidgetActual, type WidgetTarget } from '../reconcile';
import { CHAT_COOKIES, expireCookies } from './cookies';
import { insertLoader } from './loader';
import { writeIdentity, writeSettings } from './settings';
import {
  type HubSpotConversations,
  hubspotWindow,
  type Listener,
  WIDGET_EVENTS,
  type WidgetEventName,
  type WidgetEvents,
} from './types';

/** HubSpot runs `widget.load()` at most once a second, possibly page-wide — decisions.md §1. */
const THROTTLE_MS = 1000;
const MAX_DROPPED_LOADS = 5;
/** When this page last called `widget.load()`, across every chat on it. */
let lastLoadAt = Number.NEGATIVE_INFINITY;

export interface WidgetDriverOptions {
  scriptUrl: string;
  nonce?: string;
  settings: Parameters<typeof writeSettings>[0];
  readyTimeoutMs: number;
  /** Aborts on `destroy()`: every timer and wait of the driver ends with it. */
  signal: AbortSignal;
  log: (message: string) => void;
  /** A HubSpot widget event, exactly once per event, across every reset. */
  onEvent: <E extends WidgetEventName>(name: E, payload: WidgetEvents[E]) => void;
  /** HubSpot's API did not come (script error, blocked, not ready in time) or refused to load. */
  onUnavailable: (reason: string) => void;
}

export interface WidgetDriver {
  /** What the widget should be; change it, then call `reconcile()`. */
  target: WidgetTarget;
  /** The token to write with `target.email`; kept only here and in HubSpot's settings. */
  token: string | null;
  /** Writes the settings and inserts the loader, once. */
  start(): void;
  /** Moves the widget to `target`, one HubSpot call at a time; resolves when it is there or HubSpot is unavailable. */
  reconcile(): Promise<void>;
  /** Opens or closes the widget now, or as soon as it has loaded. */
  show(open: boolean): void;
  /** Removes the widget, the identity and every listener. */
  destroy(): void;
}

/** The driver between the chat and `window.HubSpotConversations`. */
export function createWidgetDriver(options: WidgetDriverOptions): WidgetDriver {
  const { signal, log } = options;
  const actual: WidgetActual = { instance: 'none', email: null, forgetEpoch: 0 };
  const waiters = new Set<() => boolean>();
  let started = false;
  let unavailable = false;
  /** The API object whose emitter carries our listeners. */
  let listened: HubSpotConversations | undefined;
  /** Set while we call `widget.load()` on a stub: the API it hands over to shares its emitter — decisions.md §8. */
  let handingOver = false;
  let running: Promise<void> | null = null;
  let pendingShow: boolean | null = null;

  const forwarders = Object.fromEntries(
    WIDGET_EVENTS.map((name) => [
      name,
      (payload: never) => {
        if (name === 'widgetLoaded') applyShow();
        options.onEvent(name, payload);
      },
    ]),
  ) as Record<WidgetEventName, Listener>;

  const current = () => hubspotWindow().HubSpotConversations;

  function adopt(api: HubSpotConversations): void {
    if (api === listened) return;
    if (!handingOver) {
      for (const name of WIDGET_EVENTS) api.on(name, forwarders[name]);
      const { loaded, pending } = api.widget.status();
      if (actual.instance === 'none' && (loaded || pending)) {
        log('found a widget loaded by the page; its identity is unknown');
        actual.instance = 'foreign';
      }
    }
    listened = api;
  }

  function notify(): void {
    for (const check of waiters) if (check()) waiters.delete(check);
  }

  // Runs at init, after a lazy first load and after every reset — hubspot-api.md §3. Idempotent.
  function onReady(): void {
    if (signal.aborted) return;
    const api = current();
    if (api) adopt(api);
    notify();
    if (unavailable && api) {
      unavailable = false;
      void driver.reconcile();
    }
  }

  function markUnavailable(reason: string): void {
    if (unavailable || signal.aborted) return;
    unavailable = true;
    options.onUnavailable(reason);
    notify();
  }

  /** Resolves with an API object other than `except`, or null once HubSpot is known unavailable. */
  function nextApi(except?: HubSpotConversations): Promise<HubSpotConversations | null> {
    return new Promise((resolve) => {
      const check = () => {
        const api = current();
        if (api && api !== except) {
          adopt(api);
          resolve(api);
        } else if (unavailable || signal.aborted) {
          resolve(null);
        } else {
          return false;
        }
        return true;
      };
      if (!check()) waiters.add(check);
    });
  }

  function applyShow(): void {
    const api = current();
    if (pendingShow === null || !api || !api.widget.status().loaded) return;
    if (pendingShow) api.widget.open();
    else api.widget.close();
    pendingShow = null;
  }

  function writeTargetIdentity(): void {
    const { email } = driver.target;
    writeIdentity(email && driver.token ? { email, token: driver.token } : null);
  }

  async function load(api: HubSpotConversations): Promise<void> {
    for (let dropped = 0; ; dropped++) {
      const wait = lastLoadAt + THROTTLE_MS - Date.now();
      // Bounded: a clock that jumped back must not stall the widget.
      if (wait > 0) await delay(Math.min(wait, THROTTLE_MS) + 10, signal);
      writeTargetIdentity();
      handingOver = true;
      try {
        (current() ?? api).widget.load();
      } finally {
        handingOver = false;
      }
      lastLoadAt = Date.now();
      const now = current();
      if (now) {
        const { loaded, pending } = now.widget.status();
        if (loaded || pending) {
          listened = now;
          actual.instance = 'ours';
          actual.email = driver.target.email;
          log(`widget instance created (${actual.email ?? 'anonymous'})`);
          return;
        }
      }
      // Dropped by HubSpot's throttle: retry once the window has passed — decisions.md §1.
      log('widget.load() was dropped; retrying after the throttle window');
      if (dropped >= MAX_DROPPED_LOADS) {
        throw new Error(`widget.load() was dropped ${dropped + 1} times`);
      }
    }
  }

  async function reset(api: HubSpotConversations): Promise<void> {
    writeTargetIdentity();
    actual.instance = 'none';
    actual.email = null;
    actual.forgetEpoch = driver.target.forgetEpoch;
    log('resetting the widget');
    api.clear({ resetWidget: true });
    // HubSpot builds a new API object with a new emitter; wait for it (bounded) and listen again.
    const deadline = setTimeout(
      () => markUnavailable('HubSpot did not come back after a widget reset'),
      options.readyTimeoutMs,
    );
    try {
      await nextApi(api);
    } finally {
      clearTimeout(deadline);
    }
  }

  async function loop(): Promise<void> {
    try {
      for (;;) {
        const step = planWidgetStep(driver.target, actual);
        if (step === 'idle' || signal.aborted) break;
        if (step === 'forget-cookies') {
          expireCookies(CHAT_COOKIES);
          actual.forgetEpoch = driver.target.forgetEpoch;
          continue;
        }
        const api = await nextApi();
        if (!api) break;
        if (step === 'reset') await reset(api);
        else await load(api);
      }
      // Settings always follow the target, also when HubSpot is unavailable or nothing was loaded.
      if (!signal.aborted) writeTargetIdentity();
    } catch (error) {
      if (!signal.aborted) {
        options.onUnavailable(error instanceof Error ? error.message : String(error));
      }
    }
    running = null;
  }

  const driver: WidgetDriver = {
    target: { email: null, visible: false, hold: false, forgetEpoch: 0 },
    token: null,
    start() {
      if (started || signal.aborted) return;
      started = true;
      writeSettings(options.settings);
      // Before HubSpot's script reads them: a page's leftover null identity would stop it — hubspot-api.md §2.
      writeTargetIdentity();
      const w = hubspotWindow();
      if (!Array.isArray(w.hsConversationsOnReady)) w.hsConversationsOnReady = [];
      w.hsConversationsOnReady.push(onReady);
      const api = current();
      if (api) adopt(api);
      else {
        insertLoader(options.scriptUrl, options.nonce, () =>
          markUnavailable(`HubSpot's script failed to load: ${options.scriptUrl}`),
        );
        const deadline = setTimeout(() => {
          if (!current()) {
            markUnavailable(`HubSpot's API was not ready within ${options.readyTimeoutMs} ms`);
          }
        }, options.readyTimeoutMs);
        signal.addEventListener('abort', () => clearTimeout(deadline));
      }
    },
    reconcile() {
      if (!running) running = Promise.resolve().then(loop);
      return running;
    },
    show(open) {
      pendingShow = open;
      applyShow();
    },
    destroy() {
      const w = hubspotWindow();
      const api = current();
      if (api && listened === api) {
        for (const name of WIDGET_EVENTS) api.off(name, forwarders[name]);
      }
      if (api && actual.instance !== 'none') api.widget.remove();
      driver.token = null;
      if (started) writeIdentity(null);
      const callbacks = w.hsConversationsOnReady;
      if (Array.isArray(callbacks) && callbacks.includes(onReady)) {
        callbacks.splice(callbacks.indexOf(onReady), 1);
      }
      notify();
      waiters.clear();
    },
  };
  return driver;
}
