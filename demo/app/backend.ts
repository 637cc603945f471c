// The demo site's own backend (demo/server.mjs): its sign-in, its session, the failure switches.
// An app would have the same calls to its own API.

export interface DemoConfig {
  /** `stand-in`: offline, HubSpot's widget is played by hubspot-visitor-chat/testing. */
  mode: 'stand-in' | 'hubspot';
  portalId: string;
  /** Where HubSpot's loader comes from; undefined: HubSpot's own URL. */
  scriptUrl?: string;
}

/** The failure switches, per browser (an HttpOnly cookie set by the server). */
export interface Switches {
  token: 'ok' | '500' | 'slow';
  script: 'ok' | 'blocked';
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const getConfig = () => json<DemoConfig>('/api/config');

/** Who is signed in on this site, or null (always 200: an anonymous visit shows no failed request). */
export const getSessionEmail = async () => (await json<{ email: string | null }>('/api/me')).email;

/** The signed-in email, or null for a wrong email or password. */
export async function signIn(email: string, password: string): Promise<string | null> {
  const response = await fetch('/api/sign-in', post({ email, password }));
  return response.ok ? ((await response.json()) as { email: string }).email : null;
}

export const signOut = () => json<{ ok: true }>('/api/sign-out', post({}));

export const getSwitches = () => json<Switches>('/api/switches');

export const setSwitches = (switches: Partial<Switches>) =>
  json<Switches>('/api/switches', post(switches));
