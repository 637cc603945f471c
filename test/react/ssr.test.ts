// @vitest-environment node
// Server rendering (Next.js, Remix, renderToString): no window, no document, and nothing may throw.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { expect, it } from 'vitest';
import { createChat } from '../../src/index';
import {
  ChatLauncher,
  HubSpotChatProvider,
  useChatEvent,
  useChatPageView,
  useChatState,
  useHubSpotChat,
  useUnreadCount,
} from '../../src/react/index';

/** Uses every hook, as a page of an app would. */
function Page() {
  const { state, identity } = useChatState();
  const unread = useUnreadCount();
  const { open } = useHubSpotChat();
  useChatEvent('login', () => {});
  useChatPageView('/pricing');
  return createElement(
    'main',
    null,
    createElement('p', null, `${state} ${identity?.email ?? '-'} ${unread}`),
    createElement('button', { type: 'button', onClick: open }, 'Chat'),
    createElement(ChatLauncher),
  );
}

it('renders to a string without window, with the server snapshot, touching no global', () => {
  expect('window' in globalThis).toBe(false);
  const before = new Set(Object.keys(globalThis));
  const html = renderToString(
    createElement(
      HubSpotChatProvider,
      { portalId: '1234567', tokenUrl: '/api/chat-token', signedIn: 'u1', consent: 'granted' },
      createElement(Page),
    ),
  );
  expect(html).toContain('<p>anonymous - 0</p>');
  expect(html).toContain('<button type="button">Chat</button>');
  expect(Object.keys(globalThis).filter((key) => !before.has(key))).toEqual([]);
});

it('renders with chat={existing} and with consent pending or denied', () => {
  const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
  for (const consent of ['pending', 'denied'] as const) {
    expect(
      renderToString(
        createElement(HubSpotChatProvider, { chat, signedIn: false, consent }, createElement(Page)),
      ),
    ).toContain('<p>anonymous - 0</p>');
  }
  expect(chat.state).toBe('anonymous'); // rendering started nothing
});
