import { expect, test } from '@playwright/test';

// The launcher under a strict CSP (no 'unsafe-inline' styles): styled through the CSSOM only,
// keyboard-operable, and it gives way to HubSpot's widget once that has loaded (issue 12).
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Launcher under a strict CSP</title></head>
<body><main><h1>Shop</h1><a href="#top">First link</a></main>
<script src="/dist/hubspot-visitor-chat.umd.min.js"></script>
<script src="/dist/hubspot-visitor-chat.launcher.umd.min.js"></script>
<script src="/launcher-page.js"></script></body></html>`;
const script = `
window.__fakeHubSpot = { config: { initDelayMs: 1500 } }; // HubSpot's script takes its time
const chat = HubSpotVisitorChat.createChat({
  portalId: '1234567', scriptUrl: '/hubspot-stand-in.js?portal=1234567',
  tokenUrl: '/api/chat-token', load: HubSpotVisitorChat.loadOnInteraction,
});
HubSpotVisitorChat.mountLauncher(chat, { label: 'Chat with us' });
chat.start();
window.chat = chat;`;

test('the launcher works under a strict CSP, by keyboard, and gives way to the widget', async ({
  page: tab,
}) => {
  const csp = "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'self' about:";
  await tab.route('**/launcher-page', (route) =>
    route.fulfill({
      body: page,
      contentType: 'text/html',
      headers: { 'Content-Security-Policy': csp },
    }),
  );
  await tab.route('**/launcher-page.js', (route) =>
    route.fulfill({ body: script, contentType: 'text/javascript' }),
  );
  await tab.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { violations: string[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.sourceFile}`),
    );
  });
  const hubspotRequests: string[] = [];
  tab.on('request', (request) => {
    if (request.url().includes('hubspot-stand-in')) hubspotRequests.push(request.url());
  });
  await tab.goto('/launcher-page');
  const launcher = tab.getByRole('button', { name: 'Chat with us' });
  await expect(launcher).toBeVisible();
  expect(await launcher.evaluate((b) => getComputedStyle(b).position)).toBe('fixed');
  expect(hubspotRequests).toEqual([]); // nothing of HubSpot's before the visitor asks

  // Reachable with Tab, with a visible focus ring; Enter opens the chat.
  await tab.keyboard.press('Tab'); // the page's own link
  await tab.keyboard.press('Tab');
  await expect(launcher).toBeFocused();
  expect(await launcher.evaluate((b) => getComputedStyle(b).outlineStyle)).toBe('solid');
  await tab.keyboard.press('Enter');
  await expect(launcher).toHaveAttribute('aria-busy', 'true');
  await expect(tab.locator('#hubspot-messages-iframe-container')).toBeVisible();
  await expect(launcher).toHaveCount(0);
  await expect(tab.locator('html')).toHaveClass(/hs-messages-widget-open/);

  const violations = await tab.evaluate(
    () => (window as unknown as { violations: string[] }).violations,
  );
  expect(violations.filter((v) => v.includes('hubspot-visitor-chat'))).toEqual([]);
});
