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
