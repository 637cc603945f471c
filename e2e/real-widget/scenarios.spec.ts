// The SDK on HubSpot's real embed (every build in the embed folder): after every step the widget on
// screen is the SDK's identity, anonymous or none, never someone else's; and the right widget is
// there within 3 s of the last step, and stays.
import { expect, test } from '@playwright/test';
import { buildNumber, hasDisplayDelay, widgetData } from './offline-hubspot';
import { buildOf, openScenario, reactApp, type Scenario } from './site';

/** Runs of each timing-dependent scenario per build: 5, or REAL_WIDGET_REPEAT. */
const REPEAT = Number(process.env.REAL_WIDGET_REPEAT ?? 5);

/** Waits until a shell asked HubSpot for `email`'s widget (it is loading now). */
async function untilRequested(s: Scenario, email: string | null): Promise<void> {
  await expect
    .poll(() => s.site.widgetRequests.some((r) => r.email === email), { timeout: 5000 })
    .toBe(true);
}

test('a visitor session: anonymous, alice, bob, renewal, logout, a new chat, page views', async ({
  page,
}, testInfo) => {
  const build = buildOf(testInfo);
  const s = await openScenario(page, build);
  await s.createChat();
  expect(await s.call('start')).toBeNull();
  await s.expectWidget(null, 300);

  s.site.session = 'alice@example.com';
  expect(await s.call('login')).toBeNull();
  await s.expectNobodyElse();
  await s.expectWidget('alice@example.com', 300);

  s.site.session = 'bob@example.com';
  expect(await s.call('login', { fresh: true })).toBeNull();
  await s.expectNobodyElse();
  await s.expectWidget('bob@example.com', 300);

  // A renewed token for the same visitor reaches the live widget (HubSpot re-reads the
  // identification since build 1.26137), without a reset.
  const before = s.site.widgetRequests.length;
  expect(await s.call('login')).toBeNull();
  await s.expectWidget('bob@example.com', 1300);
  if (buildNumber(build.name) >= 26137) {
    const renewed = s.site.widgetRequests.slice(before);
    expect(renewed.map((r) => r.email)).toEqual(['bob@example.com']);
    expect(renewed[0]?.token).toMatch(/_3$/);
  }

  expect(await s.call('logout')).toBeNull();
  await s.expectNobodyElse();
  await s.expectWidget(null, 300);

  await s.call('destroy');
  await s.expectWidget('none', 300);
  await s.createChat();
  expect(await s.call('start')).toBeNull();
  await s.expectWidget(null, 300);

  const pageViews = s.site.widgetRequests.length;
  // Three page views 100 ms apart, timed on the page: a busy machine may stretch them.
  const calledAt = await page.evaluate(async () => {
    const chat = (window as unknown as { __chat: { pageView(o: object): void } }).__chat;
    const at: number[] = [];
    for (const path of ['/a', '/b', '/c']) {
      at.push(Date.now());
      chat.pageView({ path });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return at;
  });
  await s.expectWidget(null, 1500);
  // One refresh at once, then at most one a second, the last after the last page view (it reads
  // the final URL): 2 refreshes for views within a second (the 300 ms asked), one more per second
  // a busy machine added.
  const spread = (calledAt.at(-1) ?? 0) - (calledAt[0] ?? 0);
  const refreshes = s.site.widgetRequests.slice(pageViews).map((r) => r.at);
  expect(refreshes.length, `${refreshes} for views at ${calledAt}`).toBeLessThanOrEqual(
    2 + Math.floor(spread / 1000),
  );
  expect(refreshes.at(-1) ?? 0).toBeGreaterThanOrEqual(calledAt.at(-1) ?? Infinity);
});

test('a signed-in page load creates one shell, as the visitor', async ({ page }, testInfo) => {
  const s = await openScenario(page, buildOf(testInfo));
  s.site.session = 'alice@example.com';
  await s.createChat();
  const [login, start] = await Promise.all([s.call('login'), s.call('start')]);
  expect([login, start]).toEqual([null, null]);
  await s.expectWidget('alice@example.com');
  expect(s.site.widgetRequests.map((r) => r.email)).toEqual(['alice@example.com']);
});

/** alice's identified widget is still loading: a display delay, or a slow widget-data answer. */
const loading = [
  { name: 'a 2 s display delay', delayMs: 0, displayDelaySeconds: 2 },
  { name: 'a 0.8 s widget-data answer', delayMs: 800, displayDelaySeconds: 0 },
  { name: 'a 1.5 s widget-data answer', delayMs: 1500, displayDelaySeconds: 0 },
];

for (const slow of loading) {
  for (const showAnonymous of [true, false]) {
    for (let run = 1; run <= REPEAT; run++) {
      test(`logout during ${slow.name}, showAnonymous ${showAnonymous} (#${run})`, async ({
        page,
      }, testInfo) => {
        const s = await openScenario(page, buildOf(testInfo), {
          answer: () => ({
            delayMs: slow.delayMs,
            body: widgetData({ displayDelaySeconds: slow.displayDelaySeconds }),
          }),
        });
        s.site.session = 'alice@example.com';
        await s.createChat({ showAnonymous });
        await Promise.all([s.call('login'), s.call('start')]);
        await untilRequested(s, 'alice@example.com');
        await page.waitForTimeout(200);
        s.site.session = null;
        expect(await s.call('logout')).toBeNull();
        expect(await s.chat()).toEqual({ state: 'logged-out', email: null });
        await s.expectNobodyElse();
        await s.expectWidget(showAnonymous ? null : 'none');
        // Her shell's panel may have asked it to store her messagesUtk: it is not left behind.
        const hers = s.site.widgetRequests.filter((r) => r.email === 'alice@example.com');
        const cookies = await page.context().cookies();
        const utk = cookies.find((c) => c.name === 'messagesUtk')?.value;
        expect(hers.map((r) => r.messagesUtk)).not.toContain(utk);
      });
    }
  }
}

// A switch while alice's widget waits for its display delay, or for a slow answer.
for (const slow of loading.slice(0, 2)) {
  for (let run = 1; run <= REPEAT; run++) {
    test(`switch alice → bob during ${slow.name} (#${run})`, async ({ page }, testInfo) => {
      const s = await openScenario(page, buildOf(testInfo), {
        answer: () => ({
          delayMs: slow.delayMs,
          body: widgetData({ displayDelaySeconds: slow.displayDelaySeconds }),
        }),
      });
      s.site.session = 'alice@example.com';
      await s.createChat();
      await Promise.all([s.call('login'), s.call('start')]);
      await untilRequested(s, 'alice@example.com');
      await page.waitForTimeout(200);
      s.site.session = 'bob@example.com';
      expect(await s.call('login', { fresh: true })).toBeNull();
      expect(await s.chat()).toEqual({ state: 'authenticated', email: 'bob@example.com' });
      await s.expectNobodyElse();
      await s.expectWidget('bob@example.com');
    });
  }
}

for (const showAnonymous of [true, false]) {
  for (let run = 1; run <= REPEAT; run++) {
    test(`a refresh() deferred by the throttle, then a logout, showAnonymous ${showAnonymous} (#${run})`, async ({
      page,
    }, testInfo) => {
      const s = await openScenario(page, buildOf(testInfo));
      s.site.session = 'alice@example.com';
      await s.createChat({ showAnonymous });
      await Promise.all([s.call('login'), s.call('start')]);
      await s.expectWidget('alice@example.com', 1100);
      // The page refreshes the widget itself, twice: HubSpot defers the second to its window's end.
      await page.evaluate(() => {
        const w = window as unknown as {
          HubSpotConversations: { widget: { refresh(): void } };
        };
        w.HubSpotConversations.widget.refresh();
        w.HubSpotConversations.widget.refresh();
      });
      await page.waitForTimeout(100);
      s.site.session = null;
      expect(await s.call('logout')).toBeNull();
      await s.expectNobodyElse();
      await s.expectWidget(showAnonymous ? null : 'none');
    });
  }
}

// The React provider's `signedIn` changing while alice's identified widget waits for its 2 s display
// delay: a new key logs the new visitor in, `false` logs out (docs/react.md, "The provider"). On a
// build without display delays (docs/hubspot.md §4) alice's widget may be on screen by then.
const signedInChanges = [
  {
    to: 'bob',
    session: 'bob@example.com',
    after: { state: 'authenticated', email: 'bob@example.com' },
  },
  { to: false, session: null, after: { state: 'logged-out', email: null } },
] as const;

for (const change of signedInChanges) {
  for (let run = 1; run <= REPEAT; run++) {
    test(`the React provider's signedIn alice → ${change.to} during a 2 s display delay (#${run})`, async ({
      page,
    }, testInfo) => {
      const build = buildOf(testInfo);
      const s = await openScenario(page, build, {
        ...reactApp(),
        answer: () => ({ body: widgetData({ displayDelaySeconds: 2 }) }),
      });
      s.site.session = 'alice@example.com';
      await s.mountReactApp('alice');
      await untilRequested(s, 'alice@example.com');
      await page.waitForTimeout(200);
      // alice's widget is not on screen yet. From the switch on, the watch allows only the chat's
      // identity, which is no longer alice once the provider's effect ran (setSignedIn waits for it).
      // On a busy machine the delay may be over already: then the switch comes while alice's
      // widget shows, which the watch below checks all the same.
      if (hasDisplayDelay(build) && (await s.widget()).who !== 'none') {
        testInfo.annotations.push({ type: 'note', description: "alice's delay was over" });
      }
      s.site.session = change.session;
      await s.setSignedIn(change.to);
      await expect.poll(() => s.chat(), { timeout: 5000 }).toEqual(change.after);
      await s.expectNobodyElse();
      await s.expectWidget(change.after.email);
    });
  }
}
