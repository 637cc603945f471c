import { planWidgetStep, type WidgetActual, type WidgetTarget } from '../reconcile';
import { CHAT_COOKIES, expireCookies } from './cookies';
import { insertLoader } from './loader';
import { containers, endShell } from './old-shells';
import { disown, type Owner, own, top } from './owner';
import { createRefresher } from './refresh';
import { writeIdentity, writeSettings } from './settings';
import {
  type HubSpotConversations,
  hubspotWindow,
  type Listener,
  WIDGET_EVENTS,
  type WidgetEventName,
  type WidgetEvents,
} from './types';

const MAX_RESETS = 5;
/** How often to look for HubSpot's API while waiting for it, in case our ready callback was dropped. */
const POLL_MS = 100;
/** API objects whose anonymous widget a destroyed chat removed (not reset): safe to show again. */
const removedAnonymous = new WeakSet<HubSpotConversations>();

/** What one driver of this module copy knows of HubSpot's single widget. */
interface Driving extends Owner {
  actual: WidgetActual;
  listened: () => HubSpotConversations | undefined;
  /** What that chat wants of the widget: a reset it has not carried out yet goes with the widget. */
  target: () => WidgetTarget;
}
/** The drivers of this copy: another copy's owners share only what `Owner` says. */
const ours = new WeakSet<Owner>();

/** What the driver knows with no instance of its own on the page. */
const NO_SHELL = { instance: 'none', email: null, shown: false } as const;

export interface WidgetDriverOptions {
  scriptUrl: string;
  nonce?: string;
  settings: Parameters<typeof writeSettings>[0];
  readyMs: number;
  /** Aborts on `destroy()`: every timer and wait of the driver ends with it. */
  signal: AbortSignal;
  log: (message: string) => void;
  /** What the widget should be now; read afresh before every step, never cached. */
  target: () => WidgetTarget;
  /** A HubSpot widget event, exactly once per event, across every reset. */
  onEvent: <E extends WidgetEventName>(name: E, payload: WidgetEvents[E]) => void;
  /** HubSpot's API did not come (script error, blocked, not ready in time) or refused to load. */
  onUnavailable: (reason: string) => void;
  /** A step changed the widget on the page (loaded, removed or reset). */
  onChange: () => void;
}

export interface WidgetDriver {
  /** Writes the settings and inserts the loader, once. */
  start(): void;
  /** Moves the widget to the target, one HubSpot call at a time; resolves when it is there or HubSpot is unavailable. */
  reconcile(): Promise<void>;
  /** Opens or closes the widget now, or as soon as it has loaded. */
  show(open: boolean): void;
  /** Forgets an `open()`/`close()` that has not happened yet. */
  dropShow(): void;
  /**
   * `widget.refresh()` for a route change, merged under HubSpot's throttle; nothing unless our
   * instance is on the page and no load or reset is in flight.
   */
  refresh(openToNewThread: boolean): void;
  /** Whether this chat drives the page's widget (and so may write HubSpot's settings). */
  drives(): boolean;
  /** Whether HubSpot's widget has loaded on the page. */
  loaded(): boolean;
  /** Whether HubSpot's API is on the page (and not known to be unavailable). */
  ready(): boolean;
  /** Writes the target identity into the settings now, for the next instance HubSpot creates. */
  writeIdentity(): void;
  /**
   * Leaves the page with no instance that may carry an identity (resets it, or removes an anonymous
   * one), removes the identity from the settings, our ready callback, our HubSpot listeners and
   * every timer of the driver. (The loader's `error` listener stays with the script; it checks
   * the driver's signal.)
   */
  destroy(): void;
}

/** The driver between the chat and `window.HubSpotConversations`. */
export function createWidgetDriver(options: WidgetDriverOptions): WidgetDriver {
  const { signal, log, target, onChange, readyMs } = options;
  const actual: WidgetActual = { ...NO_SHELL, forgetEpoch: 0 };
  const self: Driving = {
    actual,
    listened: () => listened,
    target,
    // The owner above was destroyed: it drove the widget meanwhile, so what we knew is gone.
    resume() {
      Object.assign(actual, NO_SHELL);
      reload();
    },
    showing: () => actual.shown && target().visible,
    containerRemoved: reload,
  };
  ours.add(self);
  /**
   * HubSpot has one widget per page: only the chat started last drives it — docs/decisions.md §25.
   * (So a driver that drives has started.)
   */
  const drives = () => top() === self;
  const waiters = new Set<() => boolean>();
  let started = false;
  let unavailable = false;
  let poll: ReturnType<typeof setInterval> | undefined;
  /** The API object whose emitter carries our listeners. */
  let listened: HubSpotConversations | undefined;
  /** Set while we call `widget.load()` on a stub: the API it hands over to shares its emitter — docs/decisions.md §8. */
  let handingOver = false;
  /** Taken over from another copy of the SDK: an instance on the page may carry anyone. */
  let distrust = false;
  let running: Promise<void> | null = null;
  let again: Promise<void> | null = null;
  let pendingShow: boolean | null = null;
  /** Only our own instance, on the page, with no load or reset in flight — docs/decisions.md §19. */
  const mayRefresh = () =>
    !running && !signal.aborted && drives() && actual.instance === 'ours' && actual.shown;
  const current = () => hubspotWindow().HubSpotConversations;
  /** The token the shell on the page holds (captured at its creation, or handed to it since). */
  let heldToken: string | null = null;
  const refresher = createRefresher(current, (refresh) => {
    // A pass runs: ask again once it has settled (one that loads anew drops the request).
    if (running) return null;
    const api = current();
    if (!api || !mayRefresh()) return false;
    const { loaded, pending } = api.widget.status();
    // HubSpot ignores refresh() while it loads the widget (a chatflow's display delay) — docs/hubspot.md §4.
    if (pending && !loaded) return null;
    if (refresh.setIdentification) heldToken = target().token;
    api.widget.refresh(refresh);
    watchTargeting();
    return true;
  });
  /**
   * A renewed token for the visitor on the page goes to the live shell, which re-reads the
   * identification from the settings (HubSpot ≥ 1.26137; a plain refresh before) — docs/hubspot.md §4.
   */
  function handOverToken(): void {
    const { email, token } = target();
    if (mayRefresh() && email && email === actual.email && token && token !== heldToken) {
      refresher.request({ setIdentification: true });
    }
  }
  let watching: ReturnType<typeof setInterval> | undefined;
  /**
   * HubSpot's targeting may remove the widget (or bring it back) a moment after a refresh, and
   * says nothing: look for a while, so that `loaded` follows.
   */
  function watchTargeting(): void {
    clearInterval(watching);
    let checks = 0;
    watching = setInterval(() => {
      onChange();
      if (++checks >= 20) clearInterval(watching); // (destroy() clears it too)
    }, 500);
  }

  /** The listeners on the current shell's emitter; an old shell's events reach none of them. */
  let forwarders: Record<WidgetEventName, Listener> | undefined;
  /** Takes them off where they were put on. */
  function unlisten(): void {
    if (listened && forwarders) {
      for (const name of WIDGET_EVENTS) listened.off(name, forwarders[name]);
    }
    forwarders = undefined;
  }
  function listen(api: HubSpotConversations): void {
    const own = {} as Record<WidgetEventName, Listener>;
    forwarders = own;
    for (const name of WIDGET_EVENTS) {
      own[name] = (payload: never) => {
        if (forwarders !== own) return;
        if (name === 'widgetLoaded') {
          applyShow();
          refresher.wake();
        }
        options.onEvent(name, payload);
      };
      api.on(name, own[name]);
    }
  }

  function adopt(api: HubSpotConversations): void {
    // Not after destroy(): its last notify() runs the waiters' checks, which adopt.
    if (api === listened || signal.aborted) return;
    if (!handingOver) {
      // Another chat's load() handed the stub over: the new API shares its emitter, ours go first.
      unlisten();
      listen(api);
      // HubSpot builds a new API object only when it starts afresh (a reset, ours or the page's):
      // the instance we knew is gone — docs/hubspot.md §4.
      if (listened) {
        endShell();
        Object.assign(actual, NO_SHELL);
      }
    }
    listened = api;
  }

  function reload(): void {
    onChange();
    void driver.reconcile();
  }

  /** Before planning with no instance of ours: is there one the page (or another chat) made? */
  function probe(api: HubSpotConversations): void {
    if (actual.instance !== 'none') return;
    const { loaded, pending } = api.widget.status();
    if (removedAnonymous.delete(api)) {
      actual.instance = 'ours';
    } else if (loaded || pending || hubspotWindow().hubspot_live_messages_running) {
      // Loaded, or created and removed without a reset: it may carry anyone's identity.
      actual.instance = 'foreign';
      actual.shown = !distrust && !!(loaded || pending);
    }
  }

  function notify(): void {
    for (const check of waiters) if (check()) waiters.delete(check);
    if (!waiters.size) {
      clearInterval(poll);
      poll = undefined;
    }
  }

  // Runs at init, after a lazy first load and after every reset — docs/hubspot.md §3. Idempotent.
  function onReady(): void {
    if (signal.aborted) return;
    const api = current();
    const known = listened;
    if (api) adopt(api);
    notify();
    if (api && (unavailable || (known && api !== known && !running))) {
      unavailable = false;
      void driver.reconcile();
    }
  }

  /**
   * Puts `onReady` in `hsConversationsOnReady`, again if the page replaced the array (HubSpot's own
   * documented pattern `hsConversationsOnReady = [fn]` does) — docs/hubspot.md §3.
   */
  function register(): void {
    const w = hubspotWindow();
    if (!Array.isArray(w.hsConversationsOnReady)) w.hsConversationsOnReady = [];
    if (!w.hsConversationsOnReady.includes(onReady)) w.hsConversationsOnReady.push(onReady);
  }

  let deadline: ReturnType<typeof setTimeout> | undefined;
  /** Reports `WIDGET_UNAVAILABLE` if HubSpot's API is still not there after `readyTimeoutMs`. */
  function armDeadline(): void {
    if (deadline || current() || unavailable) return;
    deadline = setTimeout(() => {
      deadline = undefined;
      if (!current()) {
        markUnavailable(`HubSpot's API was not ready within ${readyMs} ms`);
      }
    }, readyMs);
  }

  function markUnavailable(reason: string): void {
    // Not after consent was withdrawn: the visitor no longer waits for HubSpot.
    if (unavailable || signal.aborted || !target().allowed) return;
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
        } else if (unavailable || signal.aborted || !target().allowed) {
          resolve(null);
        } else {
          return false;
        }
        return true;
      };
      if (check()) return;
      waiters.add(check);
      register();
      // Waiting again after a wait that ended unanswered (e.g. consent withdrawn meanwhile).
      armDeadline();
      // Our callback may still be dropped (the page replaced the array after HubSpot read it): look too.
      poll ??= setInterval(notify, POLL_MS);
    });
  }

  function applyShow(): void {
    const api = current();
    if (pendingShow === null || !api?.widget.status().loaded) return;
    if (pendingShow) api.widget.open();
    else api.widget.close();
    pendingShow = null;
  }

  /**
   * Writes our settings and the target identity. Again before every load and reset: the page may
   * have replaced `hsConversationsSettings` (HubSpot's docs show assigning it), and without
   * `loadImmediately: false` a reset would load an instance by itself, again and again.
   */
  function writeTargetIdentity(): void {
    writeSettings(options.settings);
    writeIdentity(target());
  }

  /** One `widget.load()`: HubSpot never drops one (a call inside its window runs at the end). */
  function load(api: HubSpotConversations): void {
    writeTargetIdentity();
    // Recorded before the call: HubSpot runs ready callbacks inside it, and a destroy() there must
    // know that an instance with this identity is being created.
    if (actual.instance === 'none') {
      actual.instance = 'ours';
      actual.email = target().email;
      heldToken = target().token;
    }
    actual.shown = true;
    handingOver = true;
    try {
      api.widget.load();
    } finally {
      handingOver = false;
    }
    // A stub's load() made the shell: its API object is the one to follow now.
    listened = current() ?? listened;
    refresher.loaded(listened);
    log(`load ${actual.email}`); // null: anonymous
  }

  /** The shell a destroy() left unloaded: what lands on it later goes. */
  let leaving: HubSpotConversations | undefined;

  async function reset(api: HubSpotConversations): Promise<void> {
    writeTargetIdentity();
    Object.assign(actual, NO_SHELL);
    actual.forgetEpoch = target().forgetEpoch;
    distrust = false;
    log('reset');
    endShell(() => api.clear({ resetWidget: true }));
    // HubSpot builds a new API object with a new emitter; wait for it (bounded) and listen again.
    const deadline = setTimeout(
      () => markUnavailable('HubSpot did not come back after a reset'),
      readyMs,
    );
    try {
      await nextApi(api);
    } finally {
      clearTimeout(deadline);
    }
  }

  async function loop(): Promise<void> {
    let failure: unknown;
    let resets = 0;
    try {
      for (;;) {
        const step = planWidgetStep(target(), actual);
        if (step === 'idle' || signal.aborted || !drives()) break;
        if (step === 'forget-cookies') {
          expireCookies(CHAT_COOKIES);
          actual.forgetEpoch = target().forgetEpoch;
          continue;
        }
        // Another chat may have started meanwhile: then it drives, and this one writes nothing.
        if (!(await nextApi()) || signal.aborted || !drives()) break;
        // Whatever the wait resolved with may have been replaced since: use the API of now.
        const api = current();
        if (!api) continue;
        adopt(api);
        probe(api);
        // Planned before the wait: never run a stale step — docs/decisions.md §16.
        if (planWidgetStep(target(), actual) !== step) continue;
        if (step === 'reset') {
          // A HubSpot that keeps building instances by itself must not spin the page.
          if (++resets > MAX_RESETS)
            throw new Error(`the widget was reset ${MAX_RESETS} times in a row`);
          await reset(api);
        } else if (step === 'load') load(api);
        else {
          endShell(() => api.widget.remove());
          actual.shown = false;
        }
        onChange();
      }
      // Settings follow the target, also when HubSpot is unavailable or nothing was loaded; not
      // once consent is withdrawn (docs/decisions.md §13), nor by a chat that does not drive.
      driver.writeIdentity();
    } catch (error) {
      failure = error;
    }
    // Cleared before anyone is told: a listener that calls logout() now starts a new loop.
    running = null;
    if (signal.aborted) return;
    if (failure)
      options.onUnavailable(failure instanceof Error ? failure.message : String(failure));
    else {
      // A refresh asked while it ran goes now (dropped if it loaded anew: a load reads the URL).
      refresher.wake();
      handOverToken();
    }
  }

  /** Leaves no instance that may carry an identity, and no identity in the settings. */
  function release(api: HubSpotConversations | undefined): void {
    writeIdentity(null);
    const stale = target().forgetEpoch > actual.forgetEpoch;
    if (api && actual.instance !== 'none') {
      if (actual.instance === 'foreign' || actual.email || stale) {
        // remove() would keep the instance and the identity it captured for the next load on
        // this page; a reset makes a new one from the settings, now without identity — docs/decisions.md §17.
        log('reset');
        endShell(() => api.clear({ resetWidget: true }));
      } else {
        // A load not landed yet (in flight, or deferred by HubSpot's throttle; also one a hide()
        // removed) still lands: it goes.
        if (!api.widget.status().loaded) leaving = api;
        endShell(() => actual.shown && api.widget.remove());
        removedAnonymous.add(api);
      }
    } else if (stale) {
      // A logout not yet carried out: its cookies still go.
      expireCookies(CHAT_COOKIES);
    }
  }

  const driver: WidgetDriver = {
    start() {
      if (started || signal.aborted) return;
      started = true;
      const taken = own(self);
      const previous = ours.has(taken as Owner) ? (taken as Driving) : undefined;
      // Asked of the chat that drives now, whichever copy made the observer. With none: what still
      // lands on a shell a destroy() left unloaded goes (its loads may land twice: one in flight,
      // one HubSpot deferred); a new chat, or a reset, starts afresh.
      containers.removed = () => top()?.containerRemoved();
      containers.wanted = () => top()?.showing() ?? leaving !== current();
      // The same widget, known by the chat we take over from: no reset needed for the same visitor,
      // but one that chat still owed (a logout just before this chat started) is ours to make.
      const known = previous?.listened();
      if (known && known === current()) {
        // Its epochs counted in ours: one it owed stays one behind. (`known`: `previous` is there.)
        Object.assign(actual, (previous as Driving).actual);
        actual.forgetEpoch += target().forgetEpoch - (previous as Driving).target().forgetEpoch;
        listened = known;
        listen(known);
      } else distrust = !!taken; // another copy's instance may carry anyone: ours to reset
      // Before HubSpot's script reads them: a page's leftover null identity would stop it — docs/hubspot.md §2.
      writeTargetIdentity();
      register();
      const api = current();
      if (api) adopt(api);
      else {
        insertLoader(options.scriptUrl, options.nonce, () =>
          markUnavailable(`HubSpot's script failed to load: ${options.scriptUrl}`),
        );
        armDeadline();
      }
    },
    reconcile() {
      if (!running) {
        running = Promise.resolve().then(loop);
        return running;
      }
      // Asked while a pass runs (maybe from a listener it is notifying, about to end): one more
      // pass after it, so that nothing asked for is lost.
      again ??= running.then(() => {
        again = null;
        return driver.reconcile();
      });
      return again;
    },
    show(open) {
      pendingShow = open;
      applyShow();
    },
    dropShow() {
      pendingShow = null;
    },
    drives,
    refresh(openToNewThread) {
      // During a pass, deferred until it settles — docs/decisions.md §19.
      if (running || mayRefresh()) refresher.request({ openToNewThread });
    },
    loaded() {
      return !!current()?.widget.status().loaded;
    },
    ready() {
      return !!current() && !unavailable;
    },
    writeIdentity() {
      if (!signal.aborted && target().allowed && drives()) writeTargetIdentity();
    },
    destroy() {
      const w = hubspotWindow();
      const callbacks = w.hsConversationsOnReady;
      if (Array.isArray(callbacks) && callbacks.includes(onReady)) {
        callbacks.splice(callbacks.indexOf(onReady), 1);
      }
      unlisten();
      // A newer chat drives the widget now: leave it, and its settings, alone. Else the chat
      // below drives again, once this one's instance is gone.
      if (drives()) release(current());
      disown(self);
      // (An open() or close() still pending is never carried out: our listeners are off, and the
      // chat calls show() no more.)
      refresher.cancel();
      clearInterval(watching);
      clearTimeout(deadline);
      // The signal has aborted: every waiter's check settles it, and the poll stops with the last.
      notify();
    },
  };
  return driver;
}
