import { expect, test } from '@playwright/test';
import {
  alice,
  expectWidgetIdentity,
  sdkState,
  signIn,
  standInState,
  startConversation,
} from './demo';

test('a short-lived token is refreshed before it expires, without interrupting the conversation', async ({
  page,
}) => {
  // The demo backend's token, told to live 4 s: the SDK refreshes at half its lifetime.
  await page.route('**/api/chat-token', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    await route.fulfill({ response, json: { ...body, expiresIn: 4 } });
  });
  await page.goto('/');
  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  await expectWidgetIdentity(page, alice.email);
  await startConversation(page, 'A long conversation');
  const before = await standInState(page);
  await expect(page.locator('#log [data-event="tokenRefresh"]')).toHaveCount(2, {
    timeout: 10_000,
  });
  await expect(sdkState(page)).toHaveText('authenticated');
  const after = await standInState(page);
  expect(after.shellGeneration).toBe(before.shellGeneration);
  expect(after.visibleThreads).toEqual(before.visibleThreads);
});
