// The app's demo sign-in: a session cookie naming an entry of an in-memory map. Your app has its
// own sessions; the chat needs only "who is signed in" from them, on the server.
import { randomBytes } from 'node:crypto';

/** The demo's users: sign-in asks only which one you are. */
export const USERS = ['alice@example.com', 'bob@example.com'];
export const SESSION_COOKIE = 'session';

/**
 * session id → email, in this process's memory. On `globalThis`: Next.js bundles the route
 * handlers and the Server Actions apart, each with its own copy of this module, and all of them
 * must see the same sessions.
 */
const store = globalThis as typeof globalThis & { exampleSessions?: Map<string, string> };
store.exampleSessions ??= new Map();
const sessions = store.exampleSessions;

/** The email of the session a cookie names, or null. */
export function sessionEmail(sessionId: string | undefined): string | null {
  return (sessionId && sessions.get(sessionId)) || null;
}

/** The session id in a `Cookie` header. */
export function sessionIdOf(cookieHeader: string | null): string | undefined {
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([\\w-]+)`).exec(cookieHeader ?? '')?.[1];
}

/** A new session for `email`; returns its id. */
export function startSession(email: string): string {
  const id = randomBytes(24).toString('base64url');
  sessions.set(id, email);
  return id;
}

export function endSession(sessionId: string | undefined): void {
  if (sessionId) sessions.delete(sessionId);
}
