import { expect, test } from '@playwright/test';
import {
  alice,
  bob,
  countTokenRequests,
  expectWidgetIdentity,
  hubspotSettings,
  sdkState,
  signIn,
  signOut,
  standInState,
  startConversation,
} from './demo';

test('sign in: authenticating → authenticated with one token request; the widget identifies alice', async ({
  page,
}) => {
  const tokenRequests = countTokenRequests(page);
  await page.goto('/');
  await expect(sdkState(page)).toHaveText('anonymous');
  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  await expect(page.locator('#identity')).toHaveText(alice.email);
  const transitions = await page.locator('#log [data-event="state"]').allTextContents();
  expect(transitions.reverse().map((t) => t.replace(/^.*state\s*/, ''))).toEqual([
    'anonymous → authenticating',
    'authenticating → authenticated',
  ]);
  expect(tokenRequests()).toBe(1);
  await expectWidgetIdentity(page, alice.email);
  expect(await hubspotSettings(page)).toMatchObject({ identificationEmail: alice.email });
});

test('reload while signed in: identified again without a user action, as the first instance', async ({
  page,
}) => {
  await page.goto('/');
  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  await page.reload();
  await expect(sdkState(page)).toHaveText('authenticated');
  await expectWidgetIdentity(page, alice.email);
  expect(await standInState(page)).toMatchObject({ shellGeneration: 1 }); // no anonymous flash
});

test("bob after alice: never alice's identity or conversation", async ({ page }) => {
  await page.goto('/');
  await signIn(page, alice);
  await expectWidgetIdentity(page, alice.email);
  await startConversation(page, 'Alice asks about invoice 42');
  await signOut(page);
  await expect(sdkState(page)).toHaveText('logged-out');
  await signIn(page, bob);
  await expect(sdkState(page)).toHaveText('authenticated');
  await expectWidgetIdentity(page, bob.email);
  const frame = page.frameLocator('#hubspot-conversations-iframe');
  await expect(frame.getByTestId('chat-threads')).toHaveText('No conversations yet');
  expect(await hubspotSettings(page)).toMatchObject({ identificationEmail: bob.email });
  // What HubSpot holds now; `shells` and `widgetRequests` are the stand-in's record of the past.
  const { shells: _history, widgetRequests: _requests, ...now } = await standInState(page);
  expect(JSON.stringify(now)).not.toContain(alice.email);
});
