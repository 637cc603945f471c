import { deferred } from './consent';

// Which login is still wanted. Every login()/logout()/destroy() that changes what the chat wants
// bumps one generation number; an async continuation whose generation is no longer current must
// not touch settings, the widget or the state (docs/decisions.md §16: the last call wins).

/** One token request and what waits on it. */
export interface Flight<T> {
  /** The generation this flight was started in; stale once another call bumped it. */
  readonly generation: number;
  readonly signal: AbortSignal;
  /** Refreshes and other tabs' logins are quiet: they are not announced to other tabs. */
  quiet: boolean;
  readonly promise: Promise<T>;
}

export interface Flights<T> {
  /** The login in flight, if any. */
  readonly current: Flight<T> | null;
  /**
   * Joins the login in flight, or starts one. The new flight is registered before `run` starts, so
   * a listener `run` triggers synchronously already sees it (and shares it, or supersedes it).
   */
  join(quiet: boolean, run: (flight: Flight<T>) => Promise<T>): Promise<T>;
  /** Supersedes every flight: aborts the current one; its continuations see they are stale. */
  supersede(): void;
  /** Stops sharing `flight`: a later join() starts a new one (for calls made while it fails). */
  finish(flight: Flight<T>): void;
  /** Whether `flight` is still what the chat wants. */
  isCurrent(flight: Flight<T>): boolean;
}

export function createFlights<T>(): Flights<T> {
  let generation = 0;
  let current: (Flight<T> & { controller: AbortController }) | null = null;
  const finish = (flight: Flight<T>) => {
    if (current === flight) current = null;
  };
  return {
    get current() {
      return current;
    },
    join(quiet, run) {
      if (current) {
        if (!quiet) current.quiet = false;
        return current.promise;
      }
      const controller = new AbortController();
      const settled = deferred<T>();
      const flight = {
        generation: ++generation,
        signal: controller.signal,
        controller,
        quiet,
        // Exists before `run` starts: a listener `run` triggers may await or join it.
        promise: settled.promise,
      };
      current = flight;
      // `run` starts synchronously (its first state event is observable at once). The flight's
      // promise settles once the flight is no longer shared.
      run(flight).then(
        (value) => {
          finish(flight);
          settled.resolve(value);
        },
        (error) => {
          finish(flight);
          settled.reject(error);
        },
      );
      return flight.promise;
    },
    supersede() {
      generation++;
      current?.controller.abort();
      current = null;
    },
    finish,
    isCurrent(flight) {
      // (Its signal aborts only in supersede(), which also moves the generation on.)
      return flight.generation === generation;
    },
  };
}
