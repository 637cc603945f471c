// Issue 21.3: an app that listens to no `error` event still hears about a failure, once per code,
// in the console; an app that listens is left alone.
import { afterEach, expect, it, vi } from 'vitest';
import { type ChatOptions, createChat } from '../src/index';
import { installHubSpotStandIn } from '../src/testing/index';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** A chat whose token source answers each call with the next of `answers` (the last one forever). */
function chatAnswering(answers: Array<() => unknown>) {
  vi.useFakeTimers();
  const standIn = installHubSpotStandIn();
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const chat = createChat({
    portalId: '1234567',
    retries: 0,
    fetchToken: async () => (answers.length > 1 ? answers.shift() : answers[0])?.(),
  } as ChatOptions);
  cleanups.push(() => {
    chat.destroy();
    standIn.uninstall();
  });
  const warnings = () =>
    warn.mock.calls.map((call) => call.map(String).join(' ')).filter((w) => /ChatError/.test(w));
  return { chat, warnings };
}

const refused = () => {
  throw new Error('backend down');
};

it('an error nobody listens to is console.warned, once per code', async () => {
  const { chat, warnings } = chatAnswering([refused, refused, () => ({ email: 'a@x.io' })]);
  await expect(chat.login()).rejects.toMatchObject({ code: 'TOKEN_NETWORK' });
  await expect(chat.login()).rejects.toMatchObject({ code: 'TOKEN_NETWORK' });
  expect(warnings()).toHaveLength(1);
  expect(warnings()[0]).toMatch(/TOKEN_NETWORK/);
  expect(warnings()[0]).toMatch(/no 'error' listener/);
  await expect(chat.login()).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  expect(warnings()).toHaveLength(2);
  expect(warnings()[1]).toMatch(/TOKEN_INVALID/);
});

it('an app listening to `error` gets no console warning; after it unbinds, it does', async () => {
  const { chat, warnings } = chatAnswering([refused]);
  const seen: string[] = [];
  const unbind = chat.on('error', (error) => seen.push(error.code));
  await expect(chat.login()).rejects.toMatchObject({ code: 'TOKEN_NETWORK' });
  expect(seen).toEqual(['TOKEN_NETWORK']);
  expect(warnings()).toEqual([]);
  unbind();
  await expect(chat.login()).rejects.toMatchObject({ code: 'TOKEN_NETWORK' });
  expect(warnings()).toHaveLength(1);
});
