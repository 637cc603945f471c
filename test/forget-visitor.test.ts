import { describe, expect, it } from 'vitest';
import { setUp, validToken } from './harness';

const names = () => document.cookie.split(';').map((c) => c.trim().split('=')[0]);

function trackingCookies() {
  // As HubSpot's tracking code writes them: on the site's top domain.
  document.cookie = 'hubspotutk=0123abcd; path=/; domain=.example.com';
  document.cookie = '__hstc=1.0123abcd.1.1.1.1; path=/; domain=.example.com';
  document.cookie = '__hssc=1.1.1; path=/; domain=.example.com';
  document.cookie = 'app_session=keep; path=/';
}

describe('logout({ forgetVisitor })', () => {
  it('also expires the tracking cookies hubspotutk, __hstc and __hssc', async () => {
    const h = setUp();
    h.tokens.push(validToken(h.standIn, 'alice@example.com'));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    trackingCookies();
    expect(names()).toEqual(expect.arrayContaining(['hubspotutk', '__hstc', '__hssc']));
    await Promise.all([h.chat.logout({ forgetVisitor: true }), h.advance(3000)]);
    expect(names()).not.toContain('hubspotutk');
    expect(names()).not.toContain('__hstc');
    expect(names()).not.toContain('__hssc');
    expect(names()).toContain('app_session');
  });

  it('leaves them by default', async () => {
    const h = setUp();
    trackingCookies();
    await Promise.all([h.chat.logout(), h.advance(10)]);
    expect(names()).toEqual(expect.arrayContaining(['hubspotutk', '__hstc', '__hssc']));
  });
});
