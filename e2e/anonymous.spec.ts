import { expect, test } from '@playwright/test';
import { expectWidgetIdentity, sdkState, standInState, watchLoaderInsertion, widget } from './demo';

test('first visit: loader inserted once after loadImmediately:false, anonymous widget shown', async ({
  page,
}) => {
  const insertions = await watchLoaderInsertion(page);
  await page.goto('/');
  await expect(sdkState(page)).toHaveText('anonymous');
  await expect(widget(page)).toBeVisible();
  await expectWidgetIdentity(page, 'Anonymous visitor');
  expect(await insertions()).toEqual([
    {
      src: expect.stringMatching(/\/hubspot-stand-in\.js\?portal=1234567$/),
      settings: { loadImmediately: false },
    },
  ]);
  await expect(page.locator('script#hs-script-loader')).toHaveCount(1);
  await expect(page.locator('script#hubspot-messages-loader')).toHaveCount(1);
  expect(await standInState(page)).toMatchObject({ shellGeneration: 1, loaded: true });
  await expect(page.locator('#log [data-event="widgetLoaded"]')).toHaveCount(1);
});
