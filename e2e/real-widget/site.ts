// The SDK on the offline site, as a page would drive it: one chat at `window.__chat`, and the
// checks every real-embed scenario makes after every step.
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

/** The build a project runs on (playwright.real-widget.config.ts). */
export function buildOf(testInfo: TestInfo): EmbedBuild {
  return testInfo.project.metadata.build as EmbedBuild;
}

export interface Scenario {
  page: Page;
  site: OfflineSite;
  /** `createChat(options)` on the page, as `window.__chat`; no call made yet. */
  createChat(options?: ScenarioChatOptions): Promise<void>;
  /** Runs `window.__chat.<method>(arg)` and waits for its promise (a rejection is returned, not thrown). */
  call(method: string, arg?: unknown): Promise<string | null>;
  /** The chat's state and identity. */
  chat(): Promise<{ state: string; email: string | null }>;
  /**
   * The widget on screen is the SDK's identity, anonymous or none — never someone else's — at every
   * moment since the page opened.
   */
  expectNobodyElse(): Promise<void>;
  /**
   * Within 3 s: the widget on screen is `expected` (an email, `null` for anonymous, `'none'` for no
   * widget) and loaded; then it stays so while HubSpot's late work (display delays, slow answers)
   * could still land, for `quietMs`.
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
  await openSite(page);
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
      await page.evaluate(
        ([portalId, o]) => {
          const w = window as unknown as {
            HubSpotVisitorChat: { createChat(o: object): unknown };
            __chat: unknown;
          };
          w.__chat = w.HubSpotVisitorChat.createChat({
            portalId,
            tokenUrl: '/api/chat-token',
            retries: 0,
            ...o,
          });
        },
        [PORTAL_ID, options] as const,
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
    async expectWidget(expected, quietMs = 2500) {
      const want = { who: expected, loaded: expected !== 'none' };
      await expect.poll(shown, { timeout: 3000, intervals: [25] }).toEqual(want);
      await page.waitForTimeout(quietMs);
      expect(await shown()).toEqual(want);
      await scenario.expectNobodyElse();
    },
  };
  return scenario;
}
