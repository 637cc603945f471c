import { describe, expect, it } from 'vitest';
import { mayLoad, widgetVisible } from '../src/gate';

describe('mayLoad', () => {
  it('opens only when started, with consent granted, and once the load trigger fired', () => {
    expect(mayLoad({ started: true, consent: 'granted', triggered: true })).toBe(true);
    expect(mayLoad({ started: false, consent: 'granted', triggered: true })).toBe(false);
    expect(mayLoad({ started: true, consent: 'pending', triggered: true })).toBe(false);
    expect(mayLoad({ started: true, consent: 'denied', triggered: true })).toBe(false);
    expect(mayLoad({ started: true, consent: 'granted', triggered: false })).toBe(false);
  });
});

describe('widgetVisible', () => {
  it('shows a widget unless hidden, to an identified visitor or, with showAnonymous, to anyone', () => {
    expect(widgetVisible(false, true, false)).toBe(true);
    expect(widgetVisible(false, false, true)).toBe(true);
    expect(widgetVisible(false, false, false)).toBe(false);
    expect(widgetVisible(true, true, true)).toBe(false);
  });
});
