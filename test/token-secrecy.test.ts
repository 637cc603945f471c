import { describe, expect, it } from 'vitest';
import { setUp } from './harness';

const alice = 'alice@example.com';

describe('the token lives only in memory and in HubSpot settings', () => {
  it('never reaches storage, cookies, the URL, the DOM or the debug log, and is gone after logout and destroy', async () => {
    const logs: string[] = [];
    const h = setUp({ debug: (message) => logs.push(message) });
    let token = '';
    h.tokens.push(async () => {
      token = h.standIn.fake.issueToken(alice);
      return { email: alice, token, expiresIn: 600 };
    });
    const traces = () =>
      [
        JSON.stringify({ ...localStorage }),
        JSON.stringify({ ...sessionStorage }),
        document.cookie,
        location.href,
        document.documentElement.outerHTML,
        logs.join('\n'),
      ].join('\n');

    await Promise.all([h.chat.login(), h.advance(3000)]);
    expect(token).not.toBe('');
    expect(h.settings()?.identificationToken).toBe(token);
    expect(JSON.stringify(h.chat.identity)).not.toContain(token);
    expect(JSON.stringify(h.events)).not.toContain(token);
    expect(traces()).not.toContain(token);
    expect(logs.join('\n')).toContain('state: authenticating → authenticated');

    await Promise.all([h.chat.logout(), h.advance(3000)]);
    expect(JSON.stringify(h.settings())).not.toContain(token);
    expect(traces()).not.toContain(token);

    h.chat.destroy();
    expect(JSON.stringify(h.settings())).not.toContain(token);
  });
});
