import { cookies } from 'next/headers';
import { SESSION_COOKIE, sessionEmail } from '../../../lib/session';

/** Who is signed in: `{ email }`, or `{ email: null }`. */
export async function GET(): Promise<Response> {
  const email = sessionEmail((await cookies()).get(SESSION_COOKIE)?.value);
  return Response.json({ email }, { headers: { 'Cache-Control': 'no-store' } });
}
