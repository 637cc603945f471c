// Random programs on HubSpot's real embed: a visitor's calls (logins as alice or bob, fresh ones,
// logouts, a new chat in the same task as a logout, a sub-page's chat for a while, open/close,
// hide/show, page views, consent given, refused or pending again) fired without waiting, at random
// gaps, while HubSpot answers slowly or delays its display, and tokens last an hour or 4 s (renewed
// every 2 s). After every step, no widget but the SDK's identity (or an anonymous one) has been on
// screen — decisions §23 (docs/decisions.md); once the calls have settled, the widget on screen is
// the one the chat says. The stand-in's model test (test/model.test.ts) runs thousands of
// programs; this runs fewer, on the real thing. REAL_WIDGET_PROGRAMS sets how many per build (4),
// REAL_WIDGET_SEED the first seed.
import { expect, test } from '@playwright/test';
import { widgetData } from './offline-hubspot';
import { buildOf, chatOptions, openScenario, reactApp, type Scenario } from './site';

const PROGRAMS = Number(process.env.REAL_WIDGET_PROGRAMS ?? 4);
const FIRST_SEED = Number(process.env.REAL_WIDGET_SEED ?? 20261206);

/** mulberry32: a small seeded generator, so that a failing program is run again by its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Step =
  | { type: 'session'; email: string | null }
  | { type: 'login'; fresh: boolean }
  | { type: 'logout' }
  | { type: 'newChat' }
  /**
   * A second chat (a sub-page's, or one from a second copy of the SDK on the page) starts, drives
   * the widget for `ms`, and is destroyed.
   */
  | { type: 'subChat'; ms: number; copy: boolean }
  | { type: 'open' | 'close' | 'hide' | 'show' | 'pageView' }
  | { type: 'consent'; decision: 'granted' | 'denied' | 'pending' }
  | { type: 'wait'; ms: number };

interface Program {
  showAnonymous: boolean;
  /** Who the site's session is for at first (null: nobody signed in, a login gets 401). */
  session: string | null;
  /** How long HubSpot's widget-data answer takes, and the display delay it asks for. */
  answerMs: number;
  displayDelaySeconds: number;
  /** The tokens' lifetime: 4 s renews them every 2 s (half the lifetime, under the margin). */
  tokenLifetimeSeconds: number;
  steps: Step[];
}

function programOf(seed: number): Program {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const step = (): Step => {
    const r = random();
    if (r < 0.2)
      return { type: 'session', email: pick(['alice@example.com', 'bob@example.com', null]) };
    if (r < 0.45) return { type: 'login', fresh: random() < 0.3 };
    if (r < 0.58) return { type: 'logout' };
    if (r < 0.64) return { type: 'newChat' };
    if (r < 0.67) return { type: 'subChat', ms: pick([0, 300, 1500]), copy: random() < 0.5 };
    if (r < 0.72) return { type: pick(['open', 'close', 'hide', 'show', 'pageView'] as const) };
    if (r < 0.77) {
      return {
        type: 'consent',
        decision: pick(['granted', 'granted', 'denied', 'pending'] as const),
      };
    }
    return { type: 'wait', ms: pick([0, 50, 200, 600, 1200]) };
  };
  return {
    showAnonymous: random() < 0.75,
    session: pick(['alice@example.com', 'bob@example.com', 'alice@example.com', null]),
    answerMs: pick([0, 0, 300, 800, 1500]),
    displayDelaySeconds: pick([0, 0, 2]),
    tokenLifetimeSeconds: pick([3600, 3600, 4]),
    steps: Array.from({ length: 6 + Math.floor(random() * 7) }, step),
  };
}

/**
 * Starts the chat's call without waiting for it: its promise joins `window.__pending`, which
 * `settle()` waits for. `newChat` destroys the chat after a logout in the same task and starts a
 * new one, as a re-keyed provider does.
 */
async function fire(s: Scenario, call: string, options: object): Promise<void> {
  await s.page.evaluate(
    ([c, o]) => {
      type Chat = Record<string, (a?: unknown) => unknown> & { destroy(): void };
      const w = window as unknown as {
        __chat: Chat;
        __pending?: Promise<unknown>[];
        HubSpotVisitorChat: { createChat(o: object): Chat };
      };
      w.__pending ??= [];
      const run = (f: () => unknown) => {
        try {
          w.__pending?.push(Promise.resolve(f()).catch(() => {}));
        } catch {}
      };
      if (c.startsWith('subChat:make')) {
        const sdk = c.endsWith('copy')
          ? (w as unknown as { __copy: typeof w.HubSpotVisitorChat }).__copy
          : w.HubSpotVisitorChat;
        const sub = sdk.createChat({ ...o, syncTabs: false });
        (w as unknown as { __sub?: Chat }).__sub = sub;
        run(() => sub.start?.());
      } else if (c === 'subChat:destroy') {
        (w as unknown as { __sub?: Chat }).__sub?.destroy();
      } else if (c === 'newChat') {
        run(() => w.__chat.logout?.());
        w.__chat.destroy();
        w.__chat = w.HubSpotVisitorChat.createChat(o);
        run(() => w.__chat.start?.());
      } else if (c === 'login:fresh') run(() => w.__chat.login?.({ fresh: true }));
      else if (c.startsWith('consent:')) run(() => w.__chat.setConsent?.(c.slice(8)));
      else run(() => w.__chat[c]?.());
    },
    [call, options] as const,
  );
}

/**
 * Loads the SDK's script a second time, as a CMS template's `<script>` beside an app's bundle: the
 * second copy is `window.__copy`, and `HubSpotVisitorChat` stays the first.
 */
async function loadSecondCopy(s: Scenario): Promise<void> {
  await s.page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const w = window as unknown as { HubSpotVisitorChat: unknown; __copy: unknown };
        const first = w.HubSpotVisitorChat;
        const script = document.createElement('script');
        script.src = '/sdk.js?copy';
        script.onload = () => {
          w.__copy = w.HubSpotVisitorChat;
          w.HubSpotVisitorChat = first;
          resolve();
        };
        script.onerror = () => reject(new Error('/sdk.js?copy did not load'));
        document.head.append(script);
      }),
  );
}

/** Waits until every call fired has settled, also those a settled call's listener started. */
async function settle(s: Scenario): Promise<void> {
  await s.page.evaluate(async () => {
    const w = window as unknown as { __pending?: Promise<unknown>[] };
    for (let n = 0; n !== (w.__pending?.length ?? 0); ) {
      n = w.__pending?.length ?? 0;
      await Promise.all(w.__pending ?? []);
    }
  });
}

for (let n = 0; n < PROGRAMS; n++) {
  const seed = FIRST_SEED + n;
  test(`random program, seed ${seed}`, async ({ page }, testInfo) => {
    test.setTimeout(90_000);
    const program = programOf(seed);
    const s = await openScenario(page, buildOf(testInfo), {
      answer: () => ({
        delayMs: program.answerMs,
        body: widgetData({ displayDelaySeconds: program.displayDelaySeconds }),
      }),
    });
    const options = { showAnonymous: program.showAnonymous };
    s.site.session = program.session;
    s.site.tokenLifetimeSeconds = program.tokenLifetimeSeconds;
    if (program.steps.some((step) => step.type === 'subChat' && step.copy)) await loadSecondCopy(s);
    await s.createChat(options);
    await fire(s, 'start', {});
    let hidden = false;
    let consent = 'granted';
    const done: string[] = [];
    for (const step of program.steps) {
      done.push(JSON.stringify(step));
      if (step.type === 'session') s.site.session = step.email;
      else if (step.type === 'wait') await page.waitForTimeout(step.ms);
      else if (step.type === 'login') await fire(s, step.fresh ? 'login:fresh' : 'login', {});
      else if (step.type === 'consent') {
        consent = step.decision;
        await fire(s, `consent:${step.decision}`, {});
      } else if (step.type === 'subChat') {
        await fire(s, `subChat:make${step.copy ? ':copy' : ''}`, chatOptions(options));
        await page.waitForTimeout(step.ms);
        await fire(s, 'subChat:destroy', {});
      } else if (step.type === 'newChat') {
        hidden = false;
        consent = 'granted';
        await fire(s, 'newChat', chatOptions(options));
      } else {
        if (step.type === 'hide') hidden = true;
        if (step.type === 'show') hidden = false;
        await fire(s, step.type, {});
      }
      await expect(s.expectNobodyElse(), `after ${done.join(' → ')}`).resolves.toBeUndefined();
    }
    // A login() waits for the visitor's decision while consent is pending: the visitor decides.
    if (consent === 'pending') {
      consent = 'denied';
      await fire(s, 'consent:denied', {});
    }
    await settle(s);
    // A short-lived token is renewed every 2 s with the session of now: after two renewals the chat
    // is where that session takes it (the same visitor, another one, or logged out by a 401).
    if (program.tokenLifetimeSeconds < 60)
      await page.waitForTimeout(program.tokenLifetimeSeconds * 1250);
    const { state, email } = await s.chat();
    expect(
      ['anonymous', 'authenticated', 'logged-out'],
      `state after ${done.join(' → ')}`,
    ).toContain(state);
    const expected =
      hidden || consent !== 'granted' ? 'none' : (email ?? (program.showAnonymous ? null : 'none'));
    await s.expectWidget(expected);
  });
}

/**
 * The React provider's `signedIn` changing at random (alice, bob, signed out), the site's session
 * following it as the app's backend would, at random gaps while HubSpot answers late or delays its
 * display: after every change nobody else's widget has been on screen, and at the end the widget is
 * the last key's visitor (or anonymous, or none).
 */
for (let n = 0; n < PROGRAMS; n++) {
  const seed = FIRST_SEED + 500 + n;
  test(`React provider, random program, seed ${seed}`, async ({ page }, testInfo) => {
    test.setTimeout(90_000);
    const random = generator(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const visitors = ['alice@example.com', 'bob@example.com', false] as const;
    const program = programOf(seed);
    const s = await openScenario(page, buildOf(testInfo), {
      ...reactApp(),
      answer: () => ({
        delayMs: program.answerMs,
        body: widgetData({ displayDelaySeconds: program.displayDelaySeconds }),
      }),
    });
    s.site.tokenLifetimeSeconds = program.tokenLifetimeSeconds;
    let signedIn: string | false = pick(visitors);
    s.site.session = signedIn || null;
    await s.mountReactApp(signedIn, { showAnonymous: program.showAnonymous });
    const done: string[] = [`${signedIn}`];
    for (let i = 0, steps = 3 + Math.floor(random() * 6); i < steps; i++) {
      if (random() < 0.6) {
        signedIn = pick(visitors);
        s.site.session = signedIn || null;
        done.push(`${signedIn}`);
        await s.setSignedIn(signedIn);
      } else {
        const ms = pick([0, 50, 200, 600, 1200]);
        done.push(`wait ${ms}`);
        await page.waitForTimeout(ms);
      }
      await expect(s.expectNobodyElse(), `after ${done.join(' → ')}`).resolves.toBeUndefined();
    }
    await s.expectWidget(signedIn || (program.showAnonymous ? null : 'none'));
  });
}
