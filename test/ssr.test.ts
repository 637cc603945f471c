// @vitest-environment node
import { expect, it } from 'vitest';

it('imports and creates a chat in Node without touching any global', async () => {
  const before = new Set(Object.keys(globalThis));
  const { createChat, ChatError } = await import('../src/index');
  const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
  expect(chat.state).toBe('anonymous');
  expect(chat.identity).toBeNull();
  expect(new ChatError('DESTROYED', 'x').code).toBe('DESTROYED');
  expect(Object.keys(globalThis).filter((key) => !before.has(key))).toEqual([]);
  expect('window' in globalThis).toBe(false);
});

it('every call is a no-op without a window (issue 19.11): nothing rejects for it, nothing opens', async () => {
  const { createChat, ChatError } = await import('../src/index');
  const opened: string[] = [];
  const Channel = globalThis.BroadcastChannel;
  globalThis.BroadcastChannel = class extends Channel {
    constructor(name: string) {
      super(name);
      opened.push(name);
    }
  };
  try {
    const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token' });
    await chat.start();
    chat.open();
    chat.close();
    chat.pageView();
    chat.hide();
    chat.show();
    await chat.setConsent(true);
    await chat.logout();
    const login = await chat.login().then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(login).toBeInstanceOf(ChatError);
    expect((login as InstanceType<typeof ChatError>).code).toBe('WIDGET_UNAVAILABLE');
    expect(chat.state).toBe('anonymous');
    chat.destroy();
    expect(chat.state).toBe('destroyed');
    expect(opened).toEqual([]);
  } finally {
    globalThis.BroadcastChannel = Channel;
  }
});
