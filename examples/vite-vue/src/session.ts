import { readonly, ref } from 'vue';

/** `undefined` until the backend said who is signed in; then an email, or null. */
const email = ref<string | null | undefined>(undefined);

async function call(path: string, body?: object): Promise<void> {
  const response = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : null,
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  email.value = ((await response.json()) as { email: string | null }).email;
}

/** The app's own session (a cookie set by the backend): the chat follows it. */
export function useSession() {
  return {
    email: readonly(email),
    refresh: () => call('/api/me'),
    signIn: (who: string) => call('/api/sign-in', { email: who }),
    signOut: () => call('/api/sign-out', {}),
  };
}
