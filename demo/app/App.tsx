// The demo site: its own sign-in and pages, with HubSpot's chat through hubspot-visitor-chat/react,
// used as an app would use it (the package's public API only).
import { type ChatError, type Consent, loadOnInteraction } from 'hubspot-visitor-chat';
import {
  ChatLauncher,
  HubSpotChatProvider,
  useChatEvent,
  useChatPageView,
  useChatState,
  useHubSpotChat,
} from 'hubspot-visitor-chat/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import * as backend from './backend';
import { Account } from './components/Account';
import { ChatStatus } from './components/ChatStatus';
import { ConsentBanner } from './components/ConsentBanner';
import { Controls } from './components/Controls';
import { ChatEventTaps, EventLog } from './components/EventLog';
import { SiteNav } from './components/SiteNav';
import { LogContext, type LogEntry, useLog, useLogState } from './log';
import { Docs, Home, NotFound, Pricing } from './pages';
import { type DemoSettings, initialConsent, storeConsent } from './settings';

export interface AppProps {
  config: backend.DemoConfig;
  settings: DemoSettings;
  /** Who the server says is signed in at page load. */
  initialSession: string | null;
  initialSwitches: backend.Switches;
}

export function App({ config, settings, initialSession, initialSwitches }: AppProps) {
  const [consent, setConsent] = useState<Consent>(() => initialConsent(settings));
  const { entries, log } = useLogState(
    `load: ${settings.load}; consent: ${consent}; signed in: ${initialSession ?? 'nobody'}`,
  );
  /**
   * The provider's change key: the session at page load, a new value for every sign-in on this
   * page (so that signing in again after the chat logged out elsewhere still logs it in), `false`
   * after signing out. Nobody signed in: `false`, and no token is asked for.
   */
  const [signedIn, setSignedIn] = useState<string | false>(initialSession ?? false);
  const [error, setError] = useState('');
  const [shown] = useState(() => new WeakSet<ChatError>());

  const showError = useCallback(
    (chatError: ChatError) => {
      // A superseded login is the app's own doing, not a failure; each error is shown once.
      if (chatError.code === 'ABORTED' || shown.has(chatError)) return;
      shown.add(chatError);
      log('error', `${chatError.code}: ${chatError.message}`, 'error');
      setError(`${chatError.code}: ${chatError.message}`);
    },
    [log, shown],
  );

  const decide = useCallback(
    (granted: boolean) => {
      const decision = granted ? 'granted' : 'denied';
      storeConsent(decision);
      setConsent(decision);
      log('consent decision', decision);
    },
    [log],
  );

  return (
    <LogContext.Provider value={log}>
      <HubSpotChatProvider
        portalId={config.portalId}
        scriptUrl={config.scriptUrl}
        tokenUrl="/api/chat-token"
        load={settings.load === 'interaction' ? loadOnInteraction : 'immediate'}
        timeoutMs={settings.timeoutMs}
        readyTimeoutMs={settings.readyTimeoutMs}
        debug={settings.debug}
        signedIn={signedIn}
        consent={consent}
        onError={showError}
      >
        <ChatEventTaps />
        <PageViews />
        <ExposeChat />
        <SiteNav />
        {consent === 'pending' && <ConsentBanner onDecide={decide} />}
        <Site
          config={config}
          settings={settings}
          initialSession={initialSession}
          initialSwitches={initialSwitches}
          signedIn={signedIn}
          setSignedIn={setSignedIn}
          consent={consent}
          decide={decide}
          error={error}
          setError={setError}
          showError={showError}
          entries={entries}
        />
        {settings.load === 'interaction' && <ChatLauncher />}
      </HubSpotChatProvider>
    </LogContext.Provider>
  );
}

let signIns = 0;

function Site({
  config,
  settings,
  initialSession,
  initialSwitches,
  signedIn,
  setSignedIn,
  consent,
  decide,
  error,
  setError,
  showError,
  entries,
}: AppProps & {
  signedIn: string | false;
  setSignedIn: (key: string | false) => void;
  consent: Consent;
  decide: (granted: boolean) => void;
  error: string;
  setError: (message: string) => void;
  showError: (error: ChatError) => void;
  entries: LogEntry[];
}) {
  const { login, logout } = useHubSpotChat();
  const { state } = useChatState();
  const log = useLog();
  /** The site's session as this page knows it: the server's word, asked again on chat events. */
  const [sessionEmail, setSessionEmail] = useState(initialSession);

  // Another tab signed in or out, or the chat's session ended: the chat followed by itself; the
  // page asks the server who is signed in now (and leaves the provider's key alone).
  const follow = () => {
    backend.getSessionEmail().then(setSessionEmail, () => {});
  };
  useChatEvent('login', follow);
  useChatEvent('logout', follow);

  const signIn = async (email: string, password: string) => {
    setError('');
    const who = await backend.signIn(email, password);
    if (!who) {
      setError('Wrong email or password');
      return;
    }
    setSessionEmail(who);
    signIns++;
    setSignedIn(`${who} (sign-in ${signIns})`);
  };

  const signOut = async () => {
    await backend.signOut();
    setSessionEmail(null);
    // The chat logged in because another tab signed in: this page never gave the provider a key,
    // so the provider has nothing to take back; tell the chat directly.
    if (signedIn === false) logout().catch(showError);
    setSignedIn(false);
  };

  const retry = () => {
    setError('');
    log('retry', 'login()');
    login().then((identity) => log('retry', `login() → ${identity.email}`), showError);
  };

  return (
    <main>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/pricing" element={<Pricing />} />
        <Route path="/docs" element={<Docs />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
      <Account sessionEmail={sessionEmail} error={error} onSignIn={signIn} onSignOut={signOut} />
      <ChatStatus config={config} sessionEmail={sessionEmail} />
      <Controls
        settings={settings}
        consent={consent}
        onConsent={decide}
        initialSwitches={initialSwitches}
        canRetry={sessionEmail !== null && state !== 'authenticated' && state !== 'authenticating'}
        onRetry={retry}
      />
      <EventLog entries={entries} />
    </main>
  );
}

/** Tells the chat about client-side navigation, so that chatflow targeting follows the URL. */
function PageViews() {
  const location = useLocation();
  const log = useLog();
  useChatPageView(location.key);
  const seen = useRef(location.key);
  useEffect(() => {
    if (seen.current === location.key) return;
    seen.current = location.key;
    log('navigate', `${location.pathname} (pageView)`);
  }, [location.key, location.pathname, log]);
  return null;
}

/** `window.chat`, for the e2e tests and the curious. */
function ExposeChat() {
  const { chat } = useHubSpotChat();
  useEffect(() => {
    (window as unknown as { chat: unknown }).chat = chat;
  }, [chat]);
  return null;
}
