import { expect, test } from '@playwright/test';
import { hubspotSettings, sdkState, standInState, widget } from './demo';

test('the plain <script> page logs in and out with the UMD bundles alone', async ({ page }) => {
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto('/plain');
  // createChat and ChatError from the main file; mountLauncher added by the launcher's file.
  expect(
    await page.evaluate(() =>
      Object.keys((window as unknown as { HubSpotVisitorChat: object }).HubSpotVisitorChat).sort(),
    ),
  ).toEqual(['ChatError', 'createChat', 'loadOnInteraction', 'loadWhenIdle', 'mountLauncher']);
  const logIn = page.getByRole('button', { name: 'Log in as Alice' });
  const logOut = page.getByRole('button', { name: 'Log out' });
  await expect(sdkState(page)).toHaveText('anonymous');
  await expect(widget(page)).toHaveAttribute('data-identified', 'false');
  // Nobody is signed in: only Log in does something.
  await expect(logIn).toBeEnabled();
  await expect(logOut).toBeDisabled();
  await logIn.click();
  await expect(sdkState(page)).toHaveText('authenticated');
  await expect(widget(page)).toHaveAttribute('data-identification-email', 'alice@example.com');
  await expect(logIn).toBeDisabled();
  await expect(logOut).toBeEnabled();
  await logOut.click();
  await expect(sdkState(page)).toHaveText('logged-out');
  await expect(widget(page)).toHaveAttribute('data-identified', 'false');
  expect(await hubspotSettings(page)).not.toHaveProperty('identificationEmail');
  expect(await standInState(page)).toMatchObject({ identity: { identified: false } });
  await expect(logIn).toBeEnabled();
  await expect(logOut).toBeDisabled();
  // Every log line says when it happened, as on the React page.
  const lines = page.locator('#log li');
  await expect(page.locator('#log [data-event="logout"]')).toHaveCount(1);
  for (const time of await lines.locator('time').allTextContents()) {
    expect(time).toMatch(/\d:\d\d:\d\d/);
  }
  expect(await lines.locator('time').count()).toBe(await lines.count());
  expect(failed).toEqual([]);
  // The browser asks no /favicon.ico, which the demo server answers 404 (headless Chromium does not
  // report that request to the page, so the declaration that prevents it is what is checked).
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', /^data:/);
});
