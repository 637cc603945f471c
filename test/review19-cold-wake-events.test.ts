import { expect, it, vi } from 'vitest';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';

it('refreshes first on document resume / visibilitychange past the refresh time', async () => {
  for (const event of ['resume', 'visibilitychange'] as const) {
    const h = setUp({ refreshMarginMs: 60_000 });
    h.tokens.push(validToken(h.standIn, alice, { expiresIn: 600 }));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    const requests = h.requests();
    vi.setSystemTime(Date.now() + 560_000);
    document.dispatchEvent(new Event(event));
    expect({ event, n: h.requests() }).toEqual({ event, n: requests + 1 });
    h.chat.destroy();
    h.standIn.uninstall();
  }
});
