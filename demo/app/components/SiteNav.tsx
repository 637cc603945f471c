// The site's navigation: client-side routes (React Router), the plain page, and the unread badge.
import { useHubSpotChat, useUnreadCount } from 'hubspot-visitor-chat/react';
import { NavLink } from 'react-router';
import { ChatIcon } from './icons';

export function SiteNav() {
  const { open } = useHubSpotChat();
  const unread = useUnreadCount();
  return (
    <nav className="site-nav" aria-label="Site">
      <NavLink to="/" end>
        Home
      </NavLink>
      <NavLink to="/pricing">Pricing</NavLink>
      <NavLink to="/docs">Docs</NavLink>
      <a href="/plain">Plain site (&lt;script&gt;)</a>
      <button
        type="button"
        className="messages"
        onClick={() => open()}
        aria-label={unread ? `Messages, ${unread} unread` : 'Messages'}
      >
        <ChatIcon />
        <span className="messages-label">Messages</span>
        {unread > 0 && (
          <span className="unread-badge" data-testid="unread-badge">
            {unread}
          </span>
        )}
      </button>
    </nav>
  );
}
