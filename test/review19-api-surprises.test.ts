// Issue 19.13: API surprises — close() never starts the chat or loads HubSpot (it is remembered);
// an open() that cannot happen says why (`openBlocked`); `loaded` is false after destroy().
import { describe, expect, it } from 'vitest';
import { loadOnInteraction } from '../src/index';
import { setUp, validToken } from './harness';

const alice = 'alice@example.com';

describe('close() on a chat that has not started', () => {
  it('starts nothing and loads nothing, and the widget comes closed once the chat starts', async () => {
    const h = setUp({ load: loadOnInteraction });
    h.chat.close();
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    await h.advance(3000);
    expect(document.getElementById('hs-script-loader')).toBeNull();
    expect(h.settings()).toBeUndefined();
    await Promise.all([h.chat.start(), h.advance(100)]);
    h.chat.open(); // the visitor asks: it loads and opens
    await h.advance(5000);
    expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
  });

  it('loads nothing by itself, whatever `load` says', async () => {
    const h = setUp();
    h.chat.close();
    await h.advance(5000);
    expect(document.getElementById('hs-script-loader')).toBeNull();
    expect(h.chat.loaded).toBe(false);
  });
});

describe('openBlocked', () => {
  it('says consent when consent is not granted, and nothing of HubSpot’s loads', async () => {
    const h = setUp({ consent: 'pending' });
    const reasons: string[] = [];
    h.chat.on('openBlocked', (reason) => reasons.push(reason));
    h.chat.open();
    await h.advance(3000);
    expect(reasons).toEqual(['consent']);
    expect(document.getElementById('hs-script-loader')).toBeNull();
  });

  it('says hidden while hide() is in effect', async () => {
    const h = setUp();
    const reasons: string[] = [];
    h.chat.on('openBlocked', (reason) => reasons.push(reason));
    await Promise.all([h.chat.start(), h.advance(3000)]);
    h.chat.hide();
    h.chat.open();
    expect(reasons).toEqual(['hidden']);
  });

  it('says anonymous where no widget comes for an anonymous visitor', async () => {
    const h = setUp({ showAnonymous: false });
    const reasons: string[] = [];
    h.chat.on('openBlocked', (reason) => reasons.push(reason));
    await Promise.all([h.chat.start(), h.advance(3000)]);
    h.chat.open();
    expect(reasons).toEqual(['anonymous']);
    h.tokens.push(validToken(h.standIn, alice));
    await Promise.all([h.chat.login(), h.advance(3000)]);
    h.chat.open();
    await h.advance(3000);
    expect(reasons).toEqual(['anonymous']);
    expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
  });
});

describe('loaded after destroy()', () => {
  it('is false, and a loaded listener hears false', async () => {
    const h = setUp();
    const heard: boolean[] = [];
    h.chat.on('loaded', (loaded) => heard.push(loaded));
    await Promise.all([h.chat.start(), h.advance(5000)]);
    expect(h.chat.loaded).toBe(true);
    h.chat.destroy();
    expect(h.chat.loaded).toBe(false);
    expect(heard).toEqual([true, false]);
  });
});
