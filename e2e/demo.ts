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

// ——— The React demo's own parts (issue 12–14) ———

/** What the panel says the widget itself holds (from the stand-in, not from the SDK). */
export const widgetHolds = (page: Page) => page.locator('#widget-identity');
export const unreadBadge = (page: Page) => page.getByTestId('unread-badge');
/** The SDK's launcher (`<ChatLauncher />`), shown with `?load=interaction` until HubSpot loads. */
export const launcher = (page: Page) => page.getByRole('button', { name: 'Chat with us' });
export const consentBanner = (page: Page) =>
  page.getByRole('region', { name: 'Cookies for the chat' });

/** Client-side navigation through the site's menu (React Router, no page load). */
export async function navigate(page: Page, name: 'Home' | 'Pricing' | 'Docs') {
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** True for a request to HubSpot's script: the stand-in's URL offline, js.hs-scripts.com live. */
export const isHubSpotScript = (url: string) =>
  /\/hubspot-stand-in\.js|\/\/js(-[a-z]{2}\d)?\.hs-scripts\.com\//.test(url);
export const isTokenRequest = (url: string) => new URL(url).pathname === '/api/chat-token';

/** Records every request the page makes from now on. */
export function recordRequests(page: Page) {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return {
    urls,
    script: () => urls.filter(isHubSpotScript).length,
    token: () => urls.filter(isTokenRequest).length,
  };
}

type FakeWindow = {
  __fakeHubSpot: { simulate: { unread(count: number): void } };
};

/** HubSpot reports unread conversations (the stand-in plays an agent's reply). */
export const simulateUnread = (page: Page, count: number) =>
  page.evaluate((n) => (window as unknown as FakeWindow).__fakeHubSpot.simulate.unread(n), count);
