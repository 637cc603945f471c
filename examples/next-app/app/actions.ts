'use server';
// The demo's sign-in and sign-out, as Server Actions: setting the cookie re-renders the layout,
// whose `email` the chat provider follows.
import { cookies } from 'next/headers';
import { endSession, SESSION_COOKIE, startSession, USERS } from '../lib/session';

export async function signIn(form: FormData): Promise<void> {
  const email = String(form.get('email')).toLowerCase();
  if (!USERS.includes(email)) throw new Error('unknown user');
  const jar = await cookies();
  endSession(jar.get(SESSION_COOKIE)?.value);
  jar.set(SESSION_COOKIE, startSession(email), { httpOnly: true, sameSite: 'lax', path: '/' });
}

export async function signOut(): Promise<void> {
  const jar = await cookies();
  endSession(jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
}
