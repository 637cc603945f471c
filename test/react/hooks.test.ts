import { act, fireEvent, render, screen } from '@testing-library/react';
import { createElement, useState } from 'react';
import { beforeEach, expect, it, vi } from 'vitest';
import { type Chat, createChat, loadOnInteraction } from '../../src/index';
import {
  ChatLauncher,
  type ChatStateSnapshot,
  type HubSpotChatApi,
  useChatEvent,
  useChatLoaded,
  useChatPageView,
  useChatState,
  useHubSpotChat,
  useUnreadCount,
} from '../../src/react/index';
import { email, provider, type ReactHarness, setUp, strict } from './harness';

// What the components below saw, for the test to read; reset before each test.
let renders = { state: 0, api: 0, plain: 0 };
let apis: HubSpotChatApi[] = [];
let snapshots: ChatStateSnapshot[] = [];
let heard: string[] = [];
beforeEach(() => {
  renders = { state: 0, api: 0, plain: 0 };
  apis = [];
  snapshots = [];
  heard = [];
});

function StateView() {
  renders.state++;
  const snapshot = useChatState();
  snapshots.push(snapshot);
  return createElement('output', null, snapshot.state);
}

function ApiUser() {
  renders.api++;
  apis.push(useHubSpotChat());
  return null;
}

function Plain() {
  renders.plain++;
  return null;
}

/** Re-renders itself (and so calls useChatState again) on click, whatever the chat does. */
function Ticker() {
  const [tick, setTick] = useState(0);
  return createElement(
    'button',
    { type: 'button', onClick: () => setTick(tick + 1) },
    createElement(StateView),
    'tick',
  );
}

function Listener({ label }: { label: string }) {
  useChatEvent('unreadConversationCountChanged', ({ unreadCount }) => {
    heard.push(`${label}:${unreadCount}`);
  });
  return null;
}

function Badge() {
  return createElement('output', null, String(useUnreadCount()));
}

function LoadedButton() {
  const loaded = useChatLoaded();
  return createElement(
    'button',
    { type: 'button', disabled: !loaded },
    loaded ? 'Chat' : 'Chat unavailable',
  );
}

function Route({ path }: { path: string }) {
  useChatPageView(path);
  return null;
}

function Orphan() {
  useChatState();
  return null;
}

/** A chat made by the test, to watch what the hooks call on it. */
const existingChat = (t: ReactHarness): Chat =>
  createChat({ portalId: '1234567', fetchToken: t.fetchToken });

it('useChatState re-renders only its own consumer; the provider and useHubSpotChat consumers stay put', async () => {
  const t = setUp();
  t.server.user = 'u1';
  render(
    provider(
      { portalId: '1234567', fetchToken: t.fetchToken },
      createElement(StateView),
      createElement(ApiUser),
      createElement(Plain),
    ),
  );
  await t.advance();
  expect(renders).toEqual({ state: 1, api: 1, plain: 1 });

  act(() => void apis[0]?.login());
  await t.advance();
  expect(screen.getByRole('status').textContent).toBe('authenticated');
  expect(renders.state).toBeGreaterThan(1);
  expect(renders.api).toBe(1);
  expect(renders.plain).toBe(1);
});

it('useChatState returns the same object until the state or the identity changes', async () => {
  const t = setUp();
  t.server.user = 'u1';
  render(
    provider(
      { portalId: '1234567', fetchToken: t.fetchToken },
      createElement(Ticker),
      createElement(ApiUser),
    ),
  );
  fireEvent.click(screen.getByRole('button'));
  expect(snapshots).toHaveLength(2);
  expect(snapshots[1]).toBe(snapshots[0]);
  expect(snapshots[0]).toEqual({ state: 'anonymous', identity: null });

  act(() => void apis[0]?.login());
  await t.advance();
  const authenticated = snapshots.at(-1);
  expect(authenticated).toEqual({ state: 'authenticated', identity: { email: email('u1') } });
  fireEvent.click(screen.getByRole('button'));
  expect(snapshots.at(-1)).toBe(authenticated);

  // The same visitor's token renewed: no new state, no new identity, no new object.
  act(() => void apis[0]?.login());
  await t.advance();
  expect(t.server.requests).toBe(2);
  fireEvent.click(screen.getByRole('button'));
  expect(snapshots.at(-1)).toBe(authenticated);
});

it('useChatState and useUnreadCount subscribe once, not on every render', async () => {
  const t = setUp();
  const chat = existingChat(t);
  const on = vi.spyOn(chat, 'on');
  render(provider({ chat }, createElement(Ticker), createElement(Badge)));
  await t.advance();
  const subscriptions = () => on.mock.calls.map(([event]) => event).sort();
  const afterMount = subscriptions();
  expect(afterMount).toEqual(expect.arrayContaining(['state', 'unreadCount']));
  for (let i = 0; i < 3; i++) fireEvent.click(screen.getByRole('button'));
  expect(renders.state).toBe(4);
  expect(subscriptions()).toEqual(afterMount);
  chat.destroy();
});

it('useHubSpotChat returns one object for the provider’s lifetime, through re-renders with new props', async () => {
  const t = setUp();
  const app = (signedIn: false | undefined) =>
    strict(
      provider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn }, createElement(ApiUser)),
    );
  const view = render(app(undefined));
  view.rerender(app(false));
  await t.advance();
  expect(apis.length).toBeGreaterThanOrEqual(2);
  expect(new Set(apis).size).toBe(1);
  const [api] = apis;
  expect(api?.chat.state).toBe('anonymous');
  expect(Object.keys(api ?? {}).sort()).toEqual(
    ['chat', 'close', 'hide', 'login', 'logout', 'open', 'pageView', 'setConsent', 'show'].sort(),
  );
});

it('the hooks throw a clear error outside a provider', () => {
  vi.spyOn(console, 'error').mockImplementation(() => {}); // React logs the render error too
  expect(() => render(createElement(Orphan))).toThrow(
    'hubspot-visitor-chat: this hook needs a <HubSpotChatProvider> above it',
  );
});

it('useChatEvent calls the latest listener without re-subscribing', async () => {
  const t = setUp();
  const chat = existingChat(t);
  const on = vi.spyOn(chat, 'on');
  const app = (label: string) => strict(provider({ chat }, createElement(Listener, { label })));
  const view = render(app('first'));
  await t.advance();
  const subscriptions = () =>
    on.mock.calls.filter(([event]) => event === 'unreadConversationCountChanged').length;
  const afterMount = subscriptions();
  expect(afterMount).toBeGreaterThan(0);

  view.rerender(app('second'));
  view.rerender(app('third'));
  expect(subscriptions()).toBe(afterMount);
  act(() => t.standIn.fake.simulate.unread(2));
  expect(heard).toEqual(['third:2']); // once (StrictMode's first subscription is gone), the latest

  view.unmount();
  act(() => t.standIn.fake.simulate.unread(3));
  expect(heard).toEqual(['third:2']);
  chat.destroy();
});

it('useUnreadCount follows HubSpot’s unread count, and drops to 0 at logout', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const app = (signedIn: string | false) =>
    strict(
      provider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn }, createElement(Badge)),
    );
  const view = render(app('u1'));
  await t.advance();
  expect(screen.getByRole('status').textContent).toBe('0');
  act(() => t.standIn.fake.simulate.unread(4));
  expect(screen.getByRole('status').textContent).toBe('4');
  view.rerender(app(false));
  await t.advance();
  expect(screen.getByRole('status').textContent).toBe('0');
});

it('useChatLoaded is false until the widget loads, true then, and false again while consent is withdrawn', async () => {
  const t = setUp();
  const app = (consent: 'granted' | 'denied') =>
    strict(
      provider(
        { portalId: '1234567', fetchToken: t.fetchToken, consent },
        createElement(LoadedButton),
      ),
    );
  const view = render(app('granted'));
  expect(screen.getByRole('button').textContent).toBe('Chat unavailable'); // also what the server renders
  await t.advance();
  expect(screen.getByRole('button').textContent).toBe('Chat');
  view.rerender(app('denied'));
  await t.advance();
  expect(screen.getByRole('button').textContent).toBe('Chat unavailable');
  expect(screen.getByRole('button')).toHaveProperty('disabled', true);
});

it('useChatPageView never fires on the first render (nor on StrictMode’s re-run), then once per new key', async () => {
  const t = setUp();
  const chat = existingChat(t);
  const pageView = vi.spyOn(chat, 'pageView');
  const app = (path: string) => strict(provider({ chat }, createElement(Route, { path })));
  const view = render(app('/'));
  await t.advance();
  expect(pageView).not.toHaveBeenCalled();

  view.rerender(app('/')); // same key: the provider re-rendered, the route did not change
  expect(pageView).not.toHaveBeenCalled();

  view.rerender(app('/pricing'));
  expect(pageView).toHaveBeenCalledTimes(1);
  await t.advance();
  expect(t.standIn.fake.state().refreshCalls).toBe(1); // it reached HubSpot's widget.refresh()

  view.rerender(app('/docs'));
  expect(pageView).toHaveBeenCalledTimes(2);
  chat.destroy();
});

it('ChatLauncher shows one button under StrictMode, loads HubSpot on click, and leaves with the component', async () => {
  const t = setUp();
  const app = (launcher: boolean) =>
    strict(
      provider(
        { portalId: '1234567', fetchToken: t.fetchToken, load: loadOnInteraction },
        launcher ? createElement(ChatLauncher, { label: 'Ask us', position: 'left' }) : null,
      ),
    );
  const view = render(app(true));
  await t.advance();
  expect(screen.getAllByRole('button', { name: 'Ask us' })).toHaveLength(1);
  expect(document.querySelector('script#hs-script-loader')).toBeNull(); // lazy: nothing yet

  fireEvent.click(screen.getByRole('button', { name: 'Ask us' }));
  await t.advance();
  expect(t.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
  expect(screen.queryByRole('button', { name: 'Ask us' })).toBeNull(); // HubSpot's own took over

  view.rerender(app(false));
  expect(screen.queryByRole('button', { name: 'Ask us' })).toBeNull();
});

it('ChatLauncher goes away with its component before HubSpot has loaded', async () => {
  const t = setUp();
  const app = (launcher: boolean) =>
    strict(
      provider(
        { portalId: '1234567', fetchToken: t.fetchToken, load: loadOnInteraction },
        launcher ? createElement(ChatLauncher) : null,
      ),
    );
  const view = render(app(true));
  await t.advance();
  expect(screen.getAllByRole('button', { name: 'Chat with us' })).toHaveLength(1);
  view.rerender(app(false));
  expect(screen.queryByRole('button', { name: 'Chat with us' })).toBeNull();
});
