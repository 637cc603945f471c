// Issue 12 in the React demo: client-side navigation (useChatPageView), lazy loading with the
// launcher (load: loadOnInteraction), hide/show, and the unread badge.
import { expect, test } from '@playwright/test';
import {
  alice,
  chatFrame,
  expectWidgetIdentity,
  isHubSpotScript,
  launcher,
  navigate,
  recordRequests,
  sdkState,
  signIn,
  signOut,
  simulateUnread,
  standInState,
  unreadBadge,
  widget,
  widgetHolds,
} from './demo';

type StandIn = { loadCalls: number; refreshCalls: number; shellGeneration: number };

test('navigation refreshes the widget, never a dropped refresh, and keeps alice', async ({
  page,
}) => {
  const hubspotLog: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('HubSpot Conversations log:')) hubspotLog.push(message.text());
  });
  await page.goto('/');
  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  await expect(widget(page)).toHaveAttribute('data-identification-email', alice.email);
  // HubSpot's debug log reports every load or refresh it throttles (drops).
  await page.evaluate(() =>
    (
      window as unknown as { HubSpotConversations: { debug(on: boolean): void } }
    ).HubSpotConversations.debug(true),
  );
  const before = (await standInState(page)) as unknown as StandIn;

  // Three routes in quick succession: the SDK merges them into refreshes HubSpot accepts.
  const first = Date.now();
  await navigate(page, 'Pricing');
  await navigate(page, 'Home');
  await navigate(page, 'Pricing');
  // One refresh at once, then at most one a second: 2 for routes within a second, one more for
  // each second a busy machine stretched the three clicks to.
  const allowed = 2 + Math.floor((Date.now() - first) / 1000);
  await expect(widget(page)).toHaveAttribute('data-refresh-count', /^[1-9]\d*$/, {
    timeout: 4000,
  });
  await page.waitForTimeout(1500); // a trailing refresh, if one is still due
  const after = (await standInState(page)) as unknown as StandIn;
  expect(after.refreshCalls - before.refreshCalls).toBeGreaterThanOrEqual(1);
  expect(after.refreshCalls - before.refreshCalls).toBeLessThanOrEqual(allowed);
  expect(hubspotLog.filter((line) => line.includes('throttled'))).toEqual([]);
  expect(after.loadCalls).toBe(before.loadCalls); // refreshed, never reloaded
  expect(after.shellGeneration).toBe(before.shellGeneration);
  await expect(sdkState(page)).toHaveText('authenticated');
  expect(await standInState(page)).toMatchObject({
    identity: { email: alice.email, identified: true },
  });
  await expect(widget(page)).toHaveAttribute('data-identification-email', alice.email);
});

test('the widget disappears on the route without a chatflow and comes back', async ({ page }) => {
  await page.goto('/');
  await signIn(page, alice);
  await expect(widget(page)).toHaveAttribute('data-identification-email', alice.email);
  const { shellGeneration } = (await standInState(page)) as unknown as StandIn;

  await navigate(page, 'Docs');
  await expect(widget(page)).toHaveCount(0);
  await expect(widgetHolds(page)).toHaveText(`${alice.email} (not on the page)`);
  await expect(sdkState(page)).toHaveText('authenticated');

  await navigate(page, 'Pricing');
  await expect(widget(page)).toHaveAttribute('data-identification-email', alice.email);
  await expectWidgetIdentity(page, alice.email);
  expect(((await standInState(page)) as unknown as StandIn).shellGeneration).toBe(shellGeneration);
});

test("with load: loadOnInteraction, nothing of HubSpot's before the first click, and the first instance is alice's", async ({
  page,
}) => {
  await page.goto('/');
  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  const requests = recordRequests(page);
  await page.getByLabel('Load HubSpot on the first interaction').click();
  await page.waitForURL(/load=interaction/);
  await expect(sdkState(page)).toHaveText('authenticated'); // the token is held for the load
  await expect(launcher(page)).toBeVisible();
  await page.waitForTimeout(1000);
  expect(requests.urls.filter(isHubSpotScript)).toEqual([]);
  expect(await page.evaluate(() => 'hsConversationsSettings' in window)).toBe(false);
  await expect(widget(page)).toHaveCount(0);

  await launcher(page).click();
  // The launcher opens the chat once HubSpot has loaded: alice, from the first instance on.
  await expect(chatFrame(page).getByTestId('chat-identity')).toHaveText(alice.email);
  await expect(launcher(page)).toHaveCount(0);
  const { shells } = await standInState(page);
  expect((shells as Array<{ email: string }>).map((s) => s.email)).toEqual([alice.email]);
  expect(requests.script()).toBe(2); // HubSpot's loader, and the chat script it inserts
});

test('the launcher is reachable with Tab and opens the chat with Enter', async ({ page }) => {
  // A slow network: HubSpot's script takes 2 s, so the launcher stays while the visitor tabs to it
  // (the first key press is the interaction that starts loading HubSpot).
  await page.route('**/hubspot-stand-in.js*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.continue();
  });
  await page.goto('/?load=interaction');
  await expect(launcher(page)).toBeVisible();
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    if (await launcher(page).evaluate((button) => button === document.activeElement)) break;
  }
  await expect(launcher(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(launcher(page)).toHaveAttribute('aria-busy', 'true');
  await expect(chatFrame(page).getByTestId('chat-identity')).toHaveText('Anonymous visitor', {
    timeout: 10_000,
  });
  await expect(launcher(page)).toHaveCount(0);
});

test('hide → sign in → show: the widget shows alice, and never showed her while hidden', async ({
  page,
}) => {
  await page.goto('/');
  await expect(widget(page)).toHaveAttribute('data-identified', 'false');
  await page.getByRole('button', { name: 'Hide chat' }).click();
  await expect(widget(page)).toHaveCount(0);

  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  await page.waitForTimeout(1500); // long enough for any reload HubSpot would have made
  await expect(widget(page)).toHaveCount(0);

  await page.getByRole('button', { name: 'Show chat' }).click();
  await expect(widget(page)).toHaveAttribute('data-identification-email', alice.email);
  await expectWidgetIdentity(page, alice.email);
});

test('the unread badge follows HubSpot, and goes back to nothing at sign-out', async ({ page }) => {
  await page.goto('/');
  await signIn(page, alice);
  await expect(widget(page)).toHaveAttribute('data-identification-email', alice.email);
  await expect(unreadBadge(page)).toHaveCount(0);

  await simulateUnread(page, 3);
  await expect(unreadBadge(page)).toHaveText('3');
  await expect(page.getByRole('button', { name: 'Messages, 3 unread' })).toBeVisible();
  await simulateUnread(page, 1);
  await expect(unreadBadge(page)).toHaveText('1');
  await simulateUnread(page, 0);
  await expect(unreadBadge(page)).toHaveCount(0);

  await simulateUnread(page, 2);
  await expect(unreadBadge(page)).toHaveText('2');
  await signOut(page);
  await expect(sdkState(page)).toHaveText('logged-out');
  await expect(unreadBadge(page)).toHaveCount(0);
  await expect(page.locator('#unread')).toHaveText('0');
});
