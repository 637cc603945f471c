// Issue 19.5: a pageView() made while a reconcile pass is scheduled or running (right after show(),
// open(), a token refresh) was dropped: the widget kept the old route's targeting. It is deferred
// until the pass settles, and dropped only if that pass loaded or reset the widget (a new instance
// reads the current URL itself) — docs/decisions.md §19.
import { afterEach, describe, expect, it } from 'vitest';
import { setUp, validToken } from './harness';

afterEach(() => history.replaceState({}, '', '/'));

const targeting = (url: string) => !url.includes('/no-chat');

describe('pageView() while a reconcile pass runs', () => {
  it('after show() in the same task: the widget follows the new route', async () => {
    history.replaceState({}, '', '/account');
    const h = setUp({}, { targeting });
    await Promise.all([h.chat.start(), h.advance(5000)]);
    expect(h.standIn.fake.state().shown).not.toBeNull();
    history.pushState({}, '', '/no-chat');
    h.chat.show(); // a route change handler that also shows the widget
    h.chat.pageView();
    await h.advance(5000);
    expect(h.standIn.fake.state().shown).toBeNull(); // no chatflow targets /no-chat
  });

  it('is dropped when that pass reset the widget: the new instance reads the URL itself', async () => {
    history.replaceState({}, '', '/account');
    const h = setUp({}, { targeting });
    h.tokens.push(validToken(h.standIn, 'alice@example.com'));
    await Promise.all([h.chat.login(), h.advance(5000)]);
    const refreshes = h.standIn.fake.state().refreshCalls;
    history.pushState({}, '', '/help');
    void h.chat.logout(); // a reset: the anonymous instance is made on /help
    h.chat.pageView();
    await h.advance(10_000);
    expect(h.standIn.fake.state().refreshCalls).toBe(refreshes);
    expect(h.standIn.fake.state().shown).toMatchObject({ identified: false });
  });
});
