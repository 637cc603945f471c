import { expect, type Page, test } from '@playwright/test';
import { alice, hubspotSettings, sdkState, signIn, signOut } from './demo';

/** Everywhere a token could be left behind in the page. */
const traces = (page: Page) =>
  page.evaluate(() =>
    [
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
      location.href,
      document.documentElement.outerHTML,
      JSON.stringify(
        (window as unknown as { hsConversationsSettings?: object }).hsConversationsSettings ?? {},
      ),
    ].join('\n'),
  );

test('the token is sent nowhere, logged nowhere, crosses no tab, and is gone after logout and destroy', async ({
  context,
}) => {
  const page = await context.newPage();
  const otherTab = await context.newPage();
  const logs: string[] = [];
  page.on('console', (message) => logs.push(message.text()));
  const sent: string[] = [];
  page.on('request', (request) => {
    // /api/verify-token is the stand-in playing HubSpot's servers, which do receive the token.
    if (!request.url().endsWith('/api/verify-token'))
      sent.push(`${request.url()} ${request.postData() ?? ''}`);
  });
  await otherTab.goto('/plain');
  await otherTab.evaluate(() => {
    const heard: unknown[] = [];
    (window as unknown as { heard: unknown[] }).heard = heard;
    new BroadcastChannel('hubspot-visitor-chat').onmessage = (event) => heard.push(event.data);
  });

  await page.goto('/?debug');
  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  const { identificationToken: token } = (await hubspotSettings(page)) as {
    identificationToken: string;
  };
  expect(token).toMatch(/^ey/);
  expect(logs.join('\n')).toContain('state: authenticating → authenticated');

  await signOut(page);
  await expect(sdkState(page)).toHaveText('logged-out');
  expect(await traces(page)).not.toContain(token);

  await signIn(page, alice);
  await expect(sdkState(page)).toHaveText('authenticated');
  const second = ((await hubspotSettings(page)) as { identificationToken: string })
    .identificationToken;
  await page.evaluate(() => (window as unknown as { chat: { destroy(): void } }).chat.destroy());
  await expect(sdkState(page)).toHaveText('destroyed');
  expect(await traces(page)).not.toContain(second);
  await expect(page.locator('#hubspot-messages-iframe-container')).toHaveCount(0);

  for (const t of [token, second]) {
    expect(logs.join('\n')).not.toContain(t);
    expect(sent.join('\n')).not.toContain(t);
    expect(
      JSON.stringify(
        await otherTab.evaluate(() => (window as unknown as { heard: unknown[] }).heard),
      ),
    ).not.toContain(t);
  }
  const heard = await otherTab.evaluate(
    () => (window as unknown as { heard: Array<{ type: string }> }).heard,
  );
  expect(heard.map((m) => m.type)).toEqual(['login', 'logout', 'login']);
});
