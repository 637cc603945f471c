import type { Consent } from './gate';
import { MAX_DELAY_MS } from './long-timeout';
import type { LoadTrigger } from './page/load-trigger';
/** What the site's token endpoint (or `fetchToken`) hands the SDK. */
export interface TokenResponse {
  /** The signed-in visitor's email; HubSpot links the chat to the contact with this email. */
  email: string;
  /** HubSpot's visitor-identification token for that email, minted on the server. */
  token: string;
  /** Seconds until the token expires. */
  expiresIn?: number | undefined;
  /** When the token expires, in milliseconds since the epoch; wins over `expiresIn`. */
  expiresAt?: number | undefined;
}

/** How the SDK calls `tokenUrl`. Defaults: `POST`, `credentials: 'same-origin'`, no body. */
export interface TokenRequestOptions {
  /** HTTP method; default `POST`. */
  method?: string | undefined;
  /** Extra headers, e.g. a CSRF header. `Accept: application/json` is always sent. */
  headers?: Record<string, string> | undefined;
  /** Fetch credentials mode; default `same-origin`. */
  credentials?: RequestCredentials | undefined;
  /** Request body; none unless given. */
  body?: string | undefined;
}

/** The documented `hsConversationsSettings` keys the SDK passes through untouched. */
export interface WidgetSettings {
  /** CSS selector of an element to embed the chat in, instead of the floating widget. */
  inlineEmbedSelector?: string | undefined;
  /** HubSpot's own cookie banner inside the chat. */
  enableWidgetCookieBanner?: boolean | 'ON_WIDGET_LOAD' | 'ON_EXIT_INTENT' | undefined;
  /** Hide the attachment button. */
  disableAttachment?: boolean | undefined;
  /** Do not focus the input when an inline widget first loads. */
  disableInitialInputFocus?: boolean | undefined;
  /** Load HubSpot's hosted CSS instead of an inline `<style>` (for a strict CSP). */
  avoidInlineStyles?: boolean | undefined;
  /** Hide the "new thread" link. */
  hideNewThreadLink?: boolean | undefined;
}

/** Where the token comes from: your endpoint, with `tokenUrl` (and maybe `tokenRequest`). */
export interface TokenUrlSource {
  /** Your backend endpoint that answers `{ email, token, expiresIn?, expiresAt? }` for the signed-in user. */
  tokenUrl: string;
  /** How `tokenUrl` is called. */
  tokenRequest?: TokenRequestOptions | undefined;
  /** Not with `tokenUrl`. */
  fetchToken?: undefined;
}

/** Where the token comes from: your own function. */
export interface FetchTokenSource {
  /** Get the token yourself instead of from `tokenUrl`. Honour `signal`: it aborts on logout and timeout. */
  fetchToken: (signal: AbortSignal) => Promise<TokenResponse>;
  /** Not with `fetchToken`. */
  tokenUrl?: undefined;
  /** Not with `fetchToken`. */
  tokenRequest?: undefined;
}

/** Options of {@link createChat}. Exactly one of `tokenUrl` and `fetchToken` is required. */
export type ChatOptions = ChatBaseOptions & (TokenUrlSource | FetchTokenSource);

/** The options of {@link createChat} other than where the token comes from. */
export interface ChatBaseOptions {
  /**
   * Your HubSpot portal (hub) id: a string of digits or a non-negative integer (`'1234567'` or
   * `1234567`). May be left out when `scriptUrl` is given.
   */
  portalId?: string | number | undefined;
  /** HubSpot data centre of the portal: `'na1'` (default) or `'eu1'`. */
  region?: 'na1' | 'eu1' | undefined;
  /** Load HubSpot's loader from this URL instead of `https://js.hs-scripts.com/{portalId}.js`. */
  scriptUrl?: string | undefined;
  /** Milliseconds one token request may take (≥ 1); default 10000. */
  timeoutMs?: number | undefined;
  /** Retries (an integer ≥ 0) after a network error, timeout, 5xx or 429; default 2. Other 4xx are never retried. */
  retries?: number | undefined;
  /** Refresh the token this many milliseconds before it expires; default 60000. */
  refreshMarginMs?: number | undefined;
  /** Show the widget to visitors who are not signed in; default `true`. */
  showAnonymous?: boolean | undefined;
  /** Other `hsConversationsSettings` keys, passed through. */
  widget?: WidgetSettings | undefined;
  /** Milliseconds to wait for HubSpot's API before reporting `WIDGET_UNAVAILABLE`; default 15000. */
  readyTimeoutMs?: number | undefined;
  /** CSP nonce for the loader script the SDK inserts. */
  nonce?: string | undefined;
  /**
   * Keep the page's other tabs in step; default `true`. A logout in one tab logs out every other tab
   * of the same origin; a login makes the others call `login()` themselves (each fetches its own
   * token: no token ever crosses tabs); a consent revocation revokes in the others. A tab takes part
   * once its chat has started (`start()`, `login()`, `logout()`, `open()`) or `setConsent()` was called.
   */
  syncTabs?: boolean | undefined;
  /** Log transitions to `console.debug`, or to this function. Tokens are never logged. */
  debug?: boolean | ((message: string) => void) | undefined;
  /**
   * When `start()` loads HubSpot's script: `'immediate'` (default), or when a {@link LoadTrigger}
   * says so: {@link loadWhenIdle}, {@link loadOnInteraction} (on the page's first `wheel`,
   * `touchmove`, `keydown` or `pointerdown`, or on `open()`) or your own. Before that nothing of
   * HubSpot's is on the page; `login()` still reaches `authenticated`, and the first widget
   * instance HubSpot creates is the identified one.
   *
   * @example
   * ```ts
   * const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token', load: loadOnInteraction });
   * mountLauncher(chat); // a light chat button until HubSpot's widget has loaded
   * ```
   */
  load?: 'immediate' | LoadTrigger | undefined;
  /**
   * Also tell HubSpot's tracking code about each `pageView()` (`_hsq` `setPath` + `trackPageView`),
   * for single-page apps; default `false`.
   *
   * @example
   * ```ts
   * const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token', trackPageViews: true });
   * ```
   */
  trackPageViews?: boolean | undefined;
  /**
   * `'pending'`: nothing of HubSpot's (script, globals, cookies) and no token request until
   * `setConsent(true)`; `'denied'` too, and `login()` rejects with `CONSENT_DENIED`; default
   * `'granted'`.
   *
   * @example
   * ```ts
   * const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token', consent: 'pending' });
   * onConsentChange((allowed) => chat.setConsent(allowed)); // your consent manager's callback
   * ```
   */
  consent?: Consent | undefined;
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  scriptUrl: string;
  /** The app's own `fetchToken`. */
  ownFetchToken?: (signal: AbortSignal) => Promise<unknown>;
  tokenEndpoint?: string;
  requestInit: TokenRequestOptions;
  attemptMs: number;
  maxRetries: number;
  marginMs: number;
  showAnonymous: boolean;
  widget: WidgetSettings;
  readyMs: number;
  nonce?: string;
  syncTabs: boolean;
  log: (message: string) => void;
  /** Undefined: at once. */
  load?: LoadTrigger | undefined;
  trackPageViews: boolean;
  consent: Consent;
}

/**
 * The pass-through keys; HubSpot throws on a value of the wrong type — docs/hubspot.md §2. The
 * first takes a string, the others a boolean (`enableWidgetCookieBanner` also its two strings).
 */
const WIDGET_KEYS: (keyof WidgetSettings)[] = [
  'inlineEmbedSelector',
  'enableWidgetCookieBanner',
  'disableAttachment',
  'disableInitialInputFocus',
  'avoidInlineStyles',
  'hideNewThreadLink',
];

/** Throws a TypeError naming `option` unless `ok` is truthy. */
function check(ok: unknown, option: string, expected: string): void {
  if (!ok) throw new TypeError(`hubspot-visitor-chat: option \`${option}\` must be ${expected}`);
}

/** `value` is left out, or of the `typeof` type `type`. */
const is = (value: unknown, type: string) => value === undefined || typeof value === type;

/** Checks `options` once, at `createChat`; a TypeError names the first bad option. */
export function resolveOptions(options: ChatOptions): ResolvedOptions {
  check(typeof options === 'object' && options, 'options', 'an object');
  const given = options as unknown as Record<string, unknown>;
  /** Option `name`, or `fallback` when it is left out; `ok` must hold for it. */
  const option = <T>(name: string, fallback: T, ok: (value: T) => unknown, expected: string): T => {
    const value = (given[name] === undefined ? fallback : given[name]) as T;
    check(ok(value), name, expected);
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: T[]) =>
    option(
      name,
      allowed[0] as T,
      (value) => allowed.includes(value),
      `one of ${allowed.join(', ')}`,
    );
  const count = (name: string, fallback: number, min = 0, integer = false) =>
    option(
      name,
      fallback,
      (value) =>
        typeof value === 'number' &&
        value >= min &&
        value <= MAX_DELAY_MS &&
        !(integer && value % 1),
      `${integer ? 'an integer' : 'a number'} from ${min} to ${MAX_DELAY_MS}`,
    );
  const flag = (name: string, fallback = true) =>
    option(name, fallback, (value) => typeof value === 'boolean', 'a boolean');
  const text = (name: string) =>
    option(name, undefined, (value) => is(value, 'string') && value !== '', 'a non-empty string');
  const { portalId, fetchToken, debug, load } = options;
  const scriptUrl = text('scriptUrl');
  const tokenUrl = text('tokenUrl');
  check(
    (is(portalId, 'string') || Number.isSafeInteger(portalId)) && /^\d+$/.test(`${portalId ?? 0}`),
    'portalId',
    'a string of digits or a non-negative integer',
  );
  check(portalId !== undefined || scriptUrl, 'portalId', 'given (or scriptUrl)');
  check(
    (tokenUrl === undefined) !== (fetchToken === undefined),
    'tokenUrl',
    'given (or fetchToken, not both)',
  );
  check(is(fetchToken, 'function'), 'fetchToken', 'a function');
  // null as left out, as before.
  const widget = options.widget ?? {};
  const tokenRequest: TokenRequestOptions = options.tokenRequest ?? {};
  check(typeof widget === 'object' && !Array.isArray(widget), 'widget', 'an object');
  for (const [key, value] of Object.entries(widget)) {
    const type =
      WIDGET_KEYS.includes(key as keyof WidgetSettings) &&
      (key === 'inlineEmbedSelector' ? 'string' : 'boolean');
    check(type, `widget.${key}`, `one of ${WIDGET_KEYS.join(', ')}`);
    check(
      is(value, type as string) ||
        (key === 'enableWidgetCookieBanner' && /^ON_(WIDGET_LOAD|EXIT_INTENT)$/.test(value)),
      `widget.${key}`,
      `a ${type}`,
    );
  }
  check(typeof tokenRequest === 'object', 'tokenRequest', 'an object');
  check(is(debug, 'boolean') || is(debug, 'function'), 'debug', 'a boolean or a function');
  // 'idle' and 'interaction' were strings before 0.2: the message names what replaced them.
  check(
    load === 'immediate' || is(load, 'function'),
    'load',
    "'immediate' or a LoadTrigger (loadWhenIdle, loadOnInteraction)",
  );
  const region = oneOf('region', ['na1', 'eu1']);
  const sink = typeof debug === 'function' ? debug : debug && console.debug;
  return {
    scriptUrl:
      scriptUrl ?? `https://js${region === 'eu1' ? '-eu1' : ''}.hs-scripts.com/${portalId}.js`,
    ownFetchToken: fetchToken as ResolvedOptions['ownFetchToken'],
    tokenEndpoint: tokenUrl,
    requestInit: tokenRequest,
    attemptMs: count('timeoutMs', 10_000, 1),
    maxRetries: count('retries', 2, 0, true),
    marginMs: count('refreshMarginMs', 60_000),
    showAnonymous: flag('showAnonymous'),
    widget,
    readyMs: count('readyTimeoutMs', 15_000),
    nonce: options.nonce,
    syncTabs: flag('syncTabs'),
    trackPageViews: flag('trackPageViews', false),
    load: load === 'immediate' ? undefined : load,
    consent: oneOf('consent', ['granted', 'pending', 'denied']),
    log: sink ? (message) => sink(`[hubspot-visitor-chat] ${message}`) : () => {},
  };
}
