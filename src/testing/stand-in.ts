// An offline stand-in for HubSpot's chat loader and widget script, following what HubSpot's real
// embed does (docs/testing.md, "How HubSpot's embed behaves"; the rules are cited below as §E1…).
// It reproduces the observable contract the SDK relies on (stub before the first load, identity
// captured per shell, reset = new API object and new emitter while the old shell finishes its work,
// the deferred one-a-second throttle per shell, the chat cookies) and adds test hooks under
// `window.__fakeHubSpot` that the SDK itself never reads. The conformance test
// (e2e/real-widget/conformance.spec.ts) runs the same probes against it and the real embed.

/** Knobs, set on `window.__fakeHubSpot.config` before the script runs. */
export interface StandInConfig {
  /** The embed script defines nothing, as when an ad blocker stops it. */
  blocked?: boolean;
  /** No API is ever created and ready callbacks never run, as on unsupported browsers. */
  unsupported?: boolean;
  /**
   * Whether a chatflow targets `url`, the page's address when the widget-data request went out;
   * false hides the widget (no iframe, no `widgetLoaded`; the event `widgetHidden`
   * `{ reason: 'NO_MATCHING_CHATFLOW', description }`) — §E5.
   */
  targeting?: (url: string) => boolean;
  /** A chatflow display delay: the widget stays `pending` this long. */
  displayDelayMs?: number;
  /** Delay between the script running and the API appearing; default 0 (one macrotask). */
  initDelayMs?: number;
  /** Delay of the widget-data request; default 30. */
  widgetDataDelayMs?: number;
  /**
   * The widget-data request fails (as on an HTTP 500): the shell stays `{ loaded: false, pending:
   * true }` and `load()`/`refresh()` make no request until `remove()` — §E6.
   */
  widgetDataFails?: boolean;
  /**
   * Ask for the widget data with an `XMLHttpRequest` to HubSpot's own URL
   * (`https://api.hubspot.com/livechat-public/v1/message/public?…messagesUtk&email&identificationToken`)
   * and follow its answer (`HIDE_WIDGET`, an HTTP error, a chatflow display delay) instead of
   * `targeting`, `widgetDataFails`, `displayDelayMs` and `widgetDataDelayMs` — §E6. Off by default:
   * unit tests and the demo stay offline; for browser tests that answer HubSpot's hosts themselves.
   * Either way `state().widgetRequests` lists every request.
   */
  widgetDataXhr?: boolean;
  /**
   * `widget.refresh({ setIdentification: true })` is ignored, as in HubSpot builds before 1.26137;
   * by default it re-reads `identificationEmail`/`identificationToken` into the live shell — §E7.
   */
  ignoreSetIdentification?: boolean;
  /**
   * The chat panel asks the shell to store `messagesUtk` as it starts, just before its `load` (HubSpot's
   * iframe sends `store-messages-cookie` when it decides to; a removed panel asks nothing) — §E8.
   * Default true; false waits for such a message.
   */
  iframeStoresUtk?: boolean;
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
   * flag that current builds add (and build 1.7458 lacks) — §E4.
   */
  statusWithoutPending?: boolean;
  /**
   * The loader sets HubSpot's tracking cookies (`hubspotutk`, `__hstc`, `__hssc`, `__hssrc`) as it
   * runs, as the tracking code it brings does; not once `['doNotTrack']` is on `_hsq`. Default
   * `true`; `false` for a page without HubSpot's tracking.
   */
  trackingCookies?: boolean;
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
  /** The identity of the shell behind `window.HubSpotConversations`. */
  identity: { email: string; identified: boolean };
  /**
   * The shell whose iframe is in `#hubspot-messages-iframe-container` (or the inline parent) now, or
   * null: after a reset it may be an old shell, with the previous identity — §E2.
   */
  shown: { generation: number; email: string; identified: boolean } | null;
  /** Every widget-data request a shell made, in order: whose identity it asked for — §E6. */
  widgetRequests: Array<{
    generation: number;
    messagesUtk: string;
    email: string | null;
    token: string | null;
    at: number;
  }>;
  messagesUtk: string | null;
  /** HubSpot's cookies now on the page (chat and tracking), by name. */
  cookies: Record<string, string>;
  listenerCounts: Record<string, number>;
  onReadyFlushCount: number;
  loadCalls: number;
  refreshCalls: number;
  visibleThreads: StandInThread[];
  lastIdentityError: string | null;
  /** Every shell created on this page: the identity it was created with, and when (epoch ms). */
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
  /** Cancels every pending stand-in timer and request, and stops every shell (used by `uninstall()`). */
  stop(): void;
}

type Handler = (payload: unknown) => void;

interface Emitter {
  handlers: Map<string, Handler[]>;
  emit(event: string, payload: unknown): void;
}

interface Shell {
  generation: number;
  /** What the settings said when the shell read them (at creation, or `setIdentification`). */
  asked: { email: string; token: string };
  /** The identity HubSpot accepted: `asked.email` if its token passed `verifyToken`, else ''. */
  email: string;
  identified: boolean;
  /** An asynchronous `verifyToken` still deciding; the widget data waits for it. */
  verifying: Promise<void> | null;
  utk: string;
  /** Ties the iframe's messages to this shell, as HubSpot's `iframeUuid` does. */
  uuid: string;
  emitter: Emitter;
  loaded: boolean;
  pending: boolean;
  isOpen: boolean;
  associated: boolean;
  /** `widget.load()` and `widget.refresh()`, each behind this shell's own throttle — §E3. */
  load: (options?: { widgetOpen?: boolean }) => void;
  refresh: (options?: { openToNewThread?: boolean; setIdentification?: boolean }) => void;
}

/** Widget data as the shell understood it: hide, or show after a display delay. */
type WidgetData =
  | { hide: true; reason: string; description: string }
  | { hide: false; displayDelayMs: number };

interface PageState {
  fake: FakeHubSpot;
  shell: Shell | null;
  emitter: Emitter | null;
  shellGeneration: number;
  onReadyFlushCount: number;
  loadCalls: number;
  refreshCalls: number;
  /** The container on the page and the shell that inserted it. */
  container: { root: HTMLElement; shell: Shell } | null;
  widgetRequests: StandInState['widgetRequests'];
  /** Listeners and requests to drop at `stop()`. */
  cleanups: Set<() => void>;
  stopped: boolean;
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
/** What `clear()` deletes — §E9. */
const CHAT_COOKIES = [
  'messagesUtk',
  'hs-messages-is-open',
  'hs-messages-hide-welcome-message',
  'hs-messages-widget-position_right',
  'hs-messages-widget-position_left',
  'hs-messages-widget-size',
];
/** HubSpot's tracking cookies: `clear()` leaves them; `state().cookies` reports them. */
const TRACKING_COOKIES = ['hubspotutk', '__hstc', '__hssc', '__hssrc'];
/** HubSpot's default cookie lifetime, 180 days — §E8. */
const SIX_MONTHS_S = 180 * 24 * 3600;
const CONTAINER_ID = 'hubspot-messages-iframe-container';
const ALREADY_EXISTS = `Element with id ${CONTAINER_ID} already exists. Unable to load HubSpot Conversations Widget.`;
const WIDGET_DATA_URL = 'https://api.hubspot.com/livechat-public/v1/message/public';

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
    container: null,
    widgetRequests: [],
    cleanups: new Set(),
    stopped: false,
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
  if (state.stopped) return;
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    fn();
  }, ms);
  state.timers.add(timer);
}

/**
 * HubSpot's throttle, one per shell and method — §E3: the first call runs at once; calls inside the
 * next second are deferred, and the last of them (with its arguments) runs when the second ends.
 */
function throttle<A extends unknown[]>(state: PageState, fn: (...args: A) => void) {
  let waiting = false;
  let deferred: (() => void) | null = null;
  return (...args: A): void => {
    if (waiting) {
      deferred = () => fn(...args);
      return;
    }
    waiting = true;
    fn(...args);
    later(state, THROTTLE_MS, () => {
      waiting = false;
      const run = deferred;
      deferred = null;
      run?.();
    });
  };
}

function createEmitter(): Emitter {
  const handlers = new Map<string, Handler[]>();
  return {
    handlers,
    emit(event, payload) {
      // Synchronous, in order, and not isolated: a throwing listener stops delivery — HubSpot's emitter does the same.
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
  const secure = doc.location.protocol === 'https:' ? '; Secure' : '';
  doc.cookie = `${name}=${value}; max-age=${maxAgeS}; path=/${cookieDomain(doc)}; SameSite=Lax${secure}`;
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

/** Reads `hsConversationsSettings` as HubSpot does — §E1; throws on a type violation. */
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
    : doc.getElementById(CONTAINER_ID);
}

// The chat UI a person sees in the demo: a launcher while closed, a panel saying who HubSpot thinks is
// chatting while open. Its buttons act through the simulators, as a visitor's clicks would.
const PANEL_CSS = `*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#33475b}
.launcher{position:fixed;right:8px;bottom:8px;width:60px;height:60px;border-radius:50%;border:0;
background:#b8431f;color:#fff;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}
.panel{display:flex;flex-direction:column;height:100vh;background:#fff}
.head{background:#b8431f;color:#fff;padding:14px 16px;display:flex;justify-content:space-between;align-items:start}
h1{font-size:14px;margin:0}.head small{display:block}.head button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}
ul{list-style:none;margin:0;padding:12px 16px;flex:1;overflow:auto}
li{background:#f5f8fa;border-radius:8px;padding:8px 10px;margin-bottom:8px}li.empty{background:none;color:#516f90}
form{display:flex;gap:8px;padding:12px 16px;border-top:1px solid #eaf0f6}
input{flex:1;padding:8px;border:1px solid #cbd6e2;border-radius:6px}
form button{background:#b8431f;color:#fff;border:0;border-radius:6px;padding:8px 12px;cursor:pointer}`;

/** A speech bubble in SVG: an emoji shows as an empty box where no emoji font is installed. */
const CHAT_ICON =
  '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

/** The shell whose iframe is on the page now, if its container is still there. */
function shownShell(win: StandInWindow, state: PageState): Shell | null {
  const container = state.container;
  return container?.root.isConnected && container.root === widgetRoot(win) ? container.shell : null;
}

function render(win: StandInWindow, state: PageState): void {
  const shell = shownShell(win, state);
  const root = widgetRoot(win);
  if (!shell || !root) return;
  const iframe = root.querySelector('iframe');
  const threads = state.threads.get(identityKey(shell)) ?? [];
  root.dataset.threadCount = String(threads.length);
  root.dataset.identified = String(shell.identified);
  root.dataset.identificationEmail = shell.email;
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
    ? `<main class="panel"><div class="head"><div><h1>Chat with us</h1>
<small data-testid="chat-identity">${escapeHtml(who)}</small></div>
${inline ? '' : `<button type="button" aria-label="Close chat" onclick="${hooks}.userClose()">×</button>`}</div>
<ul data-testid="chat-threads">${items || '<li class="empty">No conversations yet</li>'}</ul>
<form onsubmit="event.preventDefault();${hooks}.startConversation(this.text.value||'Hello')">
<input name="text" aria-label="Message" placeholder="Write a message…"><button>Start conversation</button></form></main>`
    : `<button class="launcher" type="button" aria-label="Open chat" onclick="${hooks}.userOpen()">${CHAT_ICON}</button>`;
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Chat</title><style>${PANEL_CSS}</style><body>${body}</body>`;
  // Unchanged (a token refresh for the same visitor): left as it is, so what the visitor is typing stays.
  if (iframe.srcdoc !== html) iframe.srcdoc = html;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function setOpen(win: StandInWindow, state: PageState, shell: Shell, open: boolean): void {
  shell.isOpen = open;
  render(win, state);
  win.document.documentElement.classList.toggle('hs-messages-widget-open', open);
  win.document
    .querySelector(`#${CONTAINER_ID} .hs-shadow-container`)
    ?.classList.toggle('active', open);
}

/**
 * The iframe's address, as HubSpot builds it: it carries the shell's `messagesUtk` (never the
 * identity) — §E10. The stand-in's panel is the iframe's `srcdoc`, which browsers and happy-dom load
 * instead of `src`, so nothing is fetched.
 */
function iframeSrc(win: StandInWindow, shell: Shell): string {
  const loader = win.document.getElementById('hubspot-messages-loader');
  const hublet = loader?.dataset.hsjsHublet ?? 'na1';
  const host = hublet === 'na1' ? 'app.hubspot.com' : `app-${hublet}.hubspot.com`;
  const portal = loader?.dataset.hsjsPortal ?? '';
  return `https://${host}/conversations-visitor/${portal}/threads/utk/${shell.utk}?uuid=${shell.uuid}&mobile=false`;
}

/** HubSpot's `loadIFrame`: refused when a container is already there — §E2. */
function createDom(win: StandInWindow, state: PageState, shell: Shell): boolean {
  const doc = win.document;
  const selector = readSettings(win).inlineEmbedSelector;
  let root: HTMLElement;
  const iframe = doc.createElement('iframe');
  iframe.srcdoc = '<!doctype html>'; // before `src`: the srcdoc wins and nothing is fetched
  iframe.setAttribute('src', iframeSrc(win, shell));
  iframe.title = 'Chat Widget';
  iframe.allowFullscreen = true;
  iframe.dataset.testId = 'chat-widget-iframe';
  if (selector) {
    const target = doc.querySelector(selector);
    if (!target) {
      console.error(`cannot embed widget - element at \`${selector}\` cannot be found`);
      return false;
    }
    root = doc.createElement('div');
    root.id = 'hubspot-conversations-inline-parent';
    iframe.id = 'hubspot-conversations-inline-iframe';
    root.appendChild(iframe);
    target.appendChild(root);
  } else {
    if (doc.getElementById(CONTAINER_ID)) {
      console.warn(ALREADY_EXISTS);
      return false;
    }
    root = doc.createElement('div');
    root.id = CONTAINER_ID;
    root.className = 'widget-align-right';
    root.setAttribute('role', 'region');
    root.setAttribute('aria-label', 'Chat Widget');
    const shadow = doc.createElement('div');
    shadow.className = 'hs-shadow-container';
    iframe.id = 'hubspot-conversations-iframe';
    root.append(shadow, iframe);
    doc.body.appendChild(root);
  }
  state.container = { root, shell };
  const loader = doc.getElementById('hubspot-messages-loader');
  root.dataset.portalId = loader?.dataset.hsjsPortal ?? '';
  root.dataset.messagesUtk = shell.utk;
  root.dataset.shellGeneration = String(shell.generation);
  render(win, state);
  return true;
}

/** HubSpot's `setMessagesUtk`, run when the iframe asks (`store-messages-cookie`) — §E8. */
function storeMessagesUtk(win: StandInWindow, utk: string): void {
  writeCookie(win.document, 'messagesUtk', utk, SIX_MONTHS_S);
}

/** The iframe has loaded: `loaded`, then `widgetLoaded` in a macrotask — §E4. */
function iframeLoaded(win: StandInWindow, state: PageState, shell: Shell, root: HTMLElement): void {
  if (!root.isConnected) return; // a removed iframe never loads
  // The panel asks as it starts, before its `load` (HubSpot's visitor UI asks when it decides to);
  // a removed panel asks nothing.
  if (state.fake.config.iframeStoresUtk !== false) storeMessagesUtk(win, shell.utk);
  shell.loaded = true;
  shell.pending = false;
  later(state, 0, () => {
    shell.emitter.emit('widgetLoaded', { message: 'widget has loaded' });
    if (!root.isConnected) return;
    const inline = root.id === 'hubspot-conversations-inline-parent';
    const openCookie = readCookie(win.document, 'hs-messages-is-open') === 'true';
    if (inline || openCookie || win.location.hash.includes('#hs-chat-open')) {
      setOpen(win, state, shell, true);
    }
  });
}

/** HubSpot's `loadIFrame` after the widget data (and any display delay). */
function insertIframe(win: StandInWindow, state: PageState, shell: Shell): void {
  if (!createDom(win, state, shell)) return; // stays pending, as the real one does — §E2
  const root = state.container?.root;
  const iframe = root?.querySelector('iframe');
  if (!root || !iframe) return;
  // As HubSpot does: the shell hears its iframe's `load` first (its listener comes before anyone
  // else's), and marks itself loaded there — §E4. The stand-in's iframe has no page to load, so
  // the event comes from here (also in happy-dom, which loads no iframe).
  iframe.addEventListener('load', () => iframeLoaded(win, state, shell, root), { once: true });
  // The page's own Event: a DOM emulation (happy-dom) refuses another realm's.
  const PageEvent = iframe.ownerDocument.defaultView?.Event ?? Event;
  later(state, state.fake.config.iframeLoadDelayMs ?? 20, () =>
    iframe.dispatchEvent(new PageEvent('load')),
  );
}

/** Reads HubSpot's widget-data answer as its `handleTargetingAndDelay` does — §E5. */
function readWidgetData(body: unknown): WidgetData {
  const data = (body ?? {}) as {
    '@type'?: string;
    metadata?: { reason?: string; description?: string };
    message?: {
      popOpenWidget?: boolean;
      popOpenWelcomeMessage?: boolean;
      clientTriggers?: { displayOnTimeDelay?: { enabled?: boolean; timeDelaySeconds?: number } };
    };
  };
  if (data['@type'] === 'HIDE_WIDGET') {
    return {
      hide: true,
      reason: data.metadata?.reason ?? '',
      description: data.metadata?.description ?? '',
    };
  }
  const delay = data.message?.clientTriggers?.displayOnTimeDelay;
  const popOpen = data.message?.popOpenWidget || data.message?.popOpenWelcomeMessage;
  return {
    hide: false,
    displayDelayMs: delay?.enabled && !popOpen ? (delay.timeDelaySeconds ?? 0) * 1000 : 0,
  };
}

/**
 * One widget-data request with the shell's identity and `messagesUtk` — §E6: `onData` with the
 * answer; nothing at all on a failure (the caller's `pending` stays as it is).
 */
function requestWidgetData(
  win: StandInWindow,
  state: PageState,
  shell: Shell,
  onData: (data: WidgetData) => void,
): void {
  const config = state.fake.config;
  const { email, token } = shell.asked;
  state.widgetRequests.push({
    generation: shell.generation,
    messagesUtk: shell.utk,
    email: email || null,
    token: token || null,
    at: Date.now(),
  });
  // HubSpot checks the identification token when it answers the widget-data request.
  const answer = async (data: WidgetData) => {
    await shell.verifying;
    if (!state.stopped) onData(data);
  };
  if (config.widgetDataXhr) {
    const portal = win.document.getElementById('hubspot-messages-loader')?.dataset.hsjsPortal ?? '';
    const query = [
      `portalId=${portal}`,
      'conversations-embed=stand-in',
      'mobile=false',
      `messagesUtk=${shell.utk}`,
      `traceId=${shell.utk}`,
      `identificationToken=${token}`, // raw, as HubSpot sends it
      `email=${encodeURIComponent(email)}`,
    ].join('&');
    const xhr = new (win as unknown as typeof globalThis).XMLHttpRequest();
    xhr.addEventListener('readystatechange', () => {
      if (xhr.readyState !== 4 || state.stopped) return;
      if (xhr.status !== 200 && xhr.status !== 304) {
        if (xhr.status !== 204 && xhr.status !== 404)
          console.warn('Initial messages API call failed');
        return;
      }
      try {
        void answer(readWidgetData(JSON.parse(xhr.responseText)));
      } catch {
        console.warn('Initial messages API response is invalid');
      }
    });
    xhr.open('GET', `${WIDGET_DATA_URL}?${query}`);
    xhr.setRequestHeader('X-HubSpot-Messages-Uri', win.location.href);
    xhr.send();
    const abort = () => xhr.abort();
    state.cleanups.add(abort);
    return;
  }
  // The page's address goes with the request (header X-HubSpot-Messages-Uri): the answer is about it.
  const url = win.location.href;
  later(state, config.widgetDataDelayMs ?? 30, () => {
    if (config.widgetDataFails) {
      console.warn('Initial messages API call failed');
      return;
    }
    const show = config.targeting ? config.targeting(url) : true;
    void answer(
      show
        ? { hide: false, displayDelayMs: config.displayDelayMs ?? 0 }
        : {
            hide: true,
            reason: 'NO_MATCHING_CHATFLOW',
            description: 'No chatflow targets this URL',
          },
    );
  });
}

/**
 * HubSpot's `loadWidget` — §E4: a no-op while pending or loaded. What it starts always finishes,
 * even after `remove()` or a reset: the widget data, the display delay, then the iframe — §E2.
 */
function loadWidget(win: StandInWindow, state: PageState, shell: Shell, widgetOpen = false): void {
  if (shell.pending || shell.loaded) {
    log(state, `Cannot load the widget - it is ${shell.pending ? 'being loaded' : 'loaded'}.`);
    return;
  }
  shell.pending = true;
  if (widgetOpen) writeCookie(win.document, 'hs-messages-is-open', 'true', 30 * 60);
  requestWidgetData(win, state, shell, (data) => {
    if (data.hide) {
      shell.loaded = false;
      shell.pending = false;
      shell.emitter.emit('widgetHidden', { reason: data.reason, description: data.description });
      return;
    }
    if (data.displayDelayMs > 0)
      later(state, data.displayDelayMs, () => insertIframe(win, state, shell));
    else insertIframe(win, state, shell);
  });
}

/** HubSpot's `requestWidgetRefresh` — §E7. */
function refreshWidget(
  win: StandInWindow,
  state: PageState,
  shell: Shell,
  options: { openToNewThread?: boolean; setIdentification?: boolean },
): void {
  if (!shell.loaded && shell.pending) {
    log(state, 'Cannot refresh the widget - it is currently loading.');
    return;
  }
  if (!shell.loaded) {
    loadWidget(win, state, shell);
    return;
  }
  if (options.setIdentification) {
    if (state.fake.config.ignoreSetIdentification) log(state, 'setIdentification ignored');
    else identify(win, state, shell);
  }
  requestWidgetData(win, state, shell, (data) => {
    if (data.hide) {
      removeDom(win, shell);
      return;
    }
    const root = widgetRoot(win);
    if (!root) return;
    root.dataset.refreshCount = String(Number(root.dataset.refreshCount ?? 0) + 1);
    if (options.openToNewThread) root.dataset.newThread = 'true';
    render(win, state);
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

/**
 * Reads the identity from the settings into `shell` and checks its token: at creation, and on
 * `refresh({ setIdentification: true })` — §E7.
 */
function identify(win: StandInWindow, state: PageState, shell: Shell): void {
  const settings = readSettings(win);
  const email = settings.identificationEmail;
  const token = settings.identificationToken;
  shell.asked = { email, token };
  const verify =
    state.fake.config.verifyToken ??
    ((e: string, t: string) => {
      const issued = state.tokens.get(t);
      return Boolean(
        issued && issued.email.toLowerCase() === e.toLowerCase() && issued.expiresAt > Date.now(),
      );
    });
  state.lastIdentityError = null;
  const decide = (accepted: boolean) => {
    if (shell.asked.email !== email || shell.asked.token !== token) return; // read again since
    shell.identified = accepted;
    shell.email = accepted ? email : '';
    if (!accepted && email) {
      state.lastIdentityError = `token rejected for ${email}`;
      // HubSpot's own widget rejects silently; a stand-in that did the same hid every setup mistake.
      console.warn(
        `HubSpot stand-in: did not accept the identification token for ${email} (verifyToken said no, or failed); the widget shows an anonymous visitor. The stand-in accepts the tokens it issued (fake.issueToken, the demo backend) unless window.__fakeHubSpot = { config: { verifyToken } } says otherwise (docs/local-development.md).`,
      );
    }
    render(win, state);
  };
  shell.verifying = null;
  if (!email) {
    decide(false);
    return;
  }
  const verdict = token ? verify(email, token) : false;
  if (typeof verdict === 'boolean') decide(verdict);
  else shell.verifying = verdict.then(decide, () => decide(false));
}

function createShell(win: StandInWindow, state: PageState, emitter: Emitter): Shell | null {
  if (win.hubspot_live_messages_running) {
    console.warn('duplicate instance of live chat exists on page');
    return null;
  }
  win.hubspot_live_messages_running = true;
  const existingUtk = readCookie(win.document, 'messagesUtk');
  // An existing messagesUtk is written again, for another 180 days — §E8.
  if (existingUtk) storeMessagesUtk(win, existingUtk);
  const shell: Shell = {
    generation: ++state.shellGeneration,
    asked: { email: '', token: '' },
    email: '',
    identified: false,
    verifying: null,
    utk: existingUtk ?? randomHex(32),
    uuid: randomHex(32),
    emitter,
    loaded: false,
    pending: false,
    isOpen: false,
    associated: false,
    load: (options = {}) => loadWidget(win, state, shell, options.widgetOpen),
    refresh: (options = {}) => refreshWidget(win, state, shell, options),
  };
  shell.load = throttle(state, shell.load);
  shell.refresh = throttle(state, shell.refresh);
  identify(win, state, shell);
  state.shells.push({ generation: shell.generation, email: shell.asked.email, at: Date.now() });
  listenToIframe(win, state, shell);
  state.shell = shell;
  state.emitter = emitter;
  win.HubSpotConversations = realApi(win, state, shell);
  flushOnReady(win, state);
  return shell;
}

/** The iframe's messages to its shell (`{ type, data, uuid }` as JSON); the stand-in needs one. */
function listenToIframe(win: StandInWindow, state: PageState, shell: Shell): void {
  const onMessage = (event: MessageEvent) => {
    try {
      const message = JSON.parse(String(event.data)) as {
        type?: string;
        data?: unknown;
        uuid?: string;
      };
      if (message.uuid !== shell.uuid) return;
      if (message.type === 'store-messages-cookie' && typeof message.data === 'string') {
        storeMessagesUtk(win, message.data);
      }
    } catch {}
  };
  win.addEventListener('message', onMessage);
  state.cleanups.add(() => win.removeEventListener('message', onMessage));
}

/**
 * HubSpot's `removeIframe`, run by `shell` — §E2: removes whatever container is on the page (also a
 * newer shell's) and clears this shell's flags; it cancels nothing in flight.
 */
function removeDom(win: StandInWindow, shell: Shell): void {
  widgetRoot(win)?.remove();
  shell.loaded = false;
  shell.pending = false;
}

/**
 * A reset run by `shell` (`clear({ resetWidget: true })`) — §E2: a new shell and API object; the old
 * shell keeps its API object and finishes what it started.
 */
function reset(win: StandInWindow, state: PageState, shell: Shell): void {
  removeDom(win, shell);
  clearCookies(win);
  state.shell = null;
  win.hubspot_live_messages_running = false;
  init(win, state);
}

function clearCookies(win: StandInWindow): void {
  for (const name of CHAT_COOKIES) deleteCookie(win.document, name);
}

function realApi(win: StandInWindow, state: PageState, shell: Shell) {
  return {
    ...emitterApi(shell.emitter),
    widget: {
      load(options: { widgetOpen?: boolean } = {}) {
        state.loadCalls++;
        shell.load(options);
      },
      refresh(options: { openToNewThread?: boolean; setIdentification?: boolean } = {}) {
        state.refreshCalls++;
        shell.refresh(options);
      },
      // HubSpot asks its iframe to open or close, which answers `open-change` — §E4.
      open() {
        if (shell.isOpen || shownShell(win, state) !== shell) return;
        later(state, 0, () => setOpen(win, state, shell, true));
      },
      close() {
        if (!shell.isOpen || shownShell(win, state) !== shell) return;
        later(state, 0, () => setOpen(win, state, shell, false));
      },
      remove: () => removeDom(win, shell),
      status: () =>
        state.fake.config.statusWithoutPending
          ? { loaded: shell.loaded }
          : { loaded: shell.loaded, pending: shell.pending },
    },
    clear(options: { resetWidget?: boolean } = {}) {
      if (options.resetWidget) reset(win, state, shell);
      else clearCookies(win);
    },
    resetAndReloadWidget() {
      win.__hsUserToken = '';
      reset(win, state, shell);
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
      // The stub ignores its arguments and is not throttled — §E1.
      load() {
        state.loadCalls++;
        if (used) return;
        const shell = createShell(win, state, emitter);
        if (!shell) return;
        used = true;
        shell.load();
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
  if (config.unsupported || state.stopped) return;
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
  createShell(win, state, emitter)?.load();
}

function createHooks(win: StandInWindow, state: PageState, config: StandInConfig): FakeHubSpot {
  // A visitor acts on the widget on screen, whichever shell put it there.
  const whenLoaded =
    <A extends unknown[], R>(fn: (shell: Shell, ...args: A) => R) =>
    (...args: A): R | undefined => {
      const shell = shownShell(win, state);
      return shell?.loaded ? fn(shell, ...args) : undefined;
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
      const shown = shownShell(win, state);
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
        shown: shown
          ? { generation: shown.generation, email: shown.email, identified: shown.identified }
          : null,
        widgetRequests: state.widgetRequests.map((entry) => ({ ...entry })),
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
        visibleThreads: shown ? [...(state.threads.get(identityKey(shown)) ?? [])] : [],
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
      state.stopped = true;
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      for (const cleanup of state.cleanups) cleanup();
      state.cleanups.clear();
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
  const queues = w as unknown as { _hsq?: unknown[] };
  queues._hsq ??= [];
  const hsq = queues._hsq;
  const doNotTrack = hsq.some((entry) => Array.isArray(entry) && entry[0] === 'doNotTrack');
  if (page(w).fake.config.trackingCookies !== false && !doNotTrack) {
    // What HubSpot's tracking code writes on a first visit (a session of one page view).
    const utk = randomHex(32);
    const now = Date.now();
    writeCookie(doc, 'hubspotutk', utk, 390 * 24 * 3600);
    writeCookie(doc, '__hstc', `1.${utk}.${now}.${now}.${now}.1`, 390 * 24 * 3600);
    writeCookie(doc, '__hssc', '1.1.1', 30 * 60);
    doc.cookie = `__hssrc=1; path=/${cookieDomain(doc)}; SameSite=Lax`; // for the session
  }
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
