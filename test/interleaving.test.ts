import { describe, expect, it } from 'vitest';
import { outcome, setUp, validToken } from './harness';

const alice = 'alice@example.com';
const bob = 'bob@example.com';

type Step = 'login-alice' | 'login-bob' | 'logout';

async function runProgram(program: Step[], gapMs: number) {
  const h = setUp();
  const pending: Promise<{ value: unknown } | { error: unknown }>[] = [];
  for (const step of program) {
    if (step === 'logout') pending.push(outcome(h.chat.logout()));
    else {
      const email = step === 'login-alice' ? alice : bob;
      h.tokens.splice(0, h.tokens.length, async () => {
        await new Promise((resolve) => setTimeout(resolve, 40));
        return { email, token: h.standIn.fake.issueToken(email) };
      });
      pending.push(outcome(h.chat.login()));
    }
    await h.advance(gapMs);
  }
  await h.advance(10_000);
  return { h, results: await Promise.all(pending) };
}

describe('last call wins', () => {
  const programs: Step[][] = [
    ['login-alice', 'logout'],
    ['login-alice', 'logout', 'login-bob'],
    ['login-alice', 'login-bob'],
    ['logout', 'login-alice', 'logout', 'login-alice'],
    ['login-alice', 'logout', 'login-alice', 'logout'],
    ['login-bob', 'login-alice', 'logout', 'login-bob'],
  ];
  for (const gap of [0, 20, 300, 1100]) {
    for (const program of programs) {
      it(`${program.join(' → ')} with ${gap} ms between calls`, async () => {
        const { h, results } = await runProgram(program, gap);
        const last = program.at(-1) as Step;
        const fake = h.standIn.fake.state();
        if (last === 'logout') {
          expect(h.chat.state).toBe('logged-out');
          expect(h.chat.identity).toBeNull();
          expect(h.settings()).not.toHaveProperty('identificationEmail');
          expect(fake.identity.identified).toBe(false);
        } else {
          // A login() during another one shares its request, so it ends as whoever that answered.
          const lastResult = results.at(-1) as { value: { email: string } };
          const email = lastResult.value.email;
          if (program.at(-2) === 'logout' || gap >= 300) {
            expect(email).toBe(last === 'login-alice' ? alice : bob);
          }
          expect(h.chat.state).toBe('authenticated');
          expect(h.chat.identity).toEqual({ email });
          expect(h.settings()).toMatchObject({ identificationEmail: email });
          expect(fake.identity).toEqual({ email, identified: true });
        }
        // The widget really loaded: HubSpot's throttle dropped no needed load.
        expect(fake.loaded).toBe(true);
      });
    }
  }

  it('never shows alice when page code loads her old shell through a stale reference after a logout', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(1500)]);
    const stale = (window as unknown as { HubSpotConversations: { widget: { load(): void } } })
      .HubSpotConversations;
    const logout = h.chat.logout();
    stale.widget.load(); // HubSpot's old shell still works: it loads alice's widget again
    await h.advance(3000);
    await logout;
    const fake = h.standIn.fake.state();
    expect(fake).toMatchObject({ loaded: true, identity: { identified: false } });
    expect(fake.shown).toMatchObject({ identified: false });
  });
});
