/**
 * The chat cookies HubSpot's `clear()` deletes: `messagesUtk` and every `hs-messages-*` (open state,
 * welcome message, and in the newest build the widget's position and size) — docs/hubspot.md §5.
 */
export const CHAT_COOKIES = ['messagesUtk', 'hs-messages-*'];

/** HubSpot's tracking cookies, which `clear()` leaves alone — docs/hubspot.md §5. */
export const TRACKING_COOKIES = ['hubspotutk', '__hstc', '__hssc'];

/** Every cookie the chat and HubSpot's tracking set, for a consent revocation — docs/consent.md. */
export const ALL_HUBSPOT_COOKIES = [...TRACKING_COOKIES, ...CHAT_COOKIES];

/**
 * Expires those of `names` that exist (a name ending in `*` is a prefix), on every domain they may
 * have been written on: the host alone, and the host and each parent domain with a leading dot
 * (HubSpot writes chat cookies on `.<hostname without www>`, tracking cookies on the site's top
 * domain). Browsers ignore the domains they would refuse. Sets no cookie that does not exist.
 */
export function expireCookies(names: string[]): void {
  const domains = [''];
  const labels = location.hostname.split('.');
  for (let i = 0; i < labels.length - 1; i++)
    domains.push(`; domain=.${labels.slice(i).join('.')}`);
  for (const pair of document.cookie.split(';')) {
    const name = pair.split('=')[0]?.trim() ?? '';
    const wanted = names.some((n) =>
      n.endsWith('*') ? name.startsWith(n.slice(0, -1)) : name === n,
    );
    if (!wanted) continue;
    for (const domain of domains) {
      // biome-ignore lint/suspicious/noDocumentCookie: cookieStore is missing in Safari and Firefox.
      document.cookie = `${name}=; max-age=-1; path=/${domain}`;
    }
  }
}
