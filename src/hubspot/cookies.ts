// Cookie lists are starts of a `name=value` pair: `'messagesUtk='` is that name exactly,
// `'hs-messages-'` every name that starts so.

/**
 * The chat cookies HubSpot's `clear()` deletes: `messagesUtk` and every `hs-messages-*` (open state,
 * welcome message, and in the newest build the widget's position and size) — docs/hubspot.md §5.
 */
export const CHAT_COOKIES = ['messagesUtk=', 'hs-messages-'];

/** HubSpot's tracking cookies, which `clear()` leaves alone — docs/hubspot.md §5. */
export const TRACKING_COOKIES = ['hubspotutk=', '__hstc=', '__hssc=', '__hssrc='];

/** Every cookie the chat and HubSpot's tracking set, for a consent revocation — docs/consent.md. */
export const ALL_HUBSPOT_COOKIES = [...TRACKING_COOKIES, ...CHAT_COOKIES];

/**
 * Expires the cookies `starts` names (see above) that exist, on every domain they may have been
 * written on: the host alone, and the host and each parent domain with a leading dot (HubSpot
 * writes chat cookies on `.<hostname without www>`, tracking cookies on the site's top domain).
 * Browsers ignore the domains they would refuse. Sets no cookie that does not exist.
 */
export function expireCookies(starts: string[]): void {
  // document.cookie joins the pairs with '; '.
  for (const cookie of document.cookie.split('; ')) {
    if (!starts.some((start) => cookie.startsWith(start))) continue;
    let host = location.hostname;
    let domain = '';
    for (;;) {
      // biome-ignore lint/suspicious/noDocumentCookie: cookieStore is missing in Safari and Firefox.
      document.cookie = `${cookie.split('=')[0]}=; max-age=-1; path=/${domain}`;
      if (!host.includes('.')) break; // down to the top domain's two labels
      domain = `; domain=.${host}`;
      host = host.slice(host.indexOf('.') + 1);
    }
  }
}
