import { expect, test } from '@playwright/test';
import { hubspotSettings, sdkState, standInState, widget } from './demo';

test('the plain <script> page logs in and out with the UMD bundles alone', async ({ page }) => {
  await page.goto('/plain');
  // createChat and ChatError from the main file; mountLauncher added by the launcher's file.
  expect(
    await page.evaluate(() =>
      Object.keys((window as unknown as { HubSpotVisitorChat: object }).HubSpotVisitorChat).sort(),
    ),
  ).toEqual(['ChatError', 'createChat', 'mountLauncher']);
  await expect(sdkState(page)).toHaveText('anonymous');
  await expect(widget(page)).toHaveAttribute('data-identified', 'false');
  await page.getByRole('button', { name: 'Log in as Alice' }).click();
  await expect(sdkState(page)).toHaveText('authenticated');
  await expect(widget(page)).toHaveAttribute('data-identification-email', 'alice@example.com');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(sdkState(page)).toHaveText('logged-out');
  await expect(widget(page)).toHaveAttribute('data-identified', 'false');
  expect(await hubspotSettings(page)).not.toHaveProperty('identificationEmail');
  expect(await standInState(page)).toMatchObject({ identity: { identified: false } });
});
