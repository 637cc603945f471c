// Runs the SDK against the HubSpot stand-in in happy-dom, on fake timers.
import { afterEach, vi } from 'vitest';
import { WIDGET_EVENTS } from '../src/hubspot/types';
import { type Chat, type ChatEvents, type ChatOptions, createChat } from '../src/index';
import {
  type InstalledStandIn,
  installHubSpotStandIn,
  type StandInConfig,
} from '../src/testing/index';

export interface Harness {
  chat: Chat;
  standIn: InstalledStandIn;
  /** Every event the chat emitted, in order, as `[name, ...args]`. */
  events: unknown[][];
  /** Answers the next token requests; each entry is used once, the last one forever. */
  tokens: Array<(signal: AbortSignal) => Promise<unknown>>;
  /** How many token requests were made. */
  requests: () => number;
  /** Lets `ms` of fake time pass, running timers and promise callbacks. */
  advance: (ms?: number) => Promise<void>;
  settings: () => Record<string, unknown> | undefined;
}

const cleanups: Array<() => void> = [];
let tests = 0;
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  // Each test is a new page: the live chats' list (and its once-a-page warning) goes with it.
  Reflect.deleteProperty(window, Symbol.for('hubspot-visitor-chat'));
  vi.useRealTimers();
});

/** A token for `email` that the stand-in accepts. */
export function validToken(standIn: InstalledStandIn, email: string, extra: object = {}) {
  return async () => ({ email, token: standIn.fake.issueToken(email), ...extra });
}

export function setUp(
  options: Partial<ChatOptions> = {},
  config: StandInConfig = {},
  { fakeTimers = true } = {},
): Harness {
  // Each test starts an hour after the previous one: HubSpot's throttle windows (and the refresher's) outlive a test.
  if (fakeTimers)
    vi.useFakeTimers({ now: Date.parse('2026-11-26T10:00:00Z') + 3_600_000 * ++tests });
  const standIn = installHubSpotStandIn(config);
  const tokens: Harness['tokens'] = [];
  let requests = 0;
  const chat = createChat({
    portalId: '1234567',
    fetchToken: (signal) => {
      requests++;
      const answer = tokens.length > 1 ? tokens.shift() : tokens[0];
      if (!answer) throw new Error('test gave no token answer');
      return answer(signal) as ReturnType<NonNullable<ChatOptions['fetchToken']>>;
    },
    ...options,
  } as ChatOptions);
  const events: unknown[][] = [];
  const names: (keyof ChatEvents)[] = [
    'state',
    'login',
    'logout',
    'tokenRefresh',
    'error',
    ...WIDGET_EVENTS,
  ];
  for (const name of names) {
    chat.on(name, ((...args: unknown[]) => events.push([name, ...args])) as never);
  }
  cleanups.push(() => {
    chat.destroy();
    standIn.uninstall();
  });
  return {
    chat,
    standIn,
    events,
    tokens,
    requests: () => requests,
    advance: async (ms = 5000) => {
      await vi.advanceTimersByTimeAsync(ms);
    },
    settings: () =>
      (window as unknown as { hsConversationsSettings?: Record<string, unknown> })
        .hsConversationsSettings,
  };
}

/** The names of the events emitted, in order. */
export const names = (events: unknown[][]) => events.map((event) => event[0]);
/** The states the chat went through, in order. */
export const states = (events: unknown[][]) =>
  events.filter((event) => event[0] === 'state').map((event) => event[1]);

/** Attaches to `promise` at once (so a rejection is never unhandled) and tells how it settled. */
export function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** What the chat tells the page's other tabs (BroadcastChannel posts), by message type. */
export function toldOtherTabs(): string[] {
  const posts: string[] = [];
  vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation((message: unknown) => {
    posts.push((message as { type: string }).type);
  });
  return posts;
}
