'use client';
import { useChatState, useHubSpotChat } from 'hubspot-visitor-chat/react';
import { useCallback, useSyncExternalStore } from 'react';

export function ChatStatus() {
  const { chat, open } = useHubSpotChat();
  const { state, identity } = useChatState();
  // Whether HubSpot's widget is on the page: the chat's `loaded` event says when that changes.
  const subscribe = useCallback((changed: () => void) => chat.on('loaded', changed), [chat]);
  const loaded = useSyncExternalStore(
    subscribe,
    () => chat.loaded,
    () => false,
  );

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
