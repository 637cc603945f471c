// The SDK on the offline site, as a page would drive it: one chat at `window.__chat` (made by
// `createChat`, or by the React page's provider), and the checks every real-embed scenario makes
// after every step.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import {
  type EmbedBuild,
  type OfflineSite,
  type OfflineSiteOptions,
  openSite,
  PORTAL_ID,
  serveOfflineSite,
} from './offline-hubspot';

/** The serialisable chat options a scenario passes to `createChat`. */
export interface ScenarioChatOptions {
  showAnonymous?: boolean;
  refreshMarginMs?: number;
}

/** The options `createChat` gets on the page, and the React page's provider as props. */
export function chatOptions(options: ScenarioChatOptions): Record<string, unknown> {
  return { portalId: PORTAL_ID, debug: true, tokenUrl: '/api/chat-token', retries: 0, ...options };
}

/**
 * `openScenario`'s options for the React page (e2e/real-widget/react-app/app.tsx), which
 * scripts/real-widget.mjs bundles before Playwright runs: `mountReactApp` renders it.
 */
export function reactApp(): Pick<OfflineSiteOptions, 'body' | 'scripts'> {
  const file = resolve('e2e/real-widget/build/react-app.js');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: npm run test:real-widget builds it`);
  }
  return {
    body: '<script src="/react-app.js"></script>',
    scripts: { '/react-app.js': readFileSync(file) },
  };
}

/** The build a project runs on (playwright.real-widget.config.ts). */
export function buildOf(testInfo: TestInfo): EmbedBuild {
  return testInfo.project.metadata.build as EmbedBuild;
}

export interface Scenario {
  page: Page;
  site: OfflineSite;
  /** `createChat(options)` on the page, as `window.__chat`; no call made yet. */
  createChat(options?: ScenarioChatOptions): Promise<void>;
  /**
   * On the React page (`reactApp()`): renders `<HubSpotChatProvider signedIn={signedIn}>` with the
   * options `createChat` gets; its chat is `window.__chat`. Resolves once the provider's effects ran.
   */
  mountReactApp(signedIn: string | false, options?: ScenarioChatOptions): Promise<void>;
  /** Re-renders the React page's provider with `signedIn`; resolves once its effects ran. */
  setSignedIn(signedIn: string | false): Promise<void>;
  /** Runs `window.__chat.<method>(arg)` and waits for its promise (a rejection is returned, not thrown). */
  call(method: string, arg?: unknown): Promise<string | null>;
  /** The chat's state and identity. */
  chat(): Promise<{ state: string; email: string | null }>;
  /** The widget on screen now (`who` as in `expectWidget`), and whether HubSpot says it loaded. */
  widget(): Promise<{ who: string | null; loaded: boolean }>;
  /**
   * The widget on screen is the SDK's identity, anonymous or none — never someone else's — at every
   * moment since the page opened.
   */
  expectNobodyElse(): Promise<void>;
  /**
   * Soon (the goal is 3 s; 8 s is stuck): the widget on screen is `expected` (an email, `null` for
   * anonymous, `'none'` for no widget) and loaded; then it stays so for `quietMs` more, while
   * HubSpot's late work could still land.
   */
  expectWidget(expected: string | null | 'none', quietMs?: number): Promise<void>;
}

/** Opens the offline site on `page` with HubSpot's `build` (or the stand-in for `null`). */
export async function openScenario(
  page: Page,
  build: EmbedBuild | null,
  options: Omit<OfflineSiteOptions, 'build'> = {},
): Promise<Scenario> {
  const site = await serveOfflineSite(page.context(), { ...options, build });
  const started = Date.now();
  /** What the page logged (HubSpot's warnings, the SDK's debug lines), for a failure's report. */
  const log: string[] = [];
  page.on('console', (m) => log.push(`${Date.now() - started} ms ${m.type()}: ${m.text()}`));
  await openSite(page);
  /** The page's containers and HubSpot's status, and what happened, when a check fails. */
  const report = async () => {
    const now = await page.evaluate(() => {
      const w = window as unknown as {
        HubSpotConversations?: { widget: { status(): object } };
      };
      return {
        status: w.HubSpotConversations?.widget.status(),
        containers: [...document.querySelectorAll('[id^="hubspot-messages-iframe-container"]')].map(
          (e) => `${e.id} ${(e as HTMLElement).style.visibility}`,
        ),
      };
    });
    const asked = site.widgetRequests.map((r) => `${r.at - started} ms asked as ${r.email}`);
    return [JSON.stringify(now), ...asked, ...log].join('\n');
  };
  const shown = () =>
    page.evaluate(() => {
      const w = window as unknown as {
        __widget: { shown(): string | null | undefined };
        HubSpotConversations?: { widget: { status(): { loaded: boolean } } };
      };
      const who = w.__widget.shown();
      return {
        who: who === undefined ? 'none' : who,
        loaded: Boolean(w.HubSpotConversations?.widget.status().loaded),
      };
    });
  const scenario: Scenario = {
    page,
    site,
    async createChat(options = {}) {
      await page.evaluate((o) => {
        const w = window as unknown as {
          HubSpotVisitorChat: { createChat(o: object): unknown };
          __chat: unknown;
        };
        w.__chat = w.HubSpotVisitorChat.createChat(o);
      }, chatOptions(options));
    },
    async mountReactApp(signedIn, options = {}) {
      await page.evaluate(
        (o) =>
          (window as unknown as { __mountReactApp(o: object): Promise<void> }).__mountReactApp(o),
        { ...chatOptions(options), signedIn },
      );
    },
    async setSignedIn(signedIn) {
      await page.evaluate(
        (key) =>
          (
            window as unknown as { __setSignedIn(key: string | false): Promise<void> }
          ).__setSignedIn(key),
        signedIn,
      );
    },
    call(method, arg) {
      return page.evaluate(
        async ([m, a]) => {
          const chat = (window as unknown as { __chat: Record<string, (a?: unknown) => unknown> })
            .__chat;
          try {
            await chat[m]?.(a);
            return null;
          } catch (error) {
            return String(error);
          }
        },
        [method, arg] as const,
      );
    },
    widget: shown,
    chat() {
      return page.evaluate(() => {
        const chat = (
          window as unknown as { __chat: { state: string; identity: { email: string } | null } }
        ).__chat;
        return { state: chat.state, email: chat.identity?.email ?? null };
      });
    },
    async expectNobodyElse() {
      const violations = await page.evaluate(
        () => (window as unknown as { __widget: { violations: unknown[] } }).__widget.violations,
      );
      expect(violations, "someone else's widget was on screen").toEqual([]);
    },
    async expectWidget(expected, quietMs = expected === 'none' ? 2500 : 1000) {
      const want = { who: expected, loaded: expected !== 'none' };
      const at = Date.now() - started;
      try {
        // The goal is 3 s after the step (measured by the bench on a quiet machine); a widget still
        // missing after 8 s is stuck, not slow.
        await expect.poll(shown, { timeout: 8000, intervals: [25] }).toEqual(want);
      } catch (error) {
        throw new Error(`${error}\nchecked from ${at} ms:\n${await report()}`);
      }
      await page.waitForTimeout(quietMs);
      expect(await shown(), await report()).toEqual(want);
      await scenario.expectNobodyElse();
    },
  };
  return scenario;
}
