import { expect, test } from '@playwright/test';
import { chatFrame, sdkState, standInState, widget } from './demo';

// What a framework effect does when its key changes: destroy the chat, create a new one.
test('destroy → new chat on the same page: the widget shows an anonymous visitor, not alice', async ({
  page,
}) => {
  await page.goto('/plain');
  await page.getByRole('button', { name: 'Log in as Alice' }).click();
  await expect(sdkState(page)).toHaveText('authenticated');
  await expect(widget(page)).toHaveAttribute('data-identification-email', 'alice@example.com');
  await chatFrame(page).getByRole('button', { name: 'Open chat' }).click();
  await expect(chatFrame(page).getByTestId('chat-identity')).toHaveText('alice@example.com');

  await page.evaluate(async () => {
    const w = window as unknown as {
      chat: { destroy(): void };
      next: { start(): Promise<void>; state: string };
      __fakeHubSpot: { config: object };
      HubSpotVisitorChat: {
        createChat(options: object): { start(): Promise<void>; state: string };
      };
    };
    w.chat.destroy();
    const config = await (await fetch('/api/config')).json();
    w.next = w.HubSpotVisitorChat.createChat({
      portalId: config.portalId,
      scriptUrl: config.scriptUrl,
      tokenUrl: '/api/chat-token',
    });
    await w.next.start();
  });

  await expect(widget(page)).toHaveAttribute('data-identified', 'false');
  await chatFrame(page).getByRole('button', { name: 'Open chat' }).click();
  await expect(chatFrame(page).getByTestId('chat-identity')).toHaveText('Anonymous visitor');
  expect(
    await page.evaluate(() => (window as unknown as { next: { state: string } }).next.state),
  ).toBe('anonymous');
  const shells = (await standInState(page)).shells as Array<{ email: string }>;
  expect(shells.at(-1)?.email).toBe('');
});
