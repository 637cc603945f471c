import { useCallback, useSyncExternalStore } from 'react';
import type { Chat, ChatState, Identity } from '../index';
import { useChatApi } from './context';

/**
 * What {@link useChatState} returns. The same object until the state or the identity changes.
 *
 * @example
 * ```tsx
 * const { state, identity }: ChatStateSnapshot = useChatState();
 * ```
 */
export interface ChatStateSnapshot {
  /** Where the chat is: `anonymous`, `authenticating`, `authenticated`, `logged-out` or `destroyed`. */
  readonly state: ChatState;
  /** The identified visitor while `authenticated`, else null. */
  readonly identity: Readonly<Identity> | null;
}

/** What the server renders, and what hydration starts from: a chat that has done nothing yet. */
const SERVER: ChatStateSnapshot = { state: 'anonymous', identity: null };
/** The last snapshot of each chat, shared by all its consumers. */
const snapshots = new WeakMap<Chat, ChatStateSnapshot>();

function snapshot(chat: Chat): ChatStateSnapshot {
  const last = snapshots.get(chat) ?? SERVER;
  const { state } = chat;
  const email = chat.identity?.email;
  if (last.state === state && last.identity?.email === email) return last;
  const next = { state, identity: email === undefined ? null : { email } };
  snapshots.set(chat, next);
  return next;
}

/**
 * The chat's state and identity, re-rendering only the component that calls it, and only when one
 * of them changes (through `useSyncExternalStore` over the chat's own events). Server rendering and
 * hydration see `{ state: 'anonymous', identity: null }`, so they agree; the real state follows
 * right after hydration.
 *
 * @example
 * ```tsx
 * function Greeting() {
 *   const { state, identity } = useChatState();
 *   return <p>{state === 'authenticated' ? `Chatting as ${identity?.email}` : 'Chatting anonymously'}</p>;
 * }
 * ```
 */
export function useChatState(): ChatStateSnapshot {
  const { chat } = useChatApi();
  // Stable per chat: a new subscribe function would make React re-subscribe on every render.
  const subscribe = useCallback((changed: () => void) => chat.on('state', changed), [chat]);
  return useSyncExternalStore(
    subscribe,
    () => snapshot(chat),
    () => SERVER,
  );
}
