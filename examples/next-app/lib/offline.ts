// Offline (HUBSPOT_PORTAL_ID unset): the library's HubSpot stand-in plays the widget, and tokens
// are JWTs signed with this secret, which the stand-in checks through /api/verify-token. The
// default is public and fake: set CHAT_TOKEN_SECRET to your own (32 bytes or more).
const FAKE_SECRET = 'fake-example-secret-do-not-use-in-production-0123';
export const offlineSecret = process.env.CHAT_TOKEN_SECRET ?? FAKE_SECRET;
