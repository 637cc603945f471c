import { expect, test } from '@playwright/test';
import { alice, hubspotSettings, sdkState, signIn, signOut, widget } from './demo';

test('a logout in one tab reaches the other tab within a second; a login makes it log in itself', async ({
  context,
}) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const secondTokenRequests: string[] = [];
  second.on('request', (request) => {
    if (request.url().endsWith('/api/chat-token')) secondTokenRequests.push(request.url());
  });
  await first.goto('/');
  await second.goto('/');
  await expect(sdkState(first)).toHaveText('anonymous');
  await expect(sdkState(second)).toHaveText('anonymous');

  await signIn(first, alice);
  await expect(sdkState(first)).toHaveText('authenticated');
  await expect(sdkState(second)).toHaveText('authenticated'); // fetched its own token
  expect(secondTokenRequests).toHaveLength(1);
  await expect(widget(second)).toHaveAttribute('data-identification-email', alice.email);

  await signOut(first);
  await expect(sdkState(second)).toHaveText('logged-out', { timeout: 1000 });
  expect(await hubspotSettings(second)).not.toHaveProperty('identificationToken');
  await expect(widget(second)).toHaveAttribute('data-identified', 'false');
  await expect(second.locator('#session')).toHaveText('—');
});
