/** The chat cookies HubSpot's `clear()` deletes — hubspot-api.md §5. */
export const CHAT_COOKIES = [
  'messagesUtk',
  'hs-messages-is-open',
  'hs-messages-hide-welcome-message',
];

/**
 * Expires `names` on every domain HubSpot may have written them on: the host itself, and
 * `.<hostname without www>` (hubspot-api.md §5 "Cookies").
 */
export function expireCookies(names: string[]): void {
  const host = location.hostname;
  const domains = ['', `; domain=${host}`, `; domain=.${host.replace(/^www\./, '')}`];
  for (const name of names) {
    for (const domain of domains) {
      // biome-ignore lint/suspicious/noDocumentCookie: cookieStore is missing in Safari and Firefox.
      document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/${domain}`;
    }
  }
}
