// Where the chat comes from. With VITE_HUBSPOT_PORTAL_ID set, HubSpot's real widget (and the
// backend needs HUBSPOT_ACCESS_TOKEN); without it, everything stays on this machine: the backend
// serves the library's HubSpot stand-in instead of HubSpot's script.

const portalId: string | undefined = import.meta.env.VITE_HUBSPOT_PORTAL_ID;

/** Props for `<HubSpotChatProvider>`. */
export const chatOptions = portalId
  ? { portalId, tokenUrl: '/api/chat-token' }
  : { portalId: '1234567', tokenUrl: '/api/chat-token', scriptUrl: '/hubspot-stand-in.js' };

if (!portalId) {
  // The stand-in accepts only tokens it issued itself, unless told how to check others: our
  // backend signed these, so it checks them (HubSpot does the same with the tokens it minted).
  const verifyToken = async (email: string, token: string): Promise<boolean> => {
    const response = await fetch('/api/verify-token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, token }),
    });
    return response.ok && ((await response.json()) as { valid: boolean }).valid;
  };
  Object.assign(window, { __fakeHubSpot: { config: { verifyToken } } });
}
