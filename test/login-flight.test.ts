import { describe, expect, it } from 'vitest';
import { createFlights, type Flight } from '../src/login-flight';

describe('createFlights', () => {
  it('registers a flight before run() starts, so a join from inside run shares it', async () => {
    const flights = createFlights<string>();
    let inner: Promise<string> | undefined;
    const outer = flights.join(false, async () => {
      inner = flights.join(false, async () => 'second request');
      return 'first';
    });
    expect(await outer).toBe('first');
    expect(await inner).toBe('first');
    expect(flights.current).toBeNull();
  });

  it('marks a flight stale once superseded, also from inside run, and aborts its signal', async () => {
    const flights = createFlights<string>();
    let seen: Flight<string> | undefined;
    const settled = flights.join(false, async (flight) => {
      seen = flight;
      flights.supersede();
      return 'late';
    });
    expect(await settled).toBe('late');
    expect(seen && flights.isCurrent(seen)).toBe(false);
    expect(seen?.signal.aborted).toBe(true);
  });

  it('a new flight after a superseded one is current; the old one stays stale', async () => {
    const flights = createFlights<number>();
    let first: Flight<number> | undefined;
    let release: () => void = () => {};
    const one = flights.join(true, (flight) => {
      first = flight;
      return new Promise((resolve) => {
        release = () => resolve(1);
      });
    });
    flights.supersede();
    let second: Flight<number> | undefined;
    const two = flights.join(false, async (flight) => {
      second = flight;
      return 2;
    });
    release();
    expect([await one, await two]).toEqual([1, 2]);
    expect(first && flights.isCurrent(first)).toBe(false);
    expect(second && flights.isCurrent(second)).toBe(true);
  });

  it('finish() stops sharing: a join made while a flight fails starts a new one', async () => {
    const flights = createFlights<string>();
    let retry: Promise<string> | undefined;
    const failing = flights.join(false, async (flight) => {
      flights.finish(flight);
      retry = flights.join(false, async () => 'retried');
      throw new Error('failed');
    });
    await expect(failing).rejects.toThrow('failed');
    expect(await retry).toBe('retried');
  });

  it('a quiet flight joined by a loud call becomes loud', () => {
    const flights = createFlights<string>();
    void flights.join(true, () => new Promise(() => {}));
    void flights.join(false, () => Promise.resolve('unused'));
    expect(flights.current?.quiet).toBe(false);
  });
});
