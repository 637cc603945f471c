import type { ChatError } from 'hubspot-visitor-chat';
import { HubSpotChatProvider } from 'hubspot-visitor-chat/react';
import { useEffect } from 'react';
import { chatOptions } from './chat-options';
import { AppLayout } from './components/AppLayout';
import { session, useSessionEmail } from './session';

const report = (error: ChatError) => console.warn('chat:', error.code, error.message);

export function App() {
  const email = useSessionEmail();
  useEffect(() => {
    session.refresh().catch((error: unknown) => console.warn('session:', error));
  }, []);

  // undefined while the session is unknown (the chat is left alone), then the email or false.
  const signedIn = email === undefined ? undefined : (email ?? false);
  return (
    <HubSpotChatProvider {...chatOptions} signedIn={signedIn} onError={report}>
      <AppLayout />
    </HubSpotChatProvider>
  );
}
