// One story over every example app (the projects of playwright.examples.config.ts): what a visitor
// sees in the app and in the chat widget (HubSpot's stand-in, served by the app's backend) as they
// sign in, switch user, sign out and move between routes.
import { expect, type Page, test } from '@playwright/test';
import type { StandInState } from '../../src/testing/stand-in';

const alice = 'alice@example.com';
const bob = 'bob@example.com';

type StandInWindow = { __fakeHubSpot?: { state?(): StandInState } };

/**
 * The stand-in's view of HubSpot's widget (a test hook; the app never reads it), once its script
 * has run: a server-rendered app shows its first state before that.
 */
async function widget(page: Page): Promise<StandInState> {
  const state = await page.waitForFunction(() =>
    (window as unknown as StandInWindow).__fakeHubSpot?.state?.(),
  );
  return (await state.jsonValue()) as StandInState;
}

/** Who HubSpot's widget would chat as: the identity of the instance that is on the page now. */
const widgetIdentity = async (page: Page) => {
  const state = await widget(page);
  return state.loaded ? state.identity : 'not loaded';
};

/** Who the chat window itself says the visitor is, as a visitor opening it would read it. */
async function expectChatWindowShows(page: Page, who: string) {
  const frame = page.frameLocator('#hubspot-conversations-iframe');
  await frame.getByRole('button', { name: 'Open chat' }).click();
  await expect(frame.getByTestId('chat-identity')).toHaveText(who);
}

async function signIn(page: Page, email: string) {
  await page.getByLabel('User').selectOption(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
}

test('the chat follows sign-in, a switch of user, sign-out and route changes', async ({ page }) => {
  const chatState = page.getByTestId('chat-state');

  await test.step('an anonymous visitor gets the anonymous widget', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
    await expect(chatState).toHaveText('Chat: anonymous');
    await expect.poll(() => widgetIdentity(page)).toEqual({ email: '', identified: false });
    await expectChatWindowShows(page, 'Anonymous visitor');
  });

  await test.step('signing in as alice identifies alice in the widget', async () => {
    await signIn(page, alice);
    await expect(chatState).toHaveText(`Chat: authenticated as ${alice}`);
    await expect.poll(() => widgetIdentity(page)).toEqual({ email: alice, identified: true });
    await expectChatWindowShows(page, alice);
  });

  await test.step('switching to bob resets the widget once, to bob', async () => {
    const before = (await widget(page)).shells.length;
    await signIn(page, bob);
    await expect(chatState).toHaveText(`Chat: authenticated as ${bob}`);
    await expect.poll(() => widgetIdentity(page)).toEqual({ email: bob, identified: true });
    const { shells, lastIdentityError } = await widget(page);
    expect(shells.slice(before).map((shell) => shell.email)).toEqual([bob]);
    expect(lastIdentityError).toBeNull();
    await expectChatWindowShows(page, bob);
  });

  await test.step('signing out leaves an anonymous widget, with no identity', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByText(/Signed in as/)).toBeHidden();
    await expect(chatState).toHaveText('Chat: logged-out');
    await expect.poll(() => widgetIdentity(page)).toEqual({ email: '', identified: false });
    expect((await widget(page)).visibleThreads).toEqual([]);
    await expectChatWindowShows(page, 'Anonymous visitor');
  });

  await test.step('a route change is a page view, and the widget stays as it was', async () => {
    const { refreshCalls, shellGeneration } = await widget(page);
    await page.getByRole('link', { name: 'Pricing' }).click();
    await expect(page).toHaveURL(/\/pricing$/);
    await expect(page.getByRole('heading', { name: 'Pricing' })).toBeVisible();
    await expect.poll(async () => (await widget(page)).refreshCalls).toBe(refreshCalls + 1);
    const after = await widget(page);
    expect(after.shellGeneration).toBe(shellGeneration); // a page view, not a new instance
    expect(await widgetIdentity(page)).toEqual({ email: '', identified: false });
    await expect(chatState).toHaveText('Chat: logged-out');
  });
});
