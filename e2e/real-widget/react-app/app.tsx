// The React page of the real-embed scenarios (e2e/real-widget/scenarios.spec.ts): `HubSpotChatProvider`
// as docs/react.md shows it, with the chat options site.ts gives `createChat`, and a `signedIn` the
// test changes. Bundled by ./rollup.config.mjs into e2e/real-widget/build/react-app.js, which the
// offline site serves at `/react-app.js`.
import { HubSpotChatProvider, useHubSpotChat } from 'hubspot-visitor-chat/react';
import { type ReactElement, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

/** What site.ts passes to `window.__mountReactApp`: `createChat`'s options, and the first key. */
interface AppOptions {
  portalId: string;
  tokenUrl: string;
  signedIn: string | false;
  [option: string]: unknown;
}

const w = window as unknown as {
  /** The provider's chat, where site.ts and the identity watch (offline-hubspot.ts) read it. */
  __chat?: unknown;
  /** Renders the app; resolves once its first commit's effects ran (the provider's included). */
  __mountReactApp(options: AppOptions): Promise<void>;
  /** Re-renders the app with `signedIn`; resolves once the provider's effects for it ran. */
  __setSignedIn(signedIn: string | false): Promise<void>;
};

let setKey: ((signedIn: string | false) => void) | undefined;
let current: string | false | undefined;
/** Resolved by the app's own effect, which React runs after its children's (the provider's). */
const afterCommit: Array<() => void> = [];

/** Puts the provider's chat at `window.__chat`. */
function ExposeChat(): null {
  const { chat } = useHubSpotChat();
  useEffect(() => {
    w.__chat = chat;
  }, [chat]);
  return null;
}

function App({ options }: { options: AppOptions }): ReactElement {
  const { signedIn: initial, portalId, tokenUrl, ...rest } = options;
  const [signedIn, setSignedIn] = useState(initial);
  setKey = setSignedIn;
  current = signedIn;
  // After every commit: the only state here is `signedIn`.
  useEffect(() => {
    for (const done of afterCommit.splice(0)) done();
  });
  return (
    <HubSpotChatProvider portalId={portalId} tokenUrl={tokenUrl} signedIn={signedIn} {...rest}>
      <ExposeChat />
    </HubSpotChatProvider>
  );
}

w.__mountReactApp = (options) => {
  const root = document.createElement('div');
  document.body.append(root);
  return new Promise((resolve) => {
    afterCommit.push(resolve);
    createRoot(root).render(<App options={options} />);
  });
};

w.__setSignedIn = (signedIn) => {
  if (!setKey) return Promise.reject(new Error('__mountReactApp first'));
  if (signedIn === current) return Promise.resolve();
  const set = setKey;
  return new Promise((resolve) => {
    afterCommit.push(resolve);
    set(signedIn);
  });
};
