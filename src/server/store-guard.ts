import { holdLoopClock, loopFreeNow } from './loop-clock';
import type { TokenStore } from './store';

/** A store call that throws or takes longer than this (in loop-free time) fails. */
export const STORE_TIMEOUT_MS = 250;
/** However busy the loop, a store call is given up after this much real time. */
const STORE_TIMEOUT_REAL_MAX_MS = 4 * STORE_TIMEOUT_MS;
/** After a failure the store is left alone this long, then one request probes it again. */
export const STORE_COOL_DOWN_MS = 2000;

type Operation = 'get' | 'set' | 'delete';

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
        new Error(
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
 * on without it. The calls other requests have in flight when it fails end with it, so in a stall
 * each request pays at most one timeout, not one per request still waiting. During an outage,
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
  /** Whether the store failed in this request. */
  readonly failed: boolean;
  /** `run` bounded, even after a failure (releasing a claim); failures are reported once. */
  always(what: Operation, run: (store: TokenStore) => unknown): Promise<unknown>;
}

/** Ends a store call another request's failure gave up on: that request reported it. */
const GAVE_UP = Symbol('the store failed in another request');

export function guardStore(store: TokenStore, report: (error: unknown) => void): GuardedStore {
  const breaker = { openUntil: 0, probing: false, probeAt: 0 };
  /** The calls in flight (not releases): a failure ends them all, so none waits out its own timeout. */
  const inFlight = new Set<(reason: typeof GAVE_UP) => void>();

  const trip = () => {
    breaker.openUntil = Date.now() + STORE_COOL_DOWN_MS;
    for (const giveUp of inFlight) giveUp(GAVE_UP);
    inFlight.clear();
  };

  return {
    admit() {
      // A probe that never settles (its request ended first) frees the slot after a cool-down.
      if (breaker.probing && Date.now() - breaker.probeAt < STORE_COOL_DOWN_MS) return undefined;
      let probe = false;
      if (breaker.openUntil !== 0) {
        if (Date.now() < breaker.openUntil) return undefined;
        breaker.probing = probe = true;
        breaker.probeAt = Date.now();
      }
      let failed = false;
      const settleProbe = (ok: boolean) => {
        if (!probe) return;
        probe = false;
        breaker.probing = false;
        if (ok) breaker.openUntil = 0;
        else trip();
      };
      const fail = (error: unknown) => {
        // Once per request (two reads in parallel fail together), and once for all the requests
        // a failure ended.
        if (!failed && error !== GAVE_UP) report(error);
        failed = true;
        if (error !== GAVE_UP) trip();
        settleProbe(false);
      };
      return {
        get failed() {
          return failed;
        },
        async op(what, run) {
          if (failed) return undefined;
          let giveUp: (reason: typeof GAVE_UP) => void = () => {};
          const endedByAnother = new Promise<never>((_, reject) => {
            giveUp = reject;
          });
          inFlight.add(giveUp);
          try {
            const value = await Promise.race([bounded(what, () => run(store)), endedByAnother]);
            settleProbe(true);
            return value;
          } catch (error) {
            fail(error);
            return undefined;
          } finally {
            inFlight.delete(giveUp);
          }
        },
        async always(what, run) {
          try {
            return await bounded(what, () => run(store));
          } catch (error) {
            fail(error);
            return undefined;
          }
        },
      };
    },
  };
}
