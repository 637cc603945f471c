// Drives the demo's SPA page like a person: sign in, sign out, use the chat.
import { expect, type Page } from '@playwright/test';

export const alice = { email: 'alice@example.com', password: 'alice-demo' };
export const bob = { email: 'bob@example.com', password: 'bob-demo' };

export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.getByLabel('Email').selectOption(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
}

export const sdkState = (page: Page) => page.locator('#state');
export const widget = (page: Page) => page.locator('#hubspot-messages-iframe-container');
export const chatFrame = (page: Page) => page.frameLocator('#hubspot-conversations-iframe');

/** What the widget says about who is chatting, once the instance has loaded. */
export async function expectWidgetIdentity(page: Page, who: string) {
  await expect(widget(page)).toHaveAttribute(
    'data-identified',
    String(who !== 'Anonymous visitor'),
  );
  await chatFrame(page).getByRole('button', { name: 'Open chat' }).click();
  await expect(chatFrame(page).getByTestId('chat-identity')).toHaveText(who);
}

export async function startConversation(page: Page, text: string) {
  const frame = chatFrame(page);
  await frame.getByLabel('Message').fill(text);
  await frame.getByRole('button', { name: 'Start conversation' }).click();
  await expect(frame.getByTestId('chat-threads')).toContainText(text);
}

/** `window.hsConversationsSettings` as HubSpot would read it. */
export const hubspotSettings = (page: Page) =>
  page.evaluate(() => ({
    ...(window as unknown as { hsConversationsSettings?: object }).hsConversationsSettings,
  }));

/** The stand-in's own view (test hook; the SDK never reads it). */
export const standInState = (page: Page) =>
  page.evaluate(() =>
    (
      window as unknown as { __fakeHubSpot: { state(): Record<string, unknown> } }
    ).__fakeHubSpot.state(),
  );

/** Counts the page's requests to the token endpoint. */
export function countTokenRequests(page: Page) {
  let count = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/chat-token') count++;
  });
  return () => count;
}

/** Snapshots HubSpot's settings at the moment the SDK inserts the loader script. */
export async function watchLoaderInsertion(page: Page) {
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { __loaderInsertions: unknown[] }).__loaderInsertions = seen;
    const append = Node.prototype.appendChild;
    Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
      if (node instanceof HTMLScriptElement && node.id === 'hs-script-loader') {
        seen.push({
          src: node.src,
          settings: {
            ...(window as unknown as { hsConversationsSettings?: object }).hsConversationsSettings,
          },
        });
      }
      return append.call(this, node) as T;
    };
  });
  return () =>
    page.evaluate(
      () => (window as unknown as { __loaderInsertions: unknown[] }).__loaderInsertions,
    );
}
