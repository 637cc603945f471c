// Boots the demo: asks the backend for its config and session, prepares the offline stand-in, and
// renders the app in StrictMode (the development build runs its double effects: the provider must
// still give one loader, one token request and one widget).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { getConfig, getSessionEmail, getSwitches } from './backend';
import { readSettings } from './settings';
import { configureStandIn } from './widget-view';

async function boot(): Promise<void> {
  const [config, session, switches] = await Promise.all([
    getConfig(),
    getSessionEmail(),
    getSwitches(),
  ]);
  if (config.mode === 'stand-in') configureStandIn();
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing from demo/index.html');
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <App
          config={config}
          settings={readSettings(location.search)}
          initialSession={session}
          initialSwitches={switches}
        />
      </BrowserRouter>
    </StrictMode>,
  );
}

boot().catch((error: unknown) => {
  const root = document.getElementById('root');
  if (root) root.textContent = `The demo could not start: ${String(error)}`;
});
