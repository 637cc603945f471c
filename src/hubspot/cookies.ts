/** The chat cookies HubSpot's `clear()` deletes — hubspot-api.md §5. */
export const CHAT_COOKIES = [
  'messagesUtk',
  'hs-messages-is-open',
  'hs-messages-hide-welcome-message',
];

/** HubSpot's tracking cookies, which `clear()` leaves alone — hubspot-api.md §5. */
export const TRACKING_COOKIES = ['hubspotutk', '__hstc', '__hssc'];

/**
 * Expires `names` on every domain they may have been written on: the host alone, and the host and
 * each parent domain with a leading dot (HubSpot writes chat cookies on `.<hostname without www>`,
 * tracking cookies on the site's top domain). Browsers ignore the domains they would refuse.
 */
export function expireCookies(names: string[]): void {
  const domains = [''];
  const labels = location.hostname.split('.');
  for (let i = 0; i < labels.length - 1; i++)
    domains.push(`; domain=.${labels.slice(i).join('.')}`);
  for (const name of names) {
    for (const domain of domains) {
      // biome-ignore lint/suspicious/noDocumentCookie: cookieStore is missing in Safari and Firefox.
      document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/${domain}`;
    }
  }
}
