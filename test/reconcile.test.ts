import { describe, expect, it } from 'vitest';
import { planWidgetStep, type WidgetActual, type WidgetTarget } from '../src/reconcile';

const target = (over: Partial<WidgetTarget> = {}): WidgetTarget => ({
  email: null,
  token: null,
  allowed: true,
  visible: true,
  hold: false,
  forgetEpoch: 0,
  ...over,
});
const actual = (over: Partial<WidgetActual> = {}): WidgetActual => ({
  instance: 'none',
  email: null,
  shown: true,
  forgetEpoch: 0,
  ...over,
});

describe('planWidgetStep', () => {
  it('loads an instance when none exists and a widget is wanted', () => {
    expect(planWidgetStep(target(), actual())).toBe('load');
    expect(planWidgetStep(target({ email: 'a@x.io' }), actual())).toBe('load');
  });

  it('creates no instance while a login is in flight, nor when nothing should show', () => {
    expect(planWidgetStep(target({ hold: true }), actual())).toBe('idle');
    expect(planWidgetStep(target({ visible: false }), actual())).toBe('idle');
  });

  it('resets an instance that carries another identity', () => {
    const ours = actual({ instance: 'ours' });
    expect(planWidgetStep(target({ email: 'a@x.io' }), ours)).toBe('reset');
    expect(planWidgetStep(target(), { ...ours, email: 'a@x.io' })).toBe('reset');
    expect(planWidgetStep(target({ email: 'a@x.io' }), { ...ours, email: 'a@x.io' })).toBe('idle');
  });

  it('resets after a logout even when the identity already matches', () => {
    expect(planWidgetStep(target({ forgetEpoch: 1 }), actual({ instance: 'ours' }))).toBe('reset');
  });

  it('expires the cookies itself after a logout when no instance exists', () => {
    expect(planWidgetStep(target({ forgetEpoch: 1, hold: true }), actual())).toBe('forget-cookies');
  });

  it("keeps a page's own anonymous widget, but resets it to identify or to hide it", () => {
    const foreign = actual({ instance: 'foreign' });
    expect(planWidgetStep(target(), foreign)).toBe('idle');
    expect(planWidgetStep(target({ email: 'a@x.io' }), foreign)).toBe('reset');
    expect(planWidgetStep(target({ visible: false }), foreign)).toBe('reset');
  });

  it('resets a foreign instance that was removed: it may carry any identity', () => {
    expect(planWidgetStep(target(), actual({ instance: 'foreign', shown: false }))).toBe('reset');
  });

  it('removes our instance when no widget is wanted, and shows it again, never while holding', () => {
    const ours = actual({ instance: 'ours', email: 'a@x.io' });
    expect(planWidgetStep(target({ email: 'a@x.io', visible: false }), ours)).toBe('remove');
    const removed = { ...ours, shown: false };
    expect(planWidgetStep(target({ email: 'a@x.io', visible: false }), removed)).toBe('idle');
    expect(planWidgetStep(target({ email: 'a@x.io' }), removed)).toBe('load');
    const anonymous = actual({ instance: 'ours', shown: false });
    expect(planWidgetStep(target({ hold: true }), anonymous)).toBe('idle');
  });

  it('while a login is in flight, keeps an identified instance until the answer says who', () => {
    const alice = actual({ instance: 'ours', email: 'a@x.io' });
    expect(planWidgetStep(target({ hold: true }), alice)).toBe('idle');
    expect(planWidgetStep(target({ hold: true, forgetEpoch: 1 }), alice)).toBe('reset');
  });
});
