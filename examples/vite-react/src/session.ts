import { useSyncExternalStore } from 'react';

/** `undefined` until the backend said who is signed in; then an email, or null. */
let email: string | null | undefined;
const listeners = new Set<() => void>();

async function call(path: string, body?: object): Promise<void> {
  const response = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : null,
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  email = ((await response.json()) as { email: string | null }).email;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The app's own session (a cookie set by the backend): the chat follows it. */
export const session = {
  refresh: () => call('/api/me'),
  signIn: (who: string) => call('/api/sign-in', { email: who }),
  signOut: () => call('/api/sign-out', {}),
};

/** Who is signed in, re-rendering the component when it changes. */
export function useSessionEmail(): string | null | undefined {
  return useSyncExternalStore(subscribe, () => email);
}
