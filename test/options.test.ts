import { describe, expect, it } from 'vitest';
import { type ChatOptions, createChat } from '../src/index';
import { resolveOptions } from '../src/options';

const base = { portalId: '1234567', tokenUrl: '/token' };
const bad = (options: object) => () => createChat(options as ChatOptions);

describe('options', () => {
  it.each([
    ['portalId', { ...base, portalId: '12ab' }],
    ['portalId', { ...base, portalId: -1 }],
    ['portalId', { ...base, portalId: 1.5 }],
    ['portalId', { ...base, portalId: 2 ** 53 }],
    ['portalId', { ...base, portalId: Number.NaN }],
    ['portalId', { ...base, portalId: '' }],
    ['portalId', { ...base, portalId: null }],
    ['portalId', { tokenUrl: '/token' }],
    ['tokenUrl', { portalId: '1' }],
    ['tokenUrl', { ...base, fetchToken: async () => ({ email: 'a@b.c', token: 't' }) }],
    ['tokenUrl', { ...base, tokenUrl: '' }],
    ['fetchToken', { portalId: '1', fetchToken: 'nope' }],
    ['region', { ...base, region: 'ap1' }],
    ['scriptUrl', { ...base, scriptUrl: '' }],
    ['timeoutMs', { ...base, timeoutMs: -1 }],
    ['retries', { ...base, retries: Number.NaN }],
    ['refreshMarginMs', { ...base, refreshMarginMs: '60' }],
    ['readyTimeoutMs', { ...base, readyTimeoutMs: Infinity }],
    ['showAnonymous', { ...base, showAnonymous: 'yes' }],
    ['widget.loadImmediately', { ...base, widget: { loadImmediately: true } }],
    ['widget.identificationEmail', { ...base, widget: { identificationEmail: 'x@y.z' } }],
    ['debug', { ...base, debug: 'verbose' }],
  ])('throws a TypeError naming `%s`', (option, options) => {
    expect(bad(options)).toThrow(TypeError);
    expect(bad(options)).toThrow(`\`${option}\``);
  });

  it('accepts scriptUrl without portalId, and the documented widget keys', () => {
    expect(() =>
      createChat({
        scriptUrl: '/hubspot-stand-in.js',
        tokenUrl: '/token',
        region: 'eu1',
        widget: { inlineEmbedSelector: '#chat', hideNewThreadLink: true },
      }),
    ).not.toThrow();
  });

  it('accepts portalId as a non-negative safe integer as well as a string of digits', () => {
    for (const portalId of [1234567, '1234567']) {
      expect(resolveOptions({ portalId, tokenUrl: '/token' }).scriptUrl).toBe(
        'https://js.hs-scripts.com/1234567.js',
      );
    }
    expect(resolveOptions({ portalId: 0, tokenUrl: '/token', region: 'eu1' }).scriptUrl).toBe(
      'https://js-eu1.hs-scripts.com/0.js',
    );
  });
});
