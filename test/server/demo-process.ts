// The demo's backend (demo/server.mjs, on dist/) run as a process, and a visitor of it.
import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Starts demo/server.mjs with `env` (on a free port); `base` resolves with its URL once it printed
 * it (and `ready`, where given), or rejects when it exits first. Stop it with `child.kill()`.
 */
export function startDemo(
  env: NodeJS.ProcessEnv,
  ready?: string,
): { child: ChildProcess; base: Promise<string> } {
  const child = spawn(process.execPath, ['demo/server.mjs'], {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /demo: (http:\/\/[\d.]+:\d+)\//.exec(out);
      if (match?.[1] && (!ready || out.includes(ready))) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${out}`)));
  });
  return { child, base };
}

/** Signs in to the demo at `base` as a demo user, then asks its token endpoint, as the SDK does. */
export async function demoChatToken(
  base: string,
  user: { email: string; password: string },
): Promise<{ signIn: Response; cookie: string; response: Response }> {
  const signIn = await fetch(`${base}/api/sign-in`, {
    method: 'POST',
    body: JSON.stringify(user),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const response = await fetch(`${base}/api/chat-token`, {
    method: 'POST',
    headers: { Cookie: cookie, Origin: base },
  });
  return { signIn, cookie, response };
}

/** The demo's users, as the page shows them. */
export const ALICE = { email: 'alice@example.com', password: 'alice-demo' };
export const BOB = { email: 'bob@example.com', password: 'bob-demo' };
