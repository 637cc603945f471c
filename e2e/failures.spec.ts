import { expect, test } from '@playwright/test';
import { alice, expectWidgetIdentity, hubspotSettings, sdkState, signIn, signOut } from './demo';

const failures = [
  { name: '500', status: 500, body: '{"error":"boom"}', code: 'TOKEN_HTTP' },
  { name: '401', status: 401, body: '{"error":"no session"}', code: 'TOKEN_HTTP' },
  {
    name: 'an HTML page',
    status: 200,
    body: '<!doctype html><h1>Please sign in</h1>',
    code: 'TOKEN_INVALID',
  },
];

for (const failure of failures) {
  test(`token endpoint answers ${failure.name}: error shown, back to anonymous, no identity`, async ({
    page,
  }) => {
    await page.route('**/api/chat-token', (route) =>
      route.fulfill({
        status: failure.status,
        body: failure.body,
        contentType: failure.body.startsWith('<') ? 'text/html' : 'application/json',
      }),
    );
    await page.goto('/');
    await expect(sdkState(page)).toHaveText('anonymous');
    await signIn(page, alice);
    await expect(page.locator('#error')).toContainText(failure.code);
    await expect(sdkState(page)).toHaveText('anonymous');
    expect(await hubspotSettings(page)).not.toHaveProperty('identificationToken');
    await expectWidgetIdentity(page, 'Anonymous visitor');
  });
}

test('token endpoint hangs past the timeout: TOKEN_TIMEOUT, no identity', async ({ page }) => {
  await page.route('**/api/chat-token', () => {}); // never answers
  await page.goto('/?timeoutMs=500');
  await expect(sdkState(page)).toHaveText('anonymous');
  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticating');
  await expect(page.locator('#error')).toContainText('TOKEN_TIMEOUT', { timeout: 10_000 });
  await expect(sdkState(page)).toHaveText('anonymous');
  expect(await hubspotSettings(page)).not.toHaveProperty('identificationEmail');
});

test('widget script blocked: WIDGET_UNAVAILABLE shown, sign-in and sign-out still work', async ({
  page,
}) => {
  await page.route('**/hubspot-stand-in.js*', (route) => route.abort('blockedbyclient'));
  await page.goto('/?readyTimeoutMs=3000');
  await expect(page.locator('#error')).toContainText('WIDGET_UNAVAILABLE');
  await expect(page.locator('#widget-warning')).toHaveText(
    "no chat widget: HubSpot's script did not load",
  );
  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  expect(await hubspotSettings(page)).toMatchObject({ identificationEmail: alice.email });
  // Signed in for the chat, yet no chat: the badge is the warning's colour, not success's green.
  await expect(sdkState(page)).toHaveAttribute('data-widget', 'none');
  await expect(sdkState(page)).toHaveCSS('color', 'rgb(138, 83, 0)'); // --warn
  await expect(page.locator('#widget-warning')).toBeVisible();
  await signOut(page);
  await expect(sdkState(page)).toHaveText('logged-out');
  expect(await hubspotSettings(page)).not.toHaveProperty('identificationEmail');
  await expect(page.locator('#log [data-event="error"]')).toHaveCount(1);
});
