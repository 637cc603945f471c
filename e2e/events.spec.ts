import { expect, test } from '@playwright/test';
import {
  alice,
  chatFrame,
  expectWidgetIdentity,
  sdkState,
  signIn,
  startConversation,
} from './demo';

test('a conversation started in the widget reaches the event log, also after a reset', async ({
  page,
}) => {
  await page.goto('/');
  await expectWidgetIdentity(page, 'Anonymous visitor');
  await startConversation(page, 'Anonymous hello');
  await expect(page.locator('#log [data-event="conversationStarted"]')).toHaveCount(1);

  await signIn(page, alice); // resets the widget: HubSpot drops its listeners
  await expect(sdkState(page)).toHaveText('authenticated');
  await expectWidgetIdentity(page, alice.email);
  await startConversation(page, 'Alice hello');
  await expect(page.locator('#log [data-event="conversationStarted"]')).toHaveCount(2);
  await expect(page.locator('#log [data-event="contactAssociated"]')).toHaveCount(1);
  await chatFrame(page).getByRole('button', { name: 'Close chat' }).click();
  await expect(page.locator('#log [data-event="widgetClosed"]')).toHaveCount(1);
});
