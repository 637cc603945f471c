// The server snapshot ({ state: 'anonymous', identity: null }, 0 unread) is what hydration starts
// from, so the markup agrees even when the browser's chat is already signed in; the real state
// follows right after.
import { act, screen } from '@testing-library/react';
import { createElement } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { expect, it, vi } from 'vitest';
import { type Chat, createChat } from '../../src/index';
import { ChatLauncher, useChatState, useUnreadCount } from '../../src/react/index';
import { email, provider, setUp } from './harness';

function Page() {
  const { state, identity } = useChatState();
  return createElement(
    'output',
    null,
    `${state} ${identity?.email ?? '-'} ${useUnreadCount()}`,
    createElement(ChatLauncher),
  );
}

it('hydrates server markup with no mismatch, then shows the browser chat’s real state', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const server = renderToString(
    provider(
      { portalId: '1234567', tokenUrl: '/api/chat-token', signedIn: 'u1' },
      createElement(Page),
    ),
  );
  expect(server).toContain('anonymous - 0');

  // The browser's chat is signed in before React hydrates (say, created and logged in by other code).
  const chat: Chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const signedIn = chat.login();
  await t.advance();
  await signedIn;
  expect(chat.state).toBe('authenticated');

  const container = document.createElement('div');
  container.innerHTML = server;
  document.body.append(container);
  const consoleError = vi.spyOn(console, 'error');
  const recoverable: unknown[] = [];
  let root!: Root;
  act(() => {
    root = hydrateRoot(container, provider({ chat, signedIn: 'u1' }, createElement(Page)), {
      onRecoverableError: (error) => recoverable.push(error),
    });
  });
  await t.advance();
  expect(recoverable).toEqual([]);
  expect(consoleError).not.toHaveBeenCalled();
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')} 0`);
  act(() => root.unmount());
  container.remove();
  chat.destroy();
});
