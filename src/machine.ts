// The chat's lifecycle as a pure function: no DOM, no fetch, no timers. create-chat.ts feeds it
// events and carries out what it returns.

/** Where the chat is in its lifecycle. */
export type ChatState =
  | 'anonymous'
  | 'authenticating'
  | 'authenticated'
  | 'logged-out'
  | 'destroyed';

/** Who the chat is identified as. Never holds the token. */
export interface Identity {
  /** The visitor's email, as the token endpoint returned it. */
  email: string;
}

/**
 * Why the chat logged out (the `logout` event's argument):
 * - `'logout'`: this page called `logout()`;
 * - `'tab'`: another tab of the site logged out;
 * - `'consent'`: the visitor withdrew consent while identified;
 * - `'failed'`: a `login()` failed while someone was identified (say, for another account), or
 *   after the token expired;
 * - `'refused'`: the token endpoint refused to renew the token (401 or 403);
 * - `'expired'`: the token expired and was not renewed in time.
 *
 * The chat logged out by itself for the last two: the app may still hold a session, and may call
 * `login()` again.
 */
export type LogoutReason = 'logout' | 'tab' | 'consent' | 'failed' | 'refused' | 'expired';

export interface Model {
  state: ChatState;
  /** Set only while `authenticated`. */
  identity: Identity | null;
  /** Where a failed login from a signed-out state goes back to. */
  fallback: 'anonymous' | 'logged-out';
}

export type MachineEvent =
  /** `login()` asked for a token. */
  | { type: 'LOGIN' }
  /** A valid token for `email` arrived; the widget is about to take it. */
  | { type: 'TOKEN'; email: string }
  /** The identity for `email` is in effect on the widget (or the widget is unavailable). */
  | { type: 'APPLIED'; email: string }
  /** The token request failed, and the session goes on (a failure that ends it is a LOGOUT). */
  | { type: 'FAILED' }
  /** The token expired: the identity is gone until a refresh brings it back, or fails (logged-out). */
  | { type: 'EXPIRED' }
  | { type: 'LOGOUT'; reason: LogoutReason }
  | { type: 'DESTROY' };

/** What the chat tells its listeners after a transition. */
export type Effect =
  | { type: 'state'; state: ChatState; previous: ChatState }
  | { type: 'login'; identity: Identity }
  | { type: 'tokenRefresh'; identity: Identity }
  | { type: 'logout'; reason: LogoutReason };

export const initialModel: Model = { state: 'anonymous', identity: null, fallback: 'anonymous' };

function next(model: Model, event: MachineEvent): Model {
  const { state, identity } = model;
  if (state === 'destroyed') return model;
  switch (event.type) {
    case 'LOGIN':
      // From a signed-out state, the only ones whose fallback is themselves: every transition into
      // `anonymous` or `logged-out` sets the fallback to it, and the fallback is always one of them.
      return state === model.fallback ? { ...model, state: 'authenticating' } : model;
    case 'TOKEN':
      // Another person signed in over the current one (an identity is set only while
      // authenticated): drop the old identity while switching.
      return identity && identity.email !== event.email
        ? { ...model, state: 'authenticating', identity: null }
        : model;
    case 'APPLIED':
      return { ...model, state: 'authenticated', identity: { email: event.email } };
    case 'FAILED':
      // (While authenticating there is no identity to drop.)
      return state === 'authenticating' ? { ...model, state: model.fallback } : model;
    case 'EXPIRED':
      return state === 'authenticated'
        ? { state: 'authenticating', identity: null, fallback: 'logged-out' }
        : model;
    case 'LOGOUT':
      return { state: 'logged-out', identity: null, fallback: 'logged-out' };
    case 'DESTROY':
      return { ...model, state: 'destroyed', identity: null };
  }
}

/** The next model after `event`, and what to emit for it, in order. */
export function transition(model: Model, event: MachineEvent): { model: Model; effects: Effect[] } {
  const after = next(model, event);
  const effects: Effect[] = [];
  if (after.state !== model.state) {
    effects.push({ type: 'state', state: after.state, previous: model.state });
  }
  if (event.type === 'APPLIED' && after.identity) {
    // (An identity is set only while authenticated.)
    const sameVisitor = model.identity?.email === event.email;
    effects.push({ type: sameVisitor ? 'tokenRefresh' : 'login', identity: after.identity });
  }
  // Also before destroy(), and with nobody signed in: it says why.
  if (event.type === 'LOGOUT' && after.state === 'logged-out') {
    effects.push({ type: 'logout', reason: event.reason });
  }
  return { model: after, effects };
}
