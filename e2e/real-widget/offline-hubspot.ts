// HubSpot's real chat embed, run offline: every request of the page is answered here, so nothing
// leaves the machine. The site is served from an https origin (HubSpot writes its cookies for
// `.example.com; Secure`), HubSpot's script hosts get the embed build under test, and HubSpot's
// widget-data API is answered locally. How this works is described in docs/testing.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page, Route } from '@playwright/test';

export const SITE = 'https://www.example.com';
export const PORTAL_ID = '123456';
const LOADER_PORTAL = '47445192';
const EMPTY_SCRIPT_HOSTS = [
  'js.hs-banner.com',
  'js.hs-analytics.net',
  'js.hsadspixel.net',
  'js.hubspot.com',
  'js.hubspotfeedback.com',
  'js.hscollectedforms.net',
  'js.hsleadflows.net',
  'static.hsappstatic.net',
];

/** One build of HubSpot's embed, and the loader that inserts it. */
export interface EmbedBuild {
  /** e.g. `static-1.26892`. */
  name: string;
  embed: string;
  loader: string;
}

/** Where HubSpot's files are: `HUBSPOT_EMBED_DIR`, else `../shared/hubspot-embed` when it exists. */
export function embedDir(): string | undefined {
  const dir = process.env.HUBSPOT_EMBED_DIR ?? resolve('../shared/hubspot-embed');
  return existsSync(dir) ? dir : undefined;
}

/** Every embed build found in the embed folder, newest first. */
export function embedBuilds(dir = embedDir()): EmbedBuild[] {
  if (!dir) return [];
  const files = readdirSync(dir);
  const loader = files.find((f) => /^hs-scripts-loader.*\.js$/.test(f));
  if (!loader) return [];
  return files
    .map((f) => /^conversations-embed\.(.+)\.js$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] ?? m[0], embed: join(dir, m[0]), loader: join(dir, loader) }))
    .sort((a, b) => buildNumber(b.name) - buildNumber(a.name));
}

/** `static-1.26892` → 26892: to compare builds (`setIdentification` arrived in 1.26137). */
export function buildNumber(name: string): number {
  return Number(/(\d+)$/.exec(name)?.[1] ?? 0);
}

/** Whether `build` applies a chatflow's display delay: the 2020 build has none (docs/hubspot.md §4). */
export function hasDisplayDelay(build: EmbedBuild): boolean {
  return readFileSync(build.embed).includes('displayOnTimeDelay');
}

/** HubSpot's widget-data answer for a site whose chatflow targets every URL. */
export function widgetData(options: { displayDelaySeconds?: number } = {}): object {
  const delay = options.displayDelaySeconds ?? 0;
  return {
    '@type': 'V1',
    chatflowId: 1001,
    channelInstanceId: 2002,
    sessionId: 's1',
    language: 'en',
    widgetLocation: 'RIGHT_ALIGNED',
    showingHsBranding: true,
    privateLoad: false,
    shouldListenToGdprBannerConsent: false,
    accentColor: '#00a4bd',
    messagesPageUri: `${SITE}/`,
    type: 'V1',
    metadata: { '@type': 'V1_META' },
    showPreviousConversations: true,
    draggable: false,
    availabilityOptions: {
      awayMessage: null,
      typicalResponseTime: null,
      officeHoursStartTime: null,
    },
    gdprConsentOptions: {
      gdprConsentToProcessEnabled: false,
      gdprConsentToCommunicateEnabled: false,
      cookieConsentPrompt: 'NEVER',
      gdprExplicitConsentToProcessRequired: false,
      consentToProcessStatus: 'SHOULD_NOT_ASK_FOR_CONSENT',
    },
    sendFrom: [],
    gates: {},
    message: {
      initialMessage: 'Hi!',
      inboxId: 3003,
      portalId: Number(PORTAL_ID),
      id: 4004,
      launcherType: 'DEFAULT',
      captureVisitorEmailAddress: true,
      popOpenWelcomeMessage: false,
      popOpenWidget: false,
      popMessageOnSmallScreens: false,
      clientTriggers: {
        displayOnExitIntent: { enabled: false },
        displayOnTimeDelay: { enabled: delay > 0, timeDelaySeconds: delay },
        displayOnScrollPercentage: { enabled: false, scrollPercentage: 50 },
      },
    },
  };
}

/** "No chatflow targets this URL". */
export const HIDE_WIDGET = {
  '@type': 'HIDE_WIDGET',
  metadata: { reason: 'NO_MATCHING_CHATFLOW', description: 'No chatflow targets this URL' },
};

/** One widget-data request a shell made. */
export interface WidgetDataRequest {
  messagesUtk: string;
  email: string | null;
  token: string | null;
  at: number;
}

/** How HubSpot's widget-data API answers one request. */
export interface WidgetDataAnswer {
  delayMs?: number;
  status?: number;
  body?: object;
}

export interface OfflineSiteOptions {
  /** The embed build; `null` serves the project's stand-in instead of HubSpot's loader. */
  build: EmbedBuild | null;
  /** The answer to each widget-data request (default: immediate, the widget with no delay). */
  answer?: (request: WidgetDataRequest) => WidgetDataAnswer;
  /** The site's HTML body, after the SDK's script. */
  body?: string;
  /** More scripts the site serves, by path (`/react-app.js`: its body's `<script src>`). */
  scripts?: Record<string, string | Buffer>;
  /**
   * With `build: null`: the stand-in's knobs (docs/testing.md), set before its script runs. Tokens
   * from this site's token endpoint are accepted, as HubSpot accepts the ones a backend mints;
   * `widgetDataXhr: true` makes the stand-in ask this harness for the widget data, as HubSpot does.
   */
  standIn?: Record<string, unknown>;
  /**
   * Whether the chat panel (the blank page standing for HubSpot's visitor UI) asks its shell to
   * store its messagesUtk as it starts (default true); false: only when a test posts the message.
   */
  panelStoresUtk?: boolean;
}

/** The site as the test drives it: who is signed in, what HubSpot was asked. */
export interface OfflineSite {
  /** Who the site's backend says is signed in (the token endpoint answers for them), or null. */
  session: string | null;
  /** Lifetime of the tokens the token endpoint mints, in seconds. */
  tokenLifetimeSeconds: number;
  widgetRequests: WidgetDataRequest[];
  tokensIssued: number;
  /** Requests to anything this harness does not know (they are refused). */
  unknown: string[];
  /** Error reports HubSpot's code posted to its error reporter. */
  exceptions: string[];
  answer: (request: WidgetDataRequest) => WidgetDataAnswer;
}

const root = resolve('.');
const read = (path: string) => readFileSync(path);

/** Routes every request of `context` to the offline site and HubSpot. */
export async function serveOfflineSite(
  context: BrowserContext,
  options: OfflineSiteOptions,
): Promise<OfflineSite> {
  const site: OfflineSite = {
    session: null,
    tokenLifetimeSeconds: 3600,
    widgetRequests: [],
    tokensIssued: 0,
    unknown: [],
    exceptions: [],
    answer: options.answer ?? (() => ({ body: widgetData() })),
  };
  const sdk = read(join(root, 'dist/hubspot-visitor-chat.umd.min.js'));
  const loader = options.build
    ? read(options.build.loader).toString('utf8').split(LOADER_PORTAL).join(PORTAL_ID)
    : read(join(root, 'dist/testing/hubspot-stand-in.js')).toString('utf8');
  const embed = options.build ? read(options.build.embed) : null;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Site</title>
<link rel="icon" href="data:,"></head><body><main><h1>A site with HubSpot chat</h1></main>
<script src="/sdk.js"></script>${options.body ?? ''}</body></html>`;

  if (!options.build && options.standIn) {
    await context.addInitScript((config) => {
      const knobs = { ...config, verifyToken: () => true };
      Object.assign(window, { __fakeHubSpot: { config: knobs } });
    }, options.standIn);
  }

  /** The panel's ask to store its messagesUtk, as it starts. */
  const storeUtk = `<script>
const utk = /\\/utk\\/([^?/]+)/.exec(location.pathname)?.[1];
const uuid = new URLSearchParams(location.search).get('uuid');
if (utk && uuid) parent.postMessage(JSON.stringify({ type: 'store-messages-cookie', data: utk, uuid }), '*');
</script>`;
  const js = (route: Route, body: string | Buffer) =>
    route.fulfill({ status: 200, contentType: 'application/javascript', body });

  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const cors = {
      'access-control-allow-origin': SITE,
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': '*',
    };
    if (url.origin === SITE) {
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: page });
      if (url.pathname === '/sdk.js') return js(route, sdk);
      const script = options.scripts?.[url.pathname];
      if (script !== undefined) return js(route, script);
      if (url.pathname === '/api/chat-token') {
        if (!site.session) return route.fulfill({ status: 401, json: { error: 'signed out' } });
        const n = ++site.tokensIssued;
        const token = `tok_${Buffer.from(site.session).toString('base64url')}_${n}`;
        return route.fulfill({
          json: { email: site.session, token, expiresIn: site.tokenLifetimeSeconds },
        });
      }
      return route.fulfill({ status: 404, body: 'not found' });
    }
    if (url.hostname === 'js.hs-scripts.com' || url.hostname === 'js-na1.hs-scripts.com') {
      return js(route, loader);
    }
    if (url.hostname === 'js.usemessages.com' && embed) return js(route, embed);
    if (EMPTY_SCRIPT_HOSTS.includes(url.hostname)) return js(route, '');
    if (url.hostname === 'api.hubspot.com' && url.pathname.includes('/livechat-public/')) {
      if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      const asked: WidgetDataRequest = {
        messagesUtk: url.searchParams.get('messagesUtk') ?? '',
        email: url.searchParams.get('email') || null,
        token: url.searchParams.get('identificationToken') || null,
        at: Date.now(),
      };
      site.widgetRequests.push(asked);
      const answer = site.answer(asked);
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      return route
        .fulfill({ status: answer.status ?? 200, headers: cors, json: answer.body ?? {} })
        .catch(() => {}); // the page may be gone by then
    }
    if (url.hostname === 'app.hubspot.com') {
      // HubSpot's visitor UI cannot run offline: a blank page that, as it starts, asks its shell to
      // store its messagesUtk, as the real UI does when it decides to (the earliest moment).
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>chat</title>${options.panelStoresUtk === false ? '' : storeUtk}`,
      });
    }
    if (url.hostname === 'exceptions.hubspot.com') {
      site.exceptions.push(request.postData() ?? '');
      return route.fulfill({ status: 200, headers: cors, body: '' });
    }
    site.unknown.push(request.url());
    return route.abort('addressunreachable');
  });
  return site;
}

/**
 * Watches, in the page, whose widget is on screen: every animation frame and every few
 * milliseconds it reads the visible `#hubspot-messages-iframe-container`, finds the shell that
 * made it (its iframe URL carries the shell's `messagesUtk`, which the shell's widget-data request
 * carried with the identity) and records a violation when that identity is neither anonymous nor
 * the one the SDK says is signed in (`window.__chat.identity`).
 */
export function watchWidgetIdentity(): void {
  type Shown = string | null | undefined;
  const w = window as unknown as {
    __chat?: { identity: { email: string } | null; state: string };
    __widget: {
      identities: Record<string, string | null>;
      violations: Array<{ at: number; shown: Shown; allowed: string | null; state: string }>;
      shown: () => Shown;
    };
  };
  const identities: Record<string, string | null> = {};
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    try {
      const url = new URL(String(args[1]), location.href);
      if (url.pathname.endsWith('/livechat-public/v1/message/public')) {
        identities[url.searchParams.get('messagesUtk') ?? ''] =
          url.searchParams.get('email') || null;
      }
    } catch {}
    return (open as (...a: unknown[]) => void).apply(this, args);
  } as typeof open;
  /** The identity of the widget a visitor can see: undefined for none, null for anonymous. */
  const shown = (): Shown => {
    const container = document.getElementById('hubspot-messages-iframe-container');
    if (!container?.isConnected) return undefined;
    if (!container.checkVisibility({ visibilityProperty: true, opacityProperty: true })) {
      return undefined;
    }
    const src = container.querySelector('iframe')?.getAttribute('src') ?? '';
    const utk = /\/threads\/utk\/([^?/]+)/.exec(src)?.[1] ?? '';
    return utk in identities ? identities[utk] : `unknown shell ${utk}`;
  };
  const violations: typeof w.__widget.violations = [];
  w.__widget = { identities, violations, shown };
  const check = () => {
    const now = shown();
    if (now === undefined || now === null) return;
    const allowed = w.__chat?.identity?.email ?? null;
    if (now !== allowed) {
      violations.push({ at: Date.now(), shown: now, allowed, state: w.__chat?.state ?? 'none' });
    }
  };
  setInterval(check, 4);
  const frame = () => {
    check();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Opens the site in `page` with the identity watch installed. */
export async function openSite(page: Page): Promise<void> {
  await page.addInitScript(watchWidgetIdentity);
  await page.goto(`${SITE}/`);
}
