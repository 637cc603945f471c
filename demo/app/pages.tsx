// The site's pages. HubSpot's chatflow targeting (the stand-in's `targeting`) shows the chat on
// every page but /docs; navigating between them calls pageView() through useChatPageView.
import type { ReactNode } from 'react';
import { Link } from 'react-router';

function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card wide page" aria-labelledby="page-title">
      <h2 id="page-title">{title}</h2>
      {children}
    </section>
  );
}

export function Home() {
  return (
    <Page title="Home">
      <p>
        A chatflow targets this page: the chat shows here. Sign in and the widget knows you; sign
        out and the next person at this computer sees none of your conversation.
      </p>
    </Page>
  );
}

export function Pricing() {
  return (
    <Page title="Pricing">
      <p>
        A chatflow targets this page too. Moving here refreshed the widget without reloading it.
      </p>
    </Page>
  );
}

export function Docs() {
  return (
    <Page title="Docs">
      <p>
        No chatflow targets this page: HubSpot removes the widget here (identity is kept), and
        brings it back on the next page that has one, such as <Link to="/pricing">Pricing</Link>.
      </p>
    </Page>
  );
}

export function NotFound() {
  return (
    <Page title="Not found">
      <p>
        No such page. <Link to="/">Home</Link>
      </p>
    </Page>
  );
}
