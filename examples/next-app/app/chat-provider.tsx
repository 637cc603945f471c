'use client';
// The provider lives in a Client Component of its own so that it can take `onError` (functions
// cannot cross from the server layout to the client).
import type { ChatError } from 'hubspot-visitor-chat';
import { HubSpotChatProvider } from 'hubspot-visitor-chat/react';
import type { ReactNode } from 'react';

const report = (error: ChatError) => console.warn('chat:', error.code, error.message);

/** Offline: the stand-in accepts only tokens it issued itself, unless told how to check others. */
function checkTokensWithOurBackend(): void {
  if (typeof window === 'undefined' || '__fakeHubSpot' in window) return;
  // Our backend signed these tokens, so it checks them (HubSpot does the same with the tokens it
  // minted). Set before the provider's effect loads the stand-in's script.
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

export function ChatProvider(props: {
  /** HubSpot's widget for this portal; null: everything stays on this machine (the stand-in). */
  portalId: string | null;
  /** Who the server's session says is signed in. */
  email: string | null;
  children: ReactNode;
}) {
  const { portalId, email, children } = props;
  if (!portalId) checkTokensWithOurBackend();
  const options = portalId
    ? { portalId, tokenUrl: '/api/chat-token' }
    : { portalId: '1234567', tokenUrl: '/api/chat-token', scriptUrl: '/hubspot-stand-in.js' };
  return (
    <HubSpotChatProvider {...options} signedIn={email ?? false} onError={report}>
      {children}
    </HubSpotChatProvider>
  );
}
