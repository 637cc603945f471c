/** Bodies larger than this, in bytes, are refused with 413; internal. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Set by toNodeHandler on the Requests it builds: their body is counted (and refused past
 * {@link MAX_BODY_BYTES}) by the adapter as it arrives, so the handler need not wait for it.
 * `Symbol.for`, so that two copies of the package agree; internal.
 */
const LIMITED_BODY = Symbol.for('hubspot-visitor-chat/server: body limited by toNodeHandler');

/** Marks `request` as one whose body the adapter limits; internal. */
export function markLimitedBody(request: Request): Request {
  Object.defineProperty(request, LIMITED_BODY, { value: true });
  return request;
}

/** Whether toNodeHandler limits `request`'s body; internal. */
export function hasLimitedBody(request: Request): boolean {
  return (request as unknown as Record<symbol, unknown>)[LIMITED_BODY] === true;
}

/**
 * Calls a reporter (`onError`, `onStoreError`) so that nothing it does can fail the request or
 * the process: a synchronous throw is swallowed, and so is the rejection of the promise an async
 * reporter returns (an unreachable log sink), which would otherwise be an unhandled rejection
 * that ends Node; internal.
 */
export function tell(reporter: ((error: unknown) => unknown) | undefined, error: unknown): void {
  if (!reporter) return;
  try {
    const result = reporter(error);
    if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
      // Promise.resolve adopts any thenable; its rejection, or a `then` that throws, lands here.
      Promise.resolve(result).catch(() => {});
    }
  } catch {
    // a failing reporter must not turn an answer into a crash
  }
}

/** The bytes of `chunks` (of `size` bytes in all) as one array; internal. */
export function joinBytes(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * A secret that was missing when the endpoint was created (a build without runtime secrets):
 * nothing throws at setup, and every request fails with this until the process gets it;
 * {@link createTokenHandler} answers 500 and tells `onError`; internal.
 */
export class MissingSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingSecretError';
  }
}

/** Whether a secret option was left out or came from an unset environment variable. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
