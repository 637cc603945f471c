import { describe, expect, it } from 'vitest';
import { type ChatOptions, createChat } from '../src/index';

const base = { portalId: '1234567', tokenUrl: '/token' };
const bad = (options: object) => () => createChat(options as ChatOptions);

describe('options', () => {
  it.each([
    ['portalId', { ...base, portalId: '12ab' }],
    ['portalId', { ...base, portalId: 1234567 }],
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
});
