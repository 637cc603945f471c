import { holdLoopClock, loopFreeNow } from './loop-clock';
import type { TokenStore } from './store';

/** A store call that throws or takes longer than this (in loop-free time) fails. */
export const STORE_TIMEOUT_MS = 250;
/** However busy the loop, a store call is given up after this much real time. */
const STORE_TIMEOUT_REAL_MAX_MS = 4 * STORE_TIMEOUT_MS;
/** After a failure the store is left alone this long, then one request probes it again. */
export const STORE_COOL_DOWN_MS = 2000;

type Operation = 'get' | 'set' | 'delete';

/** A store call that did not answer in time: the store stalls (unlike one command that threw). */
class StoreTimeout extends Error {}

/** Durations are measured on a clock that an NTP step or a VM resume does not move back. */
const now = (): number => globalThis.performance.now();

/**
 * Resolves what `run` resolves; rejects when it throws, rejects, or takes longer than
 * {@link STORE_TIMEOUT_MS} of loop-free time (see loop-clock.ts): when the timer fires late because
 * this process was busy, the store's answer may be sitting unread in its socket, so the lateness
 * is given back to it before it is called slow.
 */
export function bounded(what: Operation, run: () => unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const release = holdLoopClock();
    const start = loopFreeNow();
    const realStart = globalThis.performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const left = STORE_TIMEOUT_MS - (loopFreeNow() - start);
      if (left > 0 && globalThis.performance.now() - realStart < STORE_TIMEOUT_REAL_MAX_MS) {
        timer = setTimeout(check, Math.max(1, left));
        return;
      }
      release();
      reject(
        new StoreTimeout(
          `hubspotTokenMinter: the token store's ${what} took longer than ${STORE_TIMEOUT_MS} ms; skipped`,
        ),
      );
    };
    timer = setTimeout(check, STORE_TIMEOUT_MS);
    // A late answer or failure after the timeout lands here and is dropped: never unhandled.
    Promise.resolve()
      .then(run)
      .then(
        (value) => {
          clearTimeout(timer);
          release();
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          release();
          reject(error);
        },
      );
  });
}

/**
 * The store behind a circuit breaker, shared by every request of one minter: after a failure the
 * store is skipped for {@link STORE_COOL_DOWN_MS}, then one request probes it while the others go
 * on without it. A timeout (the store stalls) also ends every store call the process's other
 * requests have in flight, releases of claims included, and those requests make no more store
 * calls: in a stall each request pays at most one timeout, not one per call it still had to
 * make. A call that merely threw (one command's error) ends nobody else's. During an outage,
 * requests therefore pay no timeout and queue no commands in the client (an offline queue that
 * grows with every request).
 */
export interface GuardedStore {
  /** Whether this request may use the store (false while cooling down or while a probe runs). */
  admit(): Admission | undefined;
}

/** One request's access to the store: after its first failure, the rest of it skips the store. */
export interface Admission {
  /** `run` bounded; undefined once this request has seen the store fail. */
  op(what: Operation, run: (store: TokenStore) => unknown): Promise<unknown>;
  /** Whether the store failed in this request (or stalled in another since it was admitted). */
  readonly failed: boolean;
  /**
   * `run` bounded, even after a failure in this request (releasing a claim); failures are reported
   * once. Not after a stall seen since this request was admitted: a claim left then lapses.
   */
  always(what: Operation, run: (store: TokenStore) => unknown): Promise<unknown>;
}

/** Ends a store call because the store stalled in another request: that request reported it. */
const GAVE_UP = Symbol('the store stalled in another request');

export function guardStore(store: TokenStore, report: (error: unknown) => void): GuardedStore {
  /** `stalls` counts the timeouts seen: a request admitted before the last one uses the store no more. */
  const breaker = { openUntil: 0, probing: false, probeAt: 0, stalls: 0 };
  /** The calls in flight: a stall ends them all, so none waits out its own timeout. */
  const inFlight = new Set<(reason: typeof GAVE_UP) => void>();

  const trip = (error: unknown) => {
    breaker.openUntil = now() + STORE_COOL_DOWN_MS;
    if (!(error instanceof StoreTimeout)) return;
    breaker.stalls++;
    for (const giveUp of inFlight) giveUp(GAVE_UP);
    inFlight.clear();
  };

  return {
    admit() {
      // A probe that never settles (its request ended first) frees the slot after a cool-down.
      if (breaker.probing && now() - breaker.probeAt < STORE_COOL_DOWN_MS) return undefined;
      let probe = false;
      if (breaker.openUntil !== 0) {
        if (now() < breaker.openUntil) return undefined;
        breaker.probing = probe = true;
        breaker.probeAt = now();
      }
      const stallsAtAdmission = breaker.stalls;
      let failed = false;
      /** A failed probe needs no trip of its own: `fail` tripped the breaker already (or a stall did). */
      const settleProbe = (ok: boolean) => {
        if (!probe) return;
        probe = false;
        breaker.probing = false;
        if (ok) breaker.openUntil = 0;
      };
      const fail = (error: unknown) => {
        // Once per request (two reads in parallel fail together), and once for all the requests
        // a stall ended.
        if (!failed && error !== GAVE_UP) report(error);
        failed = true;
        if (error !== GAVE_UP) trip(error);
        settleProbe(false);
      };
      /** `run` bounded, and ended early by a stall in another request. */
      const call = async (what: Operation, run: (store: TokenStore) => unknown) => {
        if (breaker.stalls !== stallsAtAdmission) throw GAVE_UP;
        let giveUp: (reason: typeof GAVE_UP) => void = () => {};
        const endedByAnother = new Promise<never>((_, reject) => {
          giveUp = reject;
        });
        inFlight.add(giveUp);
        try {
          return await Promise.race([bounded(what, () => run(store)), endedByAnother]);
        } finally {
          inFlight.delete(giveUp);
        }
      };
      return {
        get failed() {
          return failed || breaker.stalls !== stallsAtAdmission;
        },
        async op(what, run) {
          if (failed) return undefined;
          try {
            const value = await call(what, run);
            settleProbe(true);
            return value;
          } catch (error) {
            fail(error);
            return undefined;
          }
        },
        async always(what, run) {
          try {
            return await call(what, run);
          } catch (error) {
            fail(error);
            return undefined;
          }
        },
      };
    },
  };
}
