// Issue 13 in the React demo: the site's own consent banner (`?consent=ask`) drives the provider's
// `consent` prop. Every request of the page is recorded: before Accept nothing of HubSpot's loads
// and no token is asked for; Withdraw takes all of it away again.
import { expect, test } from '@playwright/test';
import {
  alice,
  bob,
  consentBanner,
  expectWidgetIdentity,
  recordRequests,
  sdkState,
  signIn,
  signOut,
  standInState,
  watchLoaderInsertion,
  widget,
} from './demo';

type ChatWindow = {
  chat: { login(): Promise<unknown> };
  _hsp?: unknown[];
  waiting?: Promise<string>;
};

/** HubSpot's cookies: the chat's and its tracking code's (issue 13 rule 4). */
const HUBSPOT_COOKIE = /^(messagesUtk|hubspotutk|__hstc|__hssc|hs-messages-.*)$/;
const pathOf = (url: string) => new URL(url).pathname;

test('pending: nothing leaves the page; Accept: one loader, one token, alice; Withdraw: all gone, and a later login is refused', async ({
  page,
  context,
}) => {
  const requests = recordRequests(page);
  const insertions = await watchLoaderInsertion(page);
  const cookieNames = async () => (await context.cookies()).map((c) => c.name).sort();

  await test.step('pending: sign in, and for a second nothing of HubSpot and no token request', async () => {
    await page.goto('/?consent=ask');
    await expect(consentBanner(page)).toBeVisible();
    await expect(page.locator('#consent')).toHaveText('pending');
    // No widget can be shown before the answer: nothing to hide; nobody signed in: nothing to retry.
    await expect(page.getByRole('button', { name: 'Hide chat' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Retry chat login' })).toBeDisabled();
    const cookieBefore = await page.evaluate(() => document.cookie);
    const from = requests.urls.length;
    await signIn(page, alice); // the provider's login() waits for the visitor's answer
    await expect(page.locator('#session')).toHaveText(alice.email);
    await page.waitForTimeout(1000);
    expect(requests.urls.slice(from).map(pathOf)).toEqual(['/api/sign-in']);
    expect(requests.script()).toBe(0);
    expect(requests.token()).toBe(0);
    expect(await page.evaluate(() => 'hsConversationsSettings' in window)).toBe(false);
    expect(await page.evaluate(() => document.cookie)).toBe(cookieBefore);
    await expect(sdkState(page)).toHaveText('anonymous');
    await expect(widget(page)).toHaveCount(0);
  });

  await test.step('Accept: one loader, one token request, the widget shows alice', async () => {
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect(consentBanner(page)).toHaveCount(0);
    await expect(sdkState(page)).toHaveText('authenticated');
    await expectWidgetIdentity(page, alice.email);
    expect(await insertions()).toHaveLength(1);
    expect(requests.token()).toBe(1);
    const { shells } = await standInState(page);
    expect((shells as Array<{ email: string }>).map((s) => s.email)).toEqual([alice.email]);
  });

  await test.step("Withdraw: no widget, HubSpot's cookies gone, revokeCookieConsent pushed", async () => {
    // HubSpot's tracking code and an earlier anonymous chat would have left these (the stand-in
    // sets only the open-chat cookie); site_theme is the site's own and must stay.
    await page.evaluate(() => {
      for (const cookie of [
        'hubspotutk=0f1e2d3c',
        '__hstc=1.0f1e2d3c.1.1.1.1',
        '__hssc=1.1.1',
        'messagesUtk=feedbeef',
        'site_theme=dark',
      ]) {
        document.cookie = `${cookie}; path=/`;
      }
    });
    expect(await cookieNames()).toEqual(
      expect.arrayContaining([
        '__hssc',
        '__hstc',
        'hs-messages-is-open',
        'hubspotutk',
        'messagesUtk',
        'site_theme',
      ]),
    );
    await page.getByRole('button', { name: 'Withdraw consent' }).click();
    await expect(page.locator('#consent')).toHaveText('denied');
    await expect(sdkState(page)).toHaveText('logged-out');
    await expect(widget(page)).toHaveCount(0);
    await expect
      .poll(async () => (await cookieNames()).filter((name) => HUBSPOT_COOKIE.test(name)))
      .toEqual([]);
    expect(await cookieNames()).toContain('site_theme');
    expect(await page.evaluate(() => (window as unknown as ChatWindow)._hsp)).toContainEqual([
      'revokeCookieConsent',
    ]);
  });

  await test.step('a later login is refused with CONSENT_DENIED, without any request', async () => {
    const tokens = requests.token();
    const scripts = requests.script();
    const outcome = await page.evaluate(() =>
      (window as unknown as ChatWindow).chat.login().then(
        () => 'resolved',
        (error: { code: string }) => error.code,
      ),
    );
    expect(outcome).toBe('CONSENT_DENIED');
    await page.getByRole('button', { name: 'Retry chat login' }).click();
    await expect(page.locator('#error')).toContainText('CONSENT_DENIED');
    await signOut(page);
    await signIn(page, bob);
    await expect(page.locator('#session')).toHaveText(bob.email);
    await page.waitForTimeout(1000);
    expect(requests.token()).toBe(tokens);
    expect(requests.script()).toBe(scripts);
    await expect(sdkState(page)).toHaveText('logged-out');
    await expect(widget(page)).toHaveCount(0);
  });
});

test('pending → Decline: the waiting login is refused with CONSENT_DENIED, and nothing loaded', async ({
  page,
}) => {
  const requests = recordRequests(page);
  await page.goto('/?consent=ask');
  await signIn(page, alice);
  await expect(page.locator('#session')).toHaveText(alice.email);
  // The provider's login() waits for the answer; a login() made now waits with it.
  await page.evaluate(() => {
    const w = window as unknown as ChatWindow;
    w.waiting = w.chat.login().then(
      () => 'resolved',
      (error: { code: string }) => error.code,
    );
  });
  await page.getByRole('button', { name: 'Decline' }).click();
  expect(await page.evaluate(() => (window as unknown as ChatWindow).waiting)).toBe(
    'CONSENT_DENIED',
  );
  await expect(consentBanner(page)).toHaveCount(0);
  await expect(page.locator('#consent')).toHaveText('denied');
  await expect(sdkState(page)).toHaveText('anonymous');
  // The visitor sees why there is no chat, next to the way to change it.
  await expect(page.getByText('The chat is off until you give consent')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Give consent' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hide chat' })).toBeDisabled();
  await page.waitForTimeout(1000);
  expect(requests.script()).toBe(0);
  expect(requests.token()).toBe(0);
  expect(await page.evaluate(() => 'hsConversationsSettings' in window)).toBe(false);
  await expect(widget(page)).toHaveCount(0);

  // The answer is remembered: the next page load asks nothing and loads nothing.
  await page.reload();
  await expect(page.locator('#consent')).toHaveText('denied');
  await expect(consentBanner(page)).toHaveCount(0);
  await expect(page.getByText('The chat is off until you give consent')).toBeVisible();
  await page.waitForTimeout(1000);
  expect(requests.script()).toBe(0);
  expect(requests.token()).toBe(0);
  await expect(widget(page)).toHaveCount(0);
});
