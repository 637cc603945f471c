import type { Admission } from './store-guard';

/**
 * How long a claim lives unless its owner renews it. Short, so that a claim nobody works on any
 * more (its owner crashed, or lost the store in a stall before it could release it) delays the
 * others by at most this much.
 */
export const CLAIM_MS = 1000;
/** How often the owner renews its claim while it mints: three times per {@link CLAIM_MS}. */
const RENEW_MS = 300;
/** How long a claim must stand before its writer trusts it (other instances' writes land). */
const SETTLE_MS = 50;
/** How often an instance that lost the claim looks for the winner's token. */
const POLL_MS = 50;
/**
 * The longest an instance waits for another's token before it mints itself, even while the
 * other's claim is alive (a HubSpot call slower than this). Real time, not loop-free time (unlike
 * a store call's timeout, store-guard.ts): a visitor waits in real time, however busy this
 * process is, and the SDK's request has its own real timeout (docs/backend.md, "How long one
 * instance waits for another").
 */
export const MAX_WAIT_MS = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isClaim = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A claim this instance holds: renewed until released. */
export interface Claim {
  /**
   * Stops renewing and removes the claim if `get` shows it is still ours (another instance's,
   * written after ours expired, stays). In the background once the store has failed in this
   * request, so that a dead store adds no second wait; never rejects. Not atomic: a claim can
   * expire and be replaced between the `get` and the `delete`, which costs at most one more
   * HubSpot call (never a wrong token).
   */
  release(): Promise<void>;
  /** Stops renewing, removing nothing: for a claim another instance's has replaced. */
  abandon(): void;
}

export type ClaimOutcome =
  | { kind: 'mine'; claim: Claim }
  | { kind: 'theirs'; id: string }
  /** The store failed: mint without it (our claim, if written, is being released). */
  | { kind: 'failed' };

function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Our claim under `claimKey`, renewed every RENEW_MS while it is still ours. */
function holdClaim(access: Admission, claimKey: string, id: string): Claim {
  const state = { renewing: true, timer: undefined as ReturnType<typeof setInterval> | undefined };
  const stop = () => {
    state.renewing = false;
    clearInterval(state.timer);
  };
  state.timer = setInterval(async () => {
    if (!state.renewing) return;
    const current = await access.op('get', (store) => store.get(claimKey));
    if (!state.renewing) return;
    if (current !== id || access.failed) return stop(); // lost it: never overwrite another's
    await access.op('set', (store) => store.set(claimKey, id, CLAIM_MS));
  }, RENEW_MS);
  (state.timer as { unref?: () => void }).unref?.();
  return {
    abandon: stop,
    release() {
      stop();
      const releasing = (async () => {
        if ((await access.always('get', (store) => store.get(claimKey))) !== id) return;
        await access.always('delete', (store) =>
          store.delete ? store.delete(claimKey) : store.set(claimKey, '', 1),
        );
      })();
      return access.failed ? Promise.resolve() : releasing;
    },
  };
}

/**
 * Claims the right to mint for one storage key: writes a short claim, waits {@link SETTLE_MS}
 * for competing claims to land, and reads back whose claim stands. `get`/`set` are not atomic, so
 * this is best-effort: at worst each instance mints once.
 */
export async function takeClaim(access: Admission, claimKey: string): Promise<ClaimOutcome> {
  const id = randomId();
  // Releasable even if the write seems to fail: a slow store may still take it.
  const claim = holdClaim(access, claimKey, id);
  await access.op('set', (store) => store.set(claimKey, id, CLAIM_MS));
  await sleep(SETTLE_MS);
  const standing = await access.op('get', (store) => store.get(claimKey));
  if (access.failed) {
    // Not waited for: the store failed us, so others must not wait for our claim either.
    void claim.release();
    return { kind: 'failed' };
  }
  if (standing === id || !isClaim(standing)) return { kind: 'mine', claim }; // a store that kept nothing: ours
  claim.abandon();
  return { kind: 'theirs', id: standing };
}

/** The claim in `value`, when there is one. */
export function claimHolder(value: unknown): string | undefined {
  return isClaim(value) ? value : undefined;
}

/**
 * Waits for the instance holding claim `id` to store its token: polls every {@link POLL_MS} and
 * resolves with the token found (`open` decides what is one), or undefined when the claim
 * went away (its owner gave up, failed, or stopped renewing), the store failed, or
 * {@link MAX_WAIT_MS} of real time passed; then the caller mints itself. A poll still in flight at
 * that moment is not waited for (its store calls end by their own timeout, in the background).
 */
export async function waitForToken<T>(
  access: Admission,
  key: string,
  claimKey: string,
  id: string,
  open: (value: unknown) => Promise<T | undefined>,
): Promise<T | undefined> {
  const waiting = { over: false, timer: undefined as ReturnType<typeof setTimeout> | undefined };
  const timeUp = new Promise<undefined>((resolve) => {
    waiting.timer = setTimeout(resolve, MAX_WAIT_MS, undefined);
  });
  const poll = async (): Promise<T | undefined> => {
    while (!waiting.over) {
      await sleep(POLL_MS);
      if (waiting.over) return undefined;
      const [value, still] = await Promise.all([
        access.op('get', (store) => store.get(key)),
        access.op('get', (store) => store.get(claimKey)),
      ]);
      if (access.failed || waiting.over) return undefined;
      const found = await open(value);
      if (found !== undefined) return found;
      if (still !== id) {
        // The claim went: its owner released it, maybe just after storing its token between our
        // two reads (they are not atomic). One more look before minting ourselves.
        const last = await access.op('get', (store) => store.get(key));
        return access.failed || waiting.over ? undefined : open(last);
      }
    }
    return undefined;
  };
  try {
    return await Promise.race([poll(), timeUp]);
  } finally {
    waiting.over = true;
    clearTimeout(waiting.timer);
  }
}
