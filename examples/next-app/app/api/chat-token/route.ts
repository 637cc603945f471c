// The endpoint the chat calls (`tokenUrl`): a token for whoever the session says is signed in.
// Created once, at module scope. `next build` imports this module, usually without the runtime
// secrets: a missing HUBSPOT_ACCESS_TOKEN throws nothing here; each request then answers 500 and
// `onError` says which secret is missing (docs/backend.md, "Secrets at build time").
import {
  createTokenHandler,
  hubspotTokenMinter,
  jwtTokenMinter,
} from 'hubspot-visitor-chat/server';
import { offlineSecret } from '../../../lib/offline';
import { sessionEmail, sessionIdOf } from '../../../lib/session';

const handler = createTokenHandler({
  getVisitor: (request) => {
    const email = sessionEmail(sessionIdOf(request.headers.get('cookie')));
    return email ? { email } : null;
  },
  // With a HubSpot portal, HubSpot's Visitor Identification API mints the tokens; offline, a JWT
  // that the stand-in checks through /api/verify-token.
  mint: process.env.HUBSPOT_PORTAL_ID
    ? hubspotTokenMinter({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' })
    : jwtTokenMinter({ secret: offlineSecret }),
  onError: (error) => console.error('chat token:', error),
});

// Same-origin only: a page on another origin would also need OPTIONS (see docs/backend.md).
export const POST = handler;
