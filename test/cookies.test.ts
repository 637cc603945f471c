import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAT_COOKIES, expireCookies, TRACKING_COOKIES } from '../src/hubspot/cookies';

/** Runs `expireCookies(names)` on `hostname` over the cookies `jar`; what it wrote to document.cookie. */
function writes(names: string[], hostname: string, jar: string): string[] {
  const written: string[] = [];
  vi.stubGlobal('location', { hostname });
  vi.spyOn(document, 'cookie', 'get').mockReturnValue(jar);
  vi.spyOn(document, 'cookie', 'set').mockImplementation((value) => written.push(value));
  expireCookies(names);
  return written;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('expireCookies', () => {
  it('expires a listed cookie on the host alone and on it and each parent domain', () => {
    expect(writes(CHAT_COOKIES, 'chat.www.example.com', 'messagesUtk=abc')).toEqual([
      'messagesUtk=; max-age=-1; path=/',
      'messagesUtk=; max-age=-1; path=/; domain=.chat.www.example.com',
      'messagesUtk=; max-age=-1; path=/; domain=.www.example.com',
      'messagesUtk=; max-age=-1; path=/; domain=.example.com',
    ]);
    expect(writes(TRACKING_COOKIES, 'localhost', 'x=1; __hstc=1.2.3')).toEqual([
      '__hstc=; max-age=-1; path=/',
    ]);
  });

  it('takes every hs-messages-* cookie, and exact names only for the others', () => {
    const jar =
      'hs-messages-is-open=true; messagesUtkX=1; xmessagesUtk=2; hs-messages-hide-welcome-message=1; hubspotutk=3; __hssc=4; __hstcx=5';
    expect(writes(CHAT_COOKIES, 'example.com', jar).filter((w) => !w.includes('domain'))).toEqual([
      'hs-messages-is-open=; max-age=-1; path=/',
      'hs-messages-hide-welcome-message=; max-age=-1; path=/',
    ]);
    expect(
      writes(TRACKING_COOKIES, 'example.com', jar).filter((w) => !w.includes('domain')),
    ).toEqual(['hubspotutk=; max-age=-1; path=/', '__hssc=; max-age=-1; path=/']);
  });

  it('sets nothing when no listed cookie exists', () => {
    expect(writes([...CHAT_COOKIES, ...TRACKING_COOKIES], 'example.com', 'a=1; b=2')).toEqual([]);
  });
});
