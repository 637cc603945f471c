// Runs once when the server starts (`next start`, `next dev`): say how the chat is set up.
export function register() {
  if (process.env.HUBSPOT_PORTAL_ID) {
    if (!process.env.HUBSPOT_ACCESS_TOKEN) {
      console.warn('HUBSPOT_ACCESS_TOKEN is not set: /api/chat-token will answer 500');
    }
  } else if (!process.env.CHAT_TOKEN_SECRET) {
    console.warn(
      'Offline (HUBSPOT_PORTAL_ID not set): chat tokens are signed with a FAKE, public secret',
    );
  }
}
