import { expect, test } from '@playwright/test';
import {
  alice,
  expectWidgetIdentity,
  hubspotSettings,
  sdkState,
  signIn,
  signOut,
  standInState,
  startConversation,
} from './demo';

test("sign out: identity gone, chat cookies reset, widget anonymous, alice's conversation gone", async ({
  page,
  context,
}) => {
  const messagesUtk = async () =>
    (await context.cookies()).find((c) => c.name === 'messagesUtk')?.value;
  await page.goto('/');
  await expect.poll(messagesUtk).toBeTruthy(); // written once the anonymous widget has loaded
  const anonymousUtk = await messagesUtk();
  await signIn(page, alice);
  await expectWidgetIdentity(page, alice.email);
  await startConversation(page, 'Alice: where is my parcel?');
  const token = (await hubspotSettings(page)) as { identificationToken?: string };
  expect(token.identificationToken).toBeTruthy();

  await signOut(page);
  await expect(sdkState(page)).toHaveText('logged-out');
  await expect(page.locator('#identity')).toHaveText('nobody');
  const settings = await hubspotSettings(page);
  expect(settings).not.toHaveProperty('identificationEmail');
  expect(settings).not.toHaveProperty('identificationToken');

  await expect(page.locator('#hubspot-messages-iframe-container')).toHaveAttribute(
    'data-identified',
    'false',
  );
  await expect.poll(messagesUtk).toBeTruthy(); // the new anonymous instance's own
  const cookies = await context.cookies(); // before anyone opens the new widget
  await expectWidgetIdentity(page, 'Anonymous visitor');
  const frame = page.frameLocator('#hubspot-conversations-iframe');
  await expect(frame.getByTestId('chat-threads')).toHaveText('No conversations yet');
  expect(cookies.map((c) => c.name).filter((n) => n.startsWith('hs-messages'))).toEqual([]);
  const newUtk = cookies.find((c) => c.name === 'messagesUtk')?.value;
  expect(newUtk).toBeTruthy();
  expect(newUtk).not.toBe(anonymousUtk); // the anonymous visitor before alice is forgotten too
  const html = await page.content();
  expect(html).not.toContain(token.identificationToken);
  // What HubSpot holds now; `shells` and `widgetRequests` are the stand-in's record of the past.
  const { shells: _history, widgetRequests: _requests, ...now } = await standInState(page);
  expect(JSON.stringify(now)).not.toContain(alice.email);
});
