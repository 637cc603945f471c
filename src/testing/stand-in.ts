// An offline stand-in for HubSpot's chat loader and widget script, following docs/hubspot.md §8.
// It reproduces the observable contract the SDK relies on (stub before the first load, identity
// captured per instance, reset = new API object and new emitter, the one-a-second throttle, the chat
// cookies) and adds test hooks under `window.__fakeHubSpot` that the SDK itself never reads.

/** Knobs, set on `window.__fakeHubSpot.config` before the script runs. */
export interface StandInConfig {
  /** The embed script defines nothing, as when an ad blocker stops it. */
  blocked?: boolean;
  /** No API is ever created and ready callbacks never run, as on unsupported browsers. */
  unsupported?: boolean;
  /** Whether a chatflow targets `url`; false hides the widget (no iframe, no `widgetLoaded`). */
  targeting?: (url: string) => boolean;
  /** A chatflow display delay: the widget stays `pending` this long. */
  displayDelayMs?: number;
  /** Delay between the script running and the API appearing; default 0 (one macrotask). */
  initDelayMs?: number;
  /** Delay of the widget-data request; default 30. */
  widgetDataDelayMs?: number;
  /** Delay of the iframe's `load`; default 20. */
  iframeLoadDelayMs?: number;
  /**
   * Whether HubSpot would accept `token` for `email`. Default: tokens from `issueToken()` for that
   * email (case-insensitive) that have not expired. May answer asynchronously (e.g. by asking a server),
   * as HubSpot checks the token when it fetches the widget data.
   */
  verifyToken?: (email: string, token: string) => boolean | Promise<boolean>;
  /**
   * `widget.status()` answers `{ loaded }` only, as HubSpot documents it, without the `pending`
   * flag that current builds add — docs/hubspot.md §9.
   */
  statusWithoutPending?: boolean;
}

/** A conversation the stand-in keeps for one identity. */
export interface StandInThread {
  conversationId: number;
  text: string;
  closed: boolean;
}

/** What `window.__fakeHubSpot.state()` returns; for assertions only. */
export interface StandInState {
  shellGeneration: number;
  loaded: boolean;
  pending: boolean;
  isOpen: boolean;
  identity: { email: string; identified: boolean };
  messagesUtk: string | null;
  /** HubSpot's cookies now on the page (chat and tracking), by name. */
  cookies: Record<string, string>;
  listenerCounts: Record<string, number>;
  onReadyFlushCount: number;
  loadCalls: number;
  refreshCalls: number;
  visibleThreads: StandInThread[];
  lastIdentityError: string | null;
  /** Every instance created on this page: the identity it was created with, and when (epoch ms). */
  shells: Array<{ generation: number; email: string; at: number }>;
  /** What the page pushed onto HubSpot's tracking queue `_hsq` (e.g. `setPath`, `trackPageView`). */
  hsq: unknown[];
  /** What the page pushed onto HubSpot's privacy queue `_hsp` (e.g. `revokeCookieConsent`). */
  hsp: unknown[];
}

/** The test hooks at `window.__fakeHubSpot`. */
export interface FakeHubSpot {
  config: StandInConfig;
  /** Mints a token the stand-in accepts for `email` (as your backend would through HubSpot's API). */
  issueToken(email: string, options?: { ttlMs?: number }): string;
  state(): StandInState;
  /** Widget events as a visitor or an agent would cause them; each a no-op unless loaded. */
  simulate: {
    userOpen(): void;
    userClose(): void;
    startConversation(text?: string): number | undefined;
    agentClose(conversationId: number): void;
    unread(count: number): void;
    quickReply(label: string): void;
  };
  /** Cancels every pending stand-in timer (used by `uninstall()`). */
  stop(): void;
}

type Handler = (payload: unknown) => void;

interface Emitter {
  handlers: Map<string, Handler[]>;
  emit(event: string, payload: unknown): void;
}

interface Shell {
  generation: number;
  email: string;
  identified: boolean;
  /** An asynchronous `verifyToken` still deciding; the widget data waits for it. */
  verifying: Promise<void> | null;
  utk: string;
  emitter: Emitter;
  loaded: boolean;
  pending: boolean;
  isOpen: boolean;
  associated: boolean;
  alive: boolean;
}

interface PageState {
  fake: FakeHubSpot;
  shell: Shell | null;
  emitter: Emitter | null;
  shellGeneration: number;
  onReadyFlushCount: number;
  loadCalls: number;
  refreshCalls: number;
  lastLoadAt: number;
  lastRefreshAt: number;
  nextConversationId: number;
  threads: Map<string, StandInThread[]>;
  tokens: Map<string, { email: string; expiresAt: number }>;
  lastIdentityError: string | null;
  shells: StandInState['shells'];
  timers: Set<ReturnType<typeof setTimeout>>;
  debug: boolean;
}

type StandInWindow = Window & {
  __fakeHubSpot?: FakeHubSpot;
  __fakeHubSpotPage?: PageState;
  HubSpotConversations?: unknown;
  hsConversationsSettings?: Record<string, unknown>;
  hsConversationsOnReady?: unknown;
  hubspot_live_messages_running?: boolean;
  __hsUserToken?: string;
};

const THROTTLE_MS = 1000;
const LAZY_WARNING =
  'loadImmediately is set to false and widget.load() has not been called on window.HubSpotConversations yet. Please call widget.load() first or set loadImmediately on window.hsConversationsSettings to true.';
const CHAT_COOKIES = ['messagesUtk', 'hs-messages-is-open', 'hs-messages-hide-welcome-message'];
/** HubSpot's tracking cookies: `clear()` leaves them; `state().cookies` reports them. */
const TRACKING_COOKIES = ['hubspotutk', '__hstc', '__hssc'];
const THIRTEEN_MONTHS_S = 13 * 30 * 24 * 3600;

/** Matches HubSpot's loader URL (`//js.hs-scripts.com/123.js`, `js-eu1…`, `js-na1…`). */
export const LOADER_URL_PATTERN = /\/\/js(-[a-z]{2}\d)?\.hs-scripts\.com\/(\d+)\.js/;

function page(win: StandInWindow): PageState {
  if (win.__fakeHubSpotPage) return win.__fakeHubSpotPage;
  const state: PageState = {
    fake: undefined as unknown as FakeHubSpot,
    shell: null,
    emitter: null,
    shellGeneration: 0,
    onReadyFlushCount: 0,
    loadCalls: 0,
    refreshCalls: 0,
    lastLoadAt: Number.NEGATIVE_INFINITY,
    lastRefreshAt: Number.NEGATIVE_INFINITY,
    nextConversationId: 1001,
    threads: new Map(),
    tokens: new Map(),
    lastIdentityError: null,
    shells: [],
    timers: new Set(),
    debug: false,
  };
  state.fake = createHooks(win, state, win.__fakeHubSpot?.config ?? {});
  win.__fakeHubSpotPage = state;
  win.__fakeHubSpot = state.fake;
  return state;
}

function later(state: PageState, ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    fn();
  }, ms);
  state.timers.add(timer);
}

function createEmitter(): Emitter {
  const handlers = new Map<string, Handler[]>();
  return {
    handlers,
    emit(event, payload) {
      // Synchronous, in order, and not isolated: a throwing listener stops delivery — §8 rule 20.
      for (const handler of [...(handlers.get(event) ?? [])]) handler(payload);
    },
  };
}

function readCookie(doc: Document, name: string): string | null {
  for (const part of doc.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

function cookieDomain(doc: Document): string {
  const host = doc.location.hostname;
  // Browsers refuse a domain attribute for localhost and IP addresses.
  if (host === 'localhost' || /^[\d.]+$/.test(host) || host.includes(':')) return '';
  return `; domain=.${host.replace(/^www\./, '')}`;
}

function writeCookie(doc: Document, name: string, value: string, maxAgeS: number): void {
  doc.cookie = `${name}=${value}; max-age=${maxAgeS}; path=/${cookieDomain(doc)}; SameSite=Lax`;
}

function deleteCookie(doc: Document, name: string): void {
  for (const domain of ['', cookieDomain(doc)]) {
    doc.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/${domain}`;
  }
}

function randomHex(length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(Math.random() * 16).toString(16);
  return out;
}

/** Reads `hsConversationsSettings` as HubSpot does — docs/hubspot.md §2; throws on a type violation. */
function readSettings(win: StandInWindow) {
  const defaults: Record<string, unknown> = {
    loadImmediately: true,
    inlineEmbedSelector: '',
    identificationEmail: '',
    identificationToken: '',
  };
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(win.hsConversationsSettings ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  for (const [key, type] of [
    ['loadImmediately', 'boolean'],
    ['inlineEmbedSelector', 'string'],
    ['identificationEmail', 'string'],
    ['identificationToken', 'string'],
  ] as const) {
    if (typeof merged[key] !== type) {
      throw new Error(`Invariant Violation: Expected mergedSettings.${key} to be a ${type}`);
    }
  }
  return merged as {
    loadImmediately: boolean;
    inlineEmbedSelector: string;
    identificationEmail: string;
    identificationToken: string;
  };
}

function identityKey(shell: Shell): string {
  return shell.identified ? `email:${shell.email.toLowerCase()}` : `utk:${shell.utk}`;
}

function widgetRoot(win: StandInWindow): HTMLElement | null {
  const doc = win.document;
  const selector = readSettings(win).inlineEmbedSelector;
  return selector
    ? doc.getElementById('hubspot-conversations-inline-parent')
    : doc.getElementById('hubspot-messages-iframe-container');
}

// The chat UI a person sees in the demo: a launcher while closed, a panel saying who HubSpot thinks is
// chatting while open. Its buttons act through the simulators, as a visitor's clicks would.
const PANEL_CSS = `*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#33475b}
.launcher{position:fixed;right:8px;bottom:8px;width:60px;height:60px;border-radius:50%;border:0;
background:#b8431f;color:#fff;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}
.panel{display:flex;flex-direction:column;height:100vh;background:#fff}
header{background:#b8431f;color:#fff;padding:14px 16px;display:flex;justify-content:space-between;align-items:start}
header small{display:block;opacity:.85}header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}
ul{list-style:none;margin:0;padding:12px 16px;flex:1;overflow:auto}
li{background:#f5f8fa;border-radius:8px;padding:8px 10px;margin-bottom:8px}li.empty{background:none;color:#516f90}
form{display:flex;gap:8px;padding:12px 16px;border-top:1px solid #eaf0f6}
input{flex:1;padding:8px;border:1px solid #cbd6e2;border-radius:6px}
form button{background:#b8431f;color:#fff;border:0;border-radius:6px;padding:8px 12px;cursor:pointer}`;

/** A speech bubble in SVG: an emoji shows as an empty box where no emoji font is installed. */
const CHAT_ICON =
  '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

function render(win: StandInWindow, state: PageState): void {
  const shell = state.shell;
  const root = widgetRoot(win);
  if (!shell || !root) return;
  const iframe = root.querySelector('iframe');
  const threads = state.threads.get(identityKey(shell)) ?? [];
  root.dataset.threadCount = String(threads.length);
  if (!iframe) return;
  const inline = root.id === 'hubspot-conversations-inline-parent';
  const open = shell.isOpen || inline;
  if (!inline) {
    root.style.cssText = `position:fixed;right:16px;bottom:16px;z-index:2147483000;border:0;${
      open
        ? 'width:360px;height:520px;box-shadow:0 8px 30px rgba(0,0,0,.2);border-radius:10px;overflow:hidden'
        : 'width:76px;height:76px'
    }`;
  }
  iframe.style.cssText = 'width:100%;height:100%;border:0;display:block';
  const who = shell.identified ? shell.email : 'Anonymous visitor';
  const items = threads
    .map(
      (t) =>
        `<li data-conversation-id="${t.conversationId}">#${t.conversationId} ${escapeHtml(t.text)}${t.closed ? ' <em>(closed)</em>' : ''}</li>`,
    )
    .join('');
  const hooks = 'parent.__fakeHubSpot.simulate';
  const body = open
    ? `<div class="panel"><header><div><strong>Chat with us</strong>
<small data-testid="chat-identity">${escapeHtml(who)}</small></div>
${inline ? '' : `<button type="button" aria-label="Close chat" onclick="${hooks}.userClose()">×</button>`}</header>
<ul data-testid="chat-threads">${items || '<li class="empty">No conversations yet</li>'}</ul>
<form onsubmit="event.preventDefault();${hooks}.startConversation(this.text.value||'Hello')">
<input name="text" aria-label="Message" placeholder="Write a message…"><button>Start conversation</button></form></div>`
    : `<button class="launcher" type="button" aria-label="Open chat" onclick="${hooks}.userOpen()">${CHAT_ICON}</button>`;
  iframe.srcdoc = `<!doctype html><meta charset="utf-8"><style>${PANEL_CSS}</style><body>${body}</body>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function setOpen(win: StandInWindow, state: PageState, shell: Shell, open: boolean): void {
  shell.isOpen = open;
  render(win, state);
  win.document.documentElement.classList.toggle('hs-messages-widget-open', open);
  win.document
    .querySelector('#hubspot-messages-iframe-container .shadow-container')
    ?.classList.toggle('active', open);
}

function createDom(win: StandInWindow, state: PageState, shell: Shell): boolean {
  const doc = win.document;
  const selector = readSettings(win).inlineEmbedSelector;
  let root: HTMLElement;
  if (selector) {
    const target = doc.querySelector(selector);
    if (!target) {
      console.error(`cannot embed widget - element at \`${selector}\` cannot be found`);
      return false;
    }
    root = doc.createElement('div');
    root.id = 'hubspot-conversations-inline-parent';
    const iframe = doc.createElement('iframe');
    iframe.id = 'hubspot-conversations-inline-iframe';
    iframe.srcdoc = '<!doctype html>'; // same-origin and offline; render() fills it
    root.appendChild(iframe);
    target.appendChild(root);
  } else {
    if (doc.getElementById('hubspot-messages-iframe-container')) {
      console.warn('Element with id hubspot-messages-iframe-container already exists');
      return false;
    }
    root = doc.createElement('div');
    root.id = 'hubspot-messages-iframe-container';
    root.className = 'widget-align-right';
    root.setAttribute('role', 'region');
    root.setAttribute('aria-label', 'Chat Widget');
    const shadow = doc.createElement('div');
    shadow.className = 'shadow-container';
    const iframe = doc.createElement('iframe');
    iframe.id = 'hubspot-conversations-iframe';
    iframe.title = 'Chat Widget';
    iframe.dataset.testId = 'chat-widget-iframe';
    iframe.srcdoc = '<!doctype html>';
    root.append(shadow, iframe);
    doc.body.appendChild(root);
  }
  const loader = doc.getElementById('hubspot-messages-loader');
  root.dataset.portalId = loader?.dataset.hsjsPortal ?? '';
  root.dataset.identified = String(shell.identified);
  root.dataset.identificationEmail = shell.email;
  root.dataset.messagesUtk = shell.utk;
  root.dataset.shellGeneration = String(shell.generation);
  render(win, state);
  return true;
}

function loadWidget(win: StandInWindow, state: PageState, shell: Shell, widgetOpen = false): void {
  if (shell.pending || shell.loaded) {
    log(state, 'load ignored: pending or loaded');
    return;
  }
  const config = state.fake.config;
  shell.pending = true;
  if (widgetOpen) writeCookie(win.document, 'hs-messages-is-open', 'true', 30 * 60);
  later(state, config.widgetDataDelayMs ?? 30, async () => {
    // HubSpot checks the identification token when it fetches the widget data.
    await shell.verifying;
    if (!shell.alive || !shell.pending) return;
    const show = config.targeting ? config.targeting(win.location.href) : true;
    if (!show) {
      shell.pending = false;
      return;
    }
    later(state, config.displayDelayMs ?? 0, () => {
      if (!shell.alive || !shell.pending) return;
      if (!createDom(win, state, shell)) return; // stays pending, as the real one does
      later(state, config.iframeLoadDelayMs ?? 20, () => {
        if (!shell.alive || !widgetRoot(win)) return;
        shell.loaded = true;
        shell.pending = false;
        later(state, 0, () => {
          if (!shell.alive) return;
          shell.emitter.emit('widgetLoaded', { message: 'widget has loaded' });
          const inline = Boolean(readSettings(win).inlineEmbedSelector);
          const openCookie = readCookie(win.document, 'hs-messages-is-open') === 'true';
          if (inline || openCookie || win.location.hash.includes('#hs-chat-open')) {
            setOpen(win, state, shell, true);
          }
          if (!shell.identified && !readCookie(win.document, 'messagesUtk')) {
            writeCookie(win.document, 'messagesUtk', shell.utk, THIRTEEN_MONTHS_S);
          }
        });
      });
    });
  });
}

function log(state: PageState, message: string): void {
  if (state.debug) console.log(`HubSpot Conversations log: ${message}`);
}

function checkListener(event: unknown, fn: unknown): asserts fn is Handler {
  if (typeof event !== 'string' || typeof fn !== 'function') {
    throw new Error('Invariant Violation: on/off expects an event name and a function');
  }
}

function emitterApi(emitter: Emitter) {
  return {
    on(event: string, fn: Handler) {
      checkListener(event, fn);
      emitter.handlers.set(event, [...(emitter.handlers.get(event) ?? []), fn]);
    },
    off(event: string, fn: Handler) {
      checkListener(event, fn);
      emitter.handlers.set(
        event,
        (emitter.handlers.get(event) ?? []).filter((h) => h !== fn),
      );
    },
  };
}

/** Drops a `load`/`refresh` call that comes within a second of the previous one (page-wide). */
function throttled(state: PageState, kind: 'lastLoadAt' | 'lastRefreshAt'): boolean {
  const now = Date.now();
  if (now - state[kind] < THROTTLE_MS) {
    log(state, `${kind === 'lastLoadAt' ? 'load' : 'refresh'} throttled`);
    return true;
  }
  state[kind] = now;
  return false;
}

function flushOnReady(win: StandInWindow, state: PageState): void {
  state.onReadyFlushCount++;
  const callbacks = win.hsConversationsOnReady;
  if (!Array.isArray(callbacks)) return;
  for (const callback of [...callbacks]) {
    try {
      if (typeof callback === 'function') callback();
    } catch (error) {
      log(state, `onReady callback failed: ${String(error)}`);
    }
  }
}

function createShell(win: StandInWindow, state: PageState, emitter: Emitter): Shell | null {
  if (win.hubspot_live_messages_running) {
    console.warn('duplicate instance of live chat exists on page');
    return null;
  }
  win.hubspot_live_messages_running = true;
  const settings = readSettings(win);
  const email = settings.identificationEmail;
  const token = settings.identificationToken;
  const verify =
    state.fake.config.verifyToken ??
    ((e: string, t: string) => {
      const issued = state.tokens.get(t);
      return Boolean(
        issued && issued.email.toLowerCase() === e.toLowerCase() && issued.expiresAt > Date.now(),
      );
    });
  state.lastIdentityError = null;
  state.shells.push({ generation: state.shellGeneration + 1, email, at: Date.now() });
  const shell: Shell = {
    generation: ++state.shellGeneration,
    email: '',
    identified: false,
    verifying: null,
    utk: readCookie(win.document, 'messagesUtk') ?? randomHex(32),
    emitter,
    loaded: false,
    pending: false,
    isOpen: false,
    associated: false,
    alive: true,
  };
  const decide = (accepted: boolean) => {
    shell.identified = accepted;
    shell.email = accepted ? email : '';
    if (!accepted) state.lastIdentityError = `token rejected for ${email}`;
  };
  if (email) {
    const verdict = token ? verify(email, token) : false;
    if (typeof verdict === 'boolean') decide(verdict);
    else shell.verifying = verdict.then(decide, () => decide(false));
  }
  state.shell = shell;
  state.emitter = emitter;
  win.HubSpotConversations = realApi(win, state, shell);
  flushOnReady(win, state);
  return shell;
}

function removeDom(win: StandInWindow, state: PageState): void {
  widgetRoot(win)?.remove();
  if (state.shell) {
    state.shell.loaded = false;
    state.shell.pending = false;
  }
}

function reset(win: StandInWindow, state: PageState): void {
  removeDom(win, state);
  if (state.shell) state.shell.alive = false;
  state.shell = null;
  win.hubspot_live_messages_running = false;
  init(win, state);
}

function clearCookies(win: StandInWindow): void {
  for (const name of CHAT_COOKIES) deleteCookie(win.document, name);
}

function realApi(win: StandInWindow, state: PageState, shell: Shell) {
  const whenShell = (fn: () => void) => () => {
    if (shell.alive) fn();
  };
  return {
    ...emitterApi(shell.emitter),
    widget: {
      load(options: { widgetOpen?: boolean } = {}) {
        state.loadCalls++;
        if (throttled(state, 'lastLoadAt')) return;
        loadWidget(win, state, shell, options.widgetOpen);
      },
      refresh(options: { openToNewThread?: boolean; setIdentification?: boolean } = {}) {
        state.refreshCalls++;
        if (throttled(state, 'lastRefreshAt')) return;
        if (options.setIdentification) log(state, 'setIdentification ignored');
        if (shell.pending && !shell.loaded) return;
        if (!shell.loaded) return loadWidget(win, state, shell);
        later(state, state.fake.config.widgetDataDelayMs ?? 30, () => {
          const root = widgetRoot(win);
          if (!shell.alive || !root) return;
          const config = state.fake.config;
          if (config.targeting && !config.targeting(win.location.href))
            return removeDom(win, state);
          root.dataset.refreshCount = String(Number(root.dataset.refreshCount ?? 0) + 1);
          if (options.openToNewThread) root.dataset.newThread = 'true';
        });
      },
      open: whenShell(() => {
        if (!widgetRoot(win) || shell.isOpen) return;
        later(state, 0, () => shell.alive && setOpen(win, state, shell, true));
      }),
      close: whenShell(() => {
        if (!widgetRoot(win) || !shell.isOpen) return;
        later(state, 0, () => shell.alive && setOpen(win, state, shell, false));
      }),
      remove: whenShell(() => removeDom(win, state)),
      status: () =>
        state.fake.config.statusWithoutPending
          ? { loaded: shell.loaded }
          : { loaded: shell.loaded, pending: shell.pending },
    },
    clear(options: { resetWidget?: boolean } = {}) {
      if (!shell.alive) return;
      clearCookies(win);
      if (options.resetWidget) reset(win, state);
    },
    resetAndReloadWidget() {
      if (!shell.alive) return;
      removeDom(win, state);
      clearCookies(win);
      win.__hsUserToken = '';
      reset(win, state);
    },
    debug(on: boolean) {
      state.debug = on;
    },
  };
}

function stubApi(win: StandInWindow, state: PageState, emitter: Emitter) {
  const warn = () => console.warn(LAZY_WARNING);
  let used = false;
  return {
    ...emitterApi(emitter),
    widget: {
      // The stub ignores its arguments: `{widgetOpen:true}` is dropped — docs/hubspot.md §6.4.
      load() {
        state.loadCalls++;
        if (used || throttled(state, 'lastLoadAt')) return;
        const shell = createShell(win, state, emitter);
        if (!shell) return;
        used = true;
        loadWidget(win, state, shell);
      },
      refresh: warn,
      open: warn,
      close: warn,
      remove: warn,
      status: () =>
        state.fake.config.statusWithoutPending
          ? { loaded: false }
          : { loaded: false, pending: false },
    },
    clear: warn,
    resetAndReloadWidget: warn,
    debug: warn,
  };
}

function init(win: StandInWindow, state: PageState): void {
  const config = state.fake.config;
  if (config.unsupported) return;
  let settings: ReturnType<typeof readSettings>;
  try {
    settings = readSettings(win);
  } catch (error) {
    console.error((error as Error).message);
    return;
  }
  const emitter = createEmitter();
  if (settings.loadImmediately === false) {
    state.emitter = emitter;
    win.HubSpotConversations = stubApi(win, state, emitter);
    flushOnReady(win, state);
    return;
  }
  const shell = createShell(win, state, emitter);
  if (shell) loadWidget(win, state, shell);
}

function createHooks(win: StandInWindow, state: PageState, config: StandInConfig): FakeHubSpot {
  const whenLoaded =
    <A extends unknown[], R>(fn: (shell: Shell, ...args: A) => R) =>
    (...args: A): R | undefined => {
      const shell = state.shell;
      return shell?.loaded && shell.alive ? fn(shell, ...args) : undefined;
    };
  return {
    config,
    issueToken(email, { ttlMs = 12 * 3600 * 1000 } = {}) {
      const token = `fake.${randomHex(16)}.${randomHex(24)}`;
      state.tokens.set(token, { email, expiresAt: Date.now() + ttlMs });
      return token;
    },
    state() {
      const shell = state.shell;
      const listenerCounts: Record<string, number> = {};
      for (const [event, handlers] of state.emitter?.handlers ?? []) {
        if (handlers.length) listenerCounts[event] = handlers.length;
      }
      return {
        shellGeneration: state.shellGeneration,
        loaded: shell?.loaded ?? false,
        pending: shell?.pending ?? false,
        isOpen: shell?.isOpen ?? false,
        identity: { email: shell?.email ?? '', identified: shell?.identified ?? false },
        messagesUtk: readCookie(win.document, 'messagesUtk'),
        cookies: Object.fromEntries(
          [...CHAT_COOKIES, ...TRACKING_COOKIES]
            .map((name) => [name, readCookie(win.document, name)])
            .filter((entry): entry is [string, string] => entry[1] !== null),
        ),
        listenerCounts,
        onReadyFlushCount: state.onReadyFlushCount,
        loadCalls: state.loadCalls,
        refreshCalls: state.refreshCalls,
        visibleThreads: shell ? [...(state.threads.get(identityKey(shell)) ?? [])] : [],
        lastIdentityError: state.lastIdentityError,
        shells: state.shells.map((entry) => ({ ...entry })),
        hsq: [...((win as { _hsq?: unknown[] })._hsq ?? [])],
        hsp: [...((win as { _hsp?: unknown[] })._hsp ?? [])],
      };
    },
    simulate: {
      userOpen: whenLoaded((shell) => {
        shell.emitter.emit('userInteractedWithWidget', { message: 'visitor opened the chat' });
        writeCookie(win.document, 'hs-messages-is-open', 'true', 30 * 60);
        setOpen(win, state, shell, true);
      }),
      userClose: whenLoaded((shell) => {
        shell.emitter.emit('widgetClosed', { message: 'visitor closed the chat' });
        writeCookie(win.document, 'hs-messages-is-open', 'false', 30 * 60);
        setOpen(win, state, shell, false);
      }),
      startConversation: whenLoaded((shell, text = 'Hello') => {
        const conversationId = state.nextConversationId++;
        const key = identityKey(shell);
        state.threads.set(key, [
          ...(state.threads.get(key) ?? []),
          { conversationId, text, closed: false },
        ]);
        render(win, state);
        const payload = { conversation: { conversationId } };
        shell.emitter.emit('userSelectedThread', payload);
        shell.emitter.emit('conversationStarted', payload);
        if (shell.identified && !shell.associated) {
          shell.associated = true;
          shell.emitter.emit('contactAssociated', { message: 'visitor associated with contact' });
        }
        return conversationId;
      }),
      agentClose: whenLoaded((shell, conversationId: number) => {
        for (const threads of state.threads.values()) {
          for (const thread of threads)
            if (thread.conversationId === conversationId) thread.closed = true;
        }
        render(win, state);
        shell.emitter.emit('conversationClosed', { conversation: { conversationId } });
      }),
      unread: whenLoaded((shell, unreadCount: number) => {
        shell.emitter.emit('unreadConversationCountChanged', { unreadCount });
      }),
      quickReply: whenLoaded((shell, label: string) => {
        shell.emitter.emit('quickReplyButtonClick', {
          name: 'QUICK_REPLIES',
          multiSelect: false,
          value: [label],
        });
      }),
    },
    stop() {
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      if (state.shell) state.shell.alive = false;
    },
  };
}

/** What HubSpot's loader (`js.hs-scripts.com/{portalId}.js`) does: insert the chat script once. */
export function runLoader(win: Window, loaderSrc: string, embedSrc: string): void {
  const w = win as StandInWindow;
  page(w);
  const doc = w.document;
  if (!doc.getElementById('hubspot-messages-loader')) {
    const match = LOADER_URL_PATTERN.exec(loaderSrc);
    const portal = match?.[2] ?? new URL(loaderSrc, doc.baseURI).searchParams.get('portal') ?? '0';
    const script = doc.createElement('script');
    script.id = 'hubspot-messages-loader';
    script.src = embedSrc;
    script.dataset.loader = 'hs-scriptloader';
    script.dataset.hsjsPortal = portal;
    script.dataset.hsjsEnv = 'prod';
    script.dataset.hsjsHublet = match?.[1] === '-eu1' ? 'eu1' : 'na1';
    doc.body.appendChild(script);
  }
  (w as unknown as { _hsq?: unknown[] })._hsq ??= [];
}

/** What HubSpot's chat script (`conversations-embed.js`) does when it runs. */
export function runEmbed(win: Window): void {
  const w = win as StandInWindow;
  const state = page(w);
  const doc = w.document;
  const loader = doc.getElementById('hubspot-messages-loader');
  if (!loader) {
    console.error('HubSpot Conversations: #hubspot-messages-loader is missing; not starting');
    return;
  }
  if (state.fake.config.blocked) return;
  const start = () => later(state, state.fake.config.initDelayMs ?? 0, () => init(w, state));
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}

/** The stand-in's hooks for `win`, created on first use; `config` is merged into its knobs. */
export function fakeHubSpot(win: Window, config: StandInConfig = {}): FakeHubSpot {
  const fake = page(win as StandInWindow).fake;
  Object.assign(fake.config, config);
  return fake;
}
