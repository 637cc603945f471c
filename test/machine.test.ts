import { describe, expect, it } from 'vitest';
import {
  type Effect,
  initialModel,
  type MachineEvent,
  type Model,
  transition,
} from '../src/machine';

function run(events: MachineEvent[], from: Model = initialModel) {
  let model = from;
  const effects: Effect[] = [];
  for (const event of events) {
    const result = transition(model, event);
    model = result.model;
    effects.push(...result.effects);
  }
  return { model, effects };
}

const alice = 'alice@example.com';
const authenticated = run([
  { type: 'LOGIN' },
  { type: 'TOKEN', email: alice },
  { type: 'APPLIED', email: alice },
]).model;

describe('machine', () => {
  it('starts anonymous with no identity', () => {
    expect(initialModel).toEqual({ state: 'anonymous', identity: null, fallback: 'anonymous' });
  });

  it('goes anonymous → authenticating → authenticated and emits login', () => {
    const { model, effects } = run([
      { type: 'LOGIN' },
      { type: 'TOKEN', email: alice },
      { type: 'APPLIED', email: alice },
    ]);
    expect(model).toEqual({
      state: 'authenticated',
      identity: { email: alice },
      fallback: 'anonymous',
    });
    expect(effects).toEqual([
      { type: 'state', state: 'authenticating', previous: 'anonymous' },
      { type: 'state', state: 'authenticated', previous: 'authenticating' },
      { type: 'login', identity: { email: alice } },
    ]);
  });

  it('returns to the state it came from when a login fails', () => {
    expect(run([{ type: 'LOGIN' }, { type: 'FAILED' }]).model.state).toBe('anonymous');
    const loggedOut = run([{ type: 'LOGOUT', reason: 'logout' }]).model;
    const { model, effects } = run([{ type: 'LOGIN' }, { type: 'FAILED' }], loggedOut);
    expect(model.state).toBe('logged-out');
    expect(effects.map((e) => e.type)).not.toContain('logout');
  });

  it('stays authenticated through a same-email refresh and emits tokenRefresh', () => {
    const { model, effects } = run(
      [{ type: 'LOGIN' }, { type: 'TOKEN', email: alice }, { type: 'APPLIED', email: alice }],
      authenticated,
    );
    expect(model.state).toBe('authenticated');
    expect(effects).toEqual([{ type: 'tokenRefresh', identity: { email: alice } }]);
  });

  it('switches through authenticating when another email signs in over the current one', () => {
    const bob = 'bob@example.com';
    const { model, effects } = run(
      [{ type: 'LOGIN' }, { type: 'TOKEN', email: bob }, { type: 'APPLIED', email: bob }],
      authenticated,
    );
    expect(model.identity).toEqual({ email: bob });
    expect(effects).toEqual([
      { type: 'state', state: 'authenticating', previous: 'authenticated' },
      { type: 'state', state: 'authenticated', previous: 'authenticating' },
      { type: 'login', identity: { email: bob } },
    ]);
  });

  it('keeps the identity when a refresh fails for a passing reason, drops it when the session is over', () => {
    expect(run([{ type: 'FAILED' }], authenticated)).toEqual({
      model: authenticated,
      effects: [],
    });
    const { model, effects } = run([{ type: 'LOGOUT', reason: 'refused' }], authenticated);
    expect(model).toEqual({ state: 'logged-out', identity: null, fallback: 'logged-out' });
    expect(effects).toEqual([
      { type: 'state', state: 'logged-out', previous: 'authenticated' },
      { type: 'logout', reason: 'refused' },
    ]);
  });

  it('logs out from every live state, also from anonymous', () => {
    for (const from of [initialModel, authenticated, run([{ type: 'LOGIN' }]).model]) {
      const { model, effects } = run([{ type: 'LOGOUT', reason: 'tab' }], from);
      expect(model).toEqual({ state: 'logged-out', identity: null, fallback: 'logged-out' });
      expect(effects.at(-1)).toEqual({ type: 'logout', reason: 'tab' });
    }
  });

  it('ends in destroyed and ignores everything afterwards', () => {
    const { model, effects } = run([{ type: 'DESTROY' }], authenticated);
    expect(model.state).toBe('destroyed');
    expect(model.identity).toBeNull();
    expect(effects).toEqual([{ type: 'state', state: 'destroyed', previous: 'authenticated' }]);
    for (const event of [
      { type: 'LOGIN' },
      { type: 'APPLIED', email: alice },
      { type: 'LOGOUT' },
    ] as MachineEvent[]) {
      expect(transition(model, event)).toEqual({ model, effects: [] });
    }
  });
});
