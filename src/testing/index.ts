import {
  type FakeHubSpot,
  fakeHubSpot,
  LOADER_URL_PATTERN,
  runEmbed,
  runLoader,
  type StandInConfig,
} from './stand-in';

export type { FakeHubSpot, StandInConfig, StandInState, StandInThread } from './stand-in';

/** What {@link installHubSpotStandIn} returns. */
export interface InstalledStandIn {
  /** The test hooks, also at `window.__fakeHubSpot`: state, tokens, simulated widget events. */
  fake: FakeHubSpot;
  /** Stops the stand-in and removes every trace of HubSpot: globals, DOM, cookies, timers. */
  uninstall(): void;
}

const GLOBALS = [
  'HubSpotConversations',
  'hsConversationsSettings',
  'hsConversationsOnReady',
  'hubspot_live_messages_running',
  '__hsUserToken',
  '_hsq',
  '_hsp',
  '__fakeHubSpot',
  '__fakeHubSpotPage',
];

/**
 * Installs the HubSpot stand-in into a DOM environment (vitest with happy-dom or jsdom): when your
 * code inserts HubSpot's loader script (`js.hs-scripts.com/{portalId}.js`, `#hs-script-loader`, or
 * `scriptUrl`), the stand-in answers it offline, asynchronously, as HubSpot's script would.
 *
 * @example
 * ```ts
 * const { fake, uninstall } = installHubSpotStandIn();
 * const chat = createChat({ portalId: '123', fetchToken: async () => ({ email, token: fake.issueToken(email) }) });
 * await chat.login();
 * expect(fake.state().identity).toEqual({ email, identified: true });
 * uninstall();
 * ```
 */
export function installHubSpotStandIn(
  config: StandInConfig = {},
  options: { scriptUrl?: string } = {},
): InstalledStandIn {
  const fake = fakeHubSpot(window, config);
  const isLoader = (script: HTMLScriptElement) =>
    script.id === 'hs-script-loader' ||
    LOADER_URL_PATTERN.test(script.src) ||
    (options.scriptUrl !== undefined && script.src.endsWith(options.scriptUrl));
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLScriptElement)) continue;
        if (node.id === 'hubspot-messages-loader') runEmbed(window);
        else if (isLoader(node)) {
          runLoader(window, node.src, 'https://js.usemessages.com/conversations-embed.js');
        }
      }
    }
  });
  observer.observe(document, { childList: true, subtree: true });
  return {
    fake,
    uninstall() {
      observer.disconnect();
      fake.stop();
      for (const id of [
        'hs-script-loader',
        'hubspot-messages-loader',
        'hubspot-messages-iframe-container',
        'hubspot-conversations-inline-parent',
      ]) {
        document.getElementById(id)?.remove();
      }
      document.documentElement.classList.remove('hs-messages-widget-open');
      for (const name of GLOBALS) Reflect.deleteProperty(window, name);
      for (const cookie of document.cookie.split(';')) {
        const name = cookie.split('=')[0]?.trim();
        if (!name) continue;
        for (const domain of ['', `; domain=.${location.hostname.replace(/^www\./, '')}`]) {
          // biome-ignore lint/suspicious/noDocumentCookie: test clean-up of every cookie.
          document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/${domain}`;
        }
      }
    },
  };
}
