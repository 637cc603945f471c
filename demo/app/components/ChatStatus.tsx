// What matters while the chat is closed: the SDK's state, the identity HubSpot's widget itself holds,
// and the chat's visitor cookie before and after a logout.
import {
  useChatEvent,
  useChatState,
  useHubSpotChat,
  useUnreadCount,
} from 'hubspot-visitor-chat/react';
import { useCallback, useEffect, useState } from 'react';
import type { DemoConfig } from '../backend';
import { readCookie, readWidgetView, type WidgetView } from '../widget-view';

const sameView = (a: WidgetView, b: WidgetView) =>
  a.onPage === b.onPage && a.identity === b.identity && a.messagesUtk === b.messagesUtk;

/** The widget's own view, polled (HubSpot tells nothing when its instance changes hands). */
function useWidgetView(): WidgetView {
  const [view, setView] = useState(readWidgetView);
  const update = useCallback(() => {
    const next = readWidgetView();
    setView((previous) => (sameView(previous, next) ? previous : next));
  }, []);
  useEffect(() => {
    const timer = setInterval(update, 250);
    return () => clearInterval(timer);
  }, [update]);
  useChatEvent('loaded', update);
  useChatEvent('state', update);
  return view;
}

const short = (utk: string | null) => (utk ? `${utk.slice(0, 12)}…` : 'none');

/**
 * Whether HubSpot's script failed to give a widget: a `WIDGET_UNAVAILABLE` error, and no widget
 * loaded since. The SDK's state says who the chat would be for; this says there is no chat at all.
 */
function useWidgetUnavailable(): boolean {
  const { chat } = useHubSpotChat();
  const [unavailable, setUnavailable] = useState(false);
  useChatEvent('error', (error) => {
    if (error.code === 'WIDGET_UNAVAILABLE' && !chat.loaded) setUnavailable(true);
  });
  useChatEvent('loaded', (loaded) => {
    if (loaded) setUnavailable(false);
  });
  return unavailable;
}

export function ChatStatus({
  config,
  sessionEmail,
}: {
  config: DemoConfig;
  sessionEmail: string | null;
}) {
  const { state, identity } = useChatState();
  const { chat } = useHubSpotChat();
  const unread = useUnreadCount();
  const view = useWidgetView();
  const unavailable = useWidgetUnavailable();
  const [consent, setConsent] = useState(chat.consent);
  useChatEvent('consent', setConsent);

  // The chat's cookie as the logout found it (the SDK clears it right after the event).
  const [utkBeforeLogout, setUtkBeforeLogout] = useState<string | null | undefined>(undefined);
  useChatEvent('logout', () => setUtkBeforeLogout(readCookie('messagesUtk')));

  const standIn = config.mode === 'stand-in';
  const heldBy = !standIn
    ? "HubSpot's real widget (only the stand-in tells)"
    : view.identity === 'unknown'
      ? 'no widget: HubSpot not loaded'
      : `${view.identity === 'anonymous' ? 'anonymous visitor' : view.identity}${view.onPage ? '' : ' (not on the page)'}`;
  const summary = `Chat ${state}${identity ? ` as ${identity.email}` : ''}${unavailable ? ", but no chat widget: HubSpot's script did not load" : ''}. Widget: ${heldBy}. ${unread} unread.`;

  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">What the chat knows</h2>
      <p className="summary" id="summary" aria-live="polite">
        {summary}
      </p>
      <dl>
        <dt>SDK state</dt>
        <dd>
          <span
            className="badge"
            id="state"
            data-state={state}
            data-widget={unavailable ? 'none' : undefined}
          >
            {state}
          </span>
          {unavailable && (
            <span className="badge-note" id="widget-warning">
              no chat widget: HubSpot's script did not load
            </span>
          )}
        </dd>
        <dt>SDK identity</dt>
        <dd id="identity">{identity?.email ?? 'nobody'}</dd>
        <dt>Widget holds</dt>
        <dd id="widget-identity">{heldBy}</dd>
        <dt>Signed in here as</dt>
        <dd id="session">{sessionEmail ?? '—'}</dd>
        <dt>Consent</dt>
        <dd id="consent">{consent}</dd>
        <dt>Unread</dt>
        <dd id="unread">{unread}</dd>
        <dt>messagesUtk</dt>
        <dd>
          <code id="utk-now" title={view.messagesUtk ?? undefined}>
            {short(view.messagesUtk)}
          </code>
          {utkBeforeLogout !== undefined && (
            <>
              {' '}
              (before the last logout:{' '}
              <code id="utk-before-logout" title={utkBeforeLogout ?? undefined}>
                {short(utkBeforeLogout)}
              </code>
              )
            </>
          )}
        </dd>
        <dt>Widget</dt>
        <dd id="mode">
          {standIn ? 'offline HubSpot stand-in' : `HubSpot portal ${config.portalId}`}
        </dd>
      </dl>
    </section>
  );
}
