import { describe, expect, it } from 'vitest';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';
const ofKind = (events: unknown[][], name: string) => events.filter((e) => e[0] === name);

describe("HubSpot's widget events", () => {
  it('forwards each event exactly once, with its payload', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(200)]);
    const { simulate } = h.standIn.fake;
    const id = simulate.startConversation('hello') as number;
    simulate.unread(2);
    simulate.quickReply('Learn more');
    simulate.userOpen();
    simulate.userClose();
    simulate.agentClose(id);
    expect(h.events).toEqual([
      ['widgetLoaded', { message: 'widget has loaded' }],
      ['userSelectedThread', { conversation: { conversationId: id } }],
      ['conversationStarted', { conversation: { conversationId: id } }],
      ['unreadConversationCountChanged', { unreadCount: 2 }],
      [
        'quickReplyButtonClick',
        { name: 'QUICK_REPLIES', multiSelect: false, value: ['Learn more'] },
      ],
      ['userInteractedWithWidget', { message: expect.any(String) }],
      ['widgetClosed', { message: expect.any(String) }],
      ['conversationClosed', { conversation: { conversationId: id } }],
    ]);
  });

  it('keeps forwarding after every reset, still exactly once', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.start(), h.advance(200)]);
    await Promise.all([h.chat.login(), h.advance(3000)]);
    await Promise.all([h.chat.logout(), h.advance(3000)]);
    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(h.standIn.fake.state().shellGeneration).toBe(4);
    h.events.length = 0;
    h.standIn.fake.simulate.startConversation('after three resets');
    expect(ofKind(h.events, 'conversationStarted')).toHaveLength(1);
    expect(ofKind(h.events, 'contactAssociated')).toHaveLength(1);
    expect(h.standIn.fake.state().listenerCounts).toEqual(
      Object.fromEntries(
        [
          'widgetLoaded',
          'conversationStarted',
          'conversationClosed',
          'userSelectedThread',
          'unreadConversationCountChanged',
          'contactAssociated',
          'userInteractedWithWidget',
          'widgetClosed',
          'quickReplyButtonClick',
        ].map((name) => [name, 1]),
      ),
    );
  });

  it('forwards widgetLoaded once across the stub hand-over of the first load', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(200)]);
    expect(ofKind(h.events, 'widgetLoaded')).toHaveLength(1);
  });

  it('is not broken by ready callbacks that HubSpot runs again', async () => {
    const h = setUp();
    await Promise.all([h.chat.start(), h.advance(200)]);
    const callbacks = (window as unknown as { hsConversationsOnReady: Array<() => void> })
      .hsConversationsOnReady;
    for (const callback of callbacks) callback();
    for (const callback of callbacks) callback();
    h.events.length = 0;
    h.standIn.fake.simulate.unread(1);
    expect(h.events).toEqual([['unreadConversationCountChanged', { unreadCount: 1 }]]);
  });
});

describe('open() and close()', () => {
  it('queue until the widget has loaded, then apply', async () => {
    const h = setUp();
    h.chat.open();
    await h.advance(10);
    expect(h.standIn.fake.state().isOpen).toBe(false);
    await h.advance(200);
    expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
    expect(document.documentElement.classList.contains('hs-messages-widget-open')).toBe(true);
    h.chat.close();
    await h.advance(10);
    expect(h.standIn.fake.state().isOpen).toBe(false);
  });
});
