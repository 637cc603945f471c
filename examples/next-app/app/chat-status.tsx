'use client';
import { useChatLoaded, useChatState, useHubSpotChat } from 'hubspot-visitor-chat/react';

export function ChatStatus() {
  const { open } = useHubSpotChat();
  const { state, identity } = useChatState();
  // Whether HubSpot's widget is on the page (false while it loads, or when it is blocked).
  const loaded = useChatLoaded();

  return (
    <section aria-label="Chat">
      <p data-testid="chat-state">
        Chat: {state}
        {identity && ` as ${identity.email}`}
      </p>
      <button type="button" disabled={!loaded} onClick={open}>
        Open the chat
      </button>
    </section>
  );
}
