// What the widget itself holds, read from outside the chat: the identity HubSpot's instance was
// created with (offline, the stand-in's test hooks tell; HubSpot's real widget does not), and the
// chat's visitor cookie. This is what a person cannot see with the chat closed.
import type { FakeHubSpot, StandInConfig } from 'hubspot-visitor-chat/testing';

type DemoWindow = Window & { __fakeHubSpot?: Partial<FakeHubSpot> & { config: StandInConfig } };

/** Pages without a chatflow: HubSpot's targeting removes the widget there. */
export const withoutChatflow = (pathname: string) => pathname.startsWith('/docs');

/**
 * Configures the offline stand-in before HubSpot's (stand-in) script runs: it checks tokens with the
 * demo backend, as HubSpot checks them with its own, and targets a chatflow by URL. Keeps any
 * config a test set before the page loaded.
 */
export function configureStandIn(): void {
  const w = window as DemoWindow;
  w.__fakeHubSpot = {
    ...w.__fakeHubSpot,
    config: {
      ...w.__fakeHubSpot?.config,
      verifyToken: async (email, token) => {
        const response = await fetch('/api/verify-token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, token }),
        });
        return ((await response.json()) as { valid: boolean }).valid;
      },
      targeting: (url) => !withoutChatflow(new URL(url).pathname),
    },
  };
}

export interface WidgetView {
  /** Whether HubSpot's floating widget is on the page. */
  onPage: boolean;
  /** The identity its instance holds: an email, `anonymous`, or `unknown` (HubSpot's real widget). */
  identity: string;
  /** The chat's visitor cookie, or null. */
  messagesUtk: string | null;
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

export function readWidgetView(): WidgetView {
  const onPage = document.getElementById('hubspot-messages-iframe-container') !== null;
  const fake = (window as DemoWindow).__fakeHubSpot;
  let identity = 'unknown';
  if (typeof fake?.state === 'function') {
    const { identity: held } = fake.state();
    identity = held.identified ? held.email : 'anonymous';
  }
  return { onPage, identity, messagesUtk: readCookie('messagesUtk') };
}
