import { act, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { expect, it, vi } from 'vitest';
import { type ChatError, createChat } from '../../src/index';
import { useChatState } from '../../src/react/index';
import { email, provider, realMacrotask, setUp, strict } from './harness';

/** Shows the chat's state and identity, as an app's header would. */
function Status() {
  const { state, identity } = useChatState();
  return createElement('output', null, `${state} ${identity?.email ?? '-'}`);
}

const loaders = () => document.querySelectorAll('script#hs-script-loader').length;
const emails = (shells: Array<{ email: string }>) => shells.map((shell) => shell.email);

it('under StrictMode: one loader, one token request, one identified load; then one reset per change; nothing left after unmount', async () => {
  const t = setUp();
  const { fake } = t.standIn;
  const app = (signedIn: string | false) =>
    strict(
      provider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn }, createElement(Status)),
    );

  t.server.user = 'u1';
  const view = render(app('u1'));
  await t.advance();
  expect(loaders()).toBe(1);
  expect(t.server.requests).toBe(1);
  expect(emails(fake.state().shells)).toEqual([email('u1')]); // no anonymous instance first
  expect(fake.state()).toMatchObject({
    loaded: true,
    identity: { email: email('u1'), identified: true },
  });
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);

  t.server.user = 'u2';
  view.rerender(app('u2'));
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(emails(fake.state().shells)).toEqual([email('u1'), email('u2')]); // exactly one reset
  expect(fake.state().identity).toEqual({ email: email('u2'), identified: true });
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u2')}`);

  t.server.user = null;
  view.rerender(app(false));
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(emails(fake.state().shells)).toEqual([email('u1'), email('u2'), '']);
  expect(fake.state()).toMatchObject({ loaded: true, identity: { email: '', identified: false } });
  expect(screen.getByRole('status').textContent).toBe('logged-out -');
  expect(loaders()).toBe(1);

  view.unmount();
  expect(fake.state().loaded).toBe(true); // destroy() waits a macrotask, in case React re-mounts
  act(() => {
    vi.advanceTimersByTime(0);
  });
  expect(fake.state().loaded).toBe(false);
  expect(document.getElementById('hubspot-messages-iframe-container')).toBeNull();
  expect(fake.state().listenerCounts).toEqual({});
  expect(t.warnings().filter((w) => /duplicate instance/.test(w))).toEqual([]);
});

it('identifies a visitor already signed in on the first render, without an anonymous widget or a second request', async () => {
  const t = setUp();
  t.server.user = 'u1';
  render(
    strict(
      provider(
        { portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1' },
        createElement(Status),
      ),
    ),
  );
  await t.advance(60_000);
  expect(t.server.requests).toBe(1);
  expect(t.standIn.fake.state().loadCalls).toBe(1);
  expect(emails(t.standIn.fake.state().shells)).toEqual([email('u1')]);
});

it('leaves the identity alone while signedIn is undefined, and does not log out a visitor who never signed in', async () => {
  const t = setUp();
  const app = (signedIn?: false) =>
    strict(
      provider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn }, createElement(Status)),
    );
  const view = render(app());
  await t.advance();
  view.rerender(app(false));
  await t.advance();
  expect(t.server.requests).toBe(0);
  expect(screen.getByRole('status').textContent).toBe('anonymous -'); // no logout from anonymous
  expect(emails(t.standIn.fake.state().shells)).toEqual(['']);
});

it('unmounted while identified: after one macrotask no widget carries the visitor and no listener is left', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const view = render(
    strict(provider({ portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1' })),
  );
  await t.advance();
  expect(t.standIn.fake.state().identity.identified).toBe(true);
  view.unmount();
  act(() => {
    vi.advanceTimersByTime(0);
  });
  const after = t.standIn.fake.state();
  expect(after.loaded).toBe(false);
  expect(after.listenerCounts).toEqual({});
  const settings = (window as { hsConversationsSettings?: Record<string, unknown> })
    .hsConversationsSettings;
  expect(settings?.identificationEmail).toBeUndefined();
  expect(settings?.identificationToken).toBeUndefined();
});

it('never destroys a chat given with chat={existing}, and stops listening to it on unmount', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const chat = createChat({ portalId: '1234567', fetchToken: t.fetchToken });
  const onError = vi.fn();
  const view = render(strict(provider({ chat, signedIn: 'u1', onError })));
  await t.advance();
  expect(chat.state).toBe('authenticated');
  view.unmount();
  await t.advance(10_000);
  expect(chat.state).toBe('authenticated');
  expect(t.standIn.fake.state()).toMatchObject({ loaded: true, identity: { identified: true } });

  t.server.user = null; // the next token request fails: the chat emits an error
  const refused = chat.login().catch((error: ChatError) => error.code);
  await t.advance(60_000);
  await expect(refused).resolves.toBe('TOKEN_NETWORK');
  expect(onError).not.toHaveBeenCalled(); // the provider's listener went with it
  chat.destroy();
});

it('hands a failed login to onError once, never as an unhandled rejection', async () => {
  const t = setUp();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const errors: ChatError[] = [];
    render(
      strict(
        provider(
          {
            portalId: '1234567',
            fetchToken: t.fetchToken, // server.user is null: it throws
            retries: 0,
            signedIn: 'u1',
            onError: (error) => errors.push(error),
          },
          createElement(Status),
        ),
      ),
    );
    await t.advance();
    await realMacrotask(); // Node reports unhandled rejections after the microtasks
    expect(errors.map((error) => error.code)).toEqual(['TOKEN_NETWORK']);
    expect(screen.getByRole('status').textContent).toBe('anonymous -');
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

it('calls the latest onError', async () => {
  const t = setUp();
  const first = vi.fn();
  const second = vi.fn();
  const app = (onError: (error: ChatError) => void, signedIn: string | false) =>
    provider({ portalId: '1234567', fetchToken: t.fetchToken, retries: 0, onError, signedIn });
  const view = render(app(first, false));
  view.rerender(app(second, 'u1'));
  await t.advance();
  expect(first).not.toHaveBeenCalled();
  expect(second).toHaveBeenCalledTimes(1);
});

it('mirrors the consent prop: nothing of HubSpot while pending, the waiting login on grant, a fresh login after a revocation and a new grant', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const app = (consent: 'pending' | 'granted' | 'denied') =>
    strict(
      provider(
        { portalId: '1234567', fetchToken: t.fetchToken, signedIn: 'u1', consent },
        createElement(Status),
      ),
    );
  const view = render(app('pending'));
  await t.advance();
  expect(loaders()).toBe(0);
  expect(t.server.requests).toBe(0);

  view.rerender(app('granted'));
  await t.advance();
  expect(t.server.requests).toBe(1);
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);

  view.rerender(app('denied'));
  await t.advance();
  expect(screen.getByRole('status').textContent).toBe('logged-out -');
  expect(t.standIn.fake.state().loaded).toBe(false);

  view.rerender(app('granted'));
  await t.advance();
  expect(t.server.requests).toBe(2);
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u1')}`);
});

it('starts with consent denied: no HubSpot, no token request, and no error for the login it did not make', async () => {
  const t = setUp();
  t.server.user = 'u1';
  const onError = vi.fn();
  render(
    strict(
      provider({
        portalId: '1234567',
        fetchToken: t.fetchToken,
        signedIn: 'u1',
        consent: 'denied',
        onError,
      }),
    ),
  );
  await t.advance();
  expect(loaders()).toBe(0);
  expect(t.server.requests).toBe(0);
  expect(onError).not.toHaveBeenCalled();
});

it('a new signedIn while a login is in flight does not reuse the previous request', async () => {
  const t = setUp();
  let answer!: (value: { email: string; token: string }) => void;
  const fetchToken = vi.fn(
    () =>
      new Promise<{ email: string; token: string }>((resolve) => {
        answer = resolve;
      }),
  );
  const app = (signedIn: string) =>
    strict(provider({ portalId: '1234567', fetchToken, signedIn }, createElement(Status)));
  const view = render(app('u1'));
  await t.advance(10);
  const first = answer;
  view.rerender(app('u2'));
  await t.advance(10);
  expect(fetchToken).toHaveBeenCalledTimes(2);
  first({ email: email('u1'), token: t.standIn.fake.issueToken(email('u1')) }); // stale
  answer({ email: email('u2'), token: t.standIn.fake.issueToken(email('u2')) });
  await t.advance();
  expect(screen.getByRole('status').textContent).toBe(`authenticated ${email('u2')}`);
  expect(t.standIn.fake.state().identity).toEqual({ email: email('u2'), identified: true });
  expect(emails(t.standIn.fake.state().shells)).toEqual([email('u2')]);
});
