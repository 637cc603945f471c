/**
 * Why a {@link ChatError} was raised.
 *
 * - `TOKEN_HTTP`: the token endpoint answered with a non-2xx status (see `status`).
 * - `TOKEN_INVALID`: the endpoint answered 2xx, but not with a usable `{ email, token }` (or the token had expired).
 * - `TOKEN_NETWORK`: the request failed before any answer (offline, CORS, DNS, or `fetchToken` threw).
 * - `TOKEN_TIMEOUT`: no answer within `timeoutMs`, on every attempt.
 * - `TOKEN_EXPIRED`: the token expired and its refresh failed (the message says how, `status` is
 *   the refresh's HTTP status): the chat logged out (`logout` with `'expired'`).
 * - `ABORTED`: a later `logout()`, `destroy()` or `login({ fresh: true })` superseded this `login()`.
 * - `WIDGET_UNAVAILABLE`: HubSpot's script failed to load, was blocked, or its API was not ready within `readyTimeoutMs`.
 * - `DESTROYED`: the chat was destroyed.
 * - `CONSENT_DENIED`: the visitor refused (or withdrew) consent to HubSpot's cookies: no token is asked for.
 */
export type ChatErrorCode =
  | 'TOKEN_HTTP'
  | 'TOKEN_INVALID'
  | 'TOKEN_NETWORK'
  | 'TOKEN_TIMEOUT'
  | 'TOKEN_EXPIRED'
  | 'ABORTED'
  | 'WIDGET_UNAVAILABLE'
  | 'DESTROYED'
  | 'CONSENT_DENIED';

/**
 * The only error type the SDK rejects with or emits.
 *
 * @example
 * ```ts
 * try {
 *   await chat.login();
 * } catch (error) {
 *   if (error instanceof ChatError && error.code === 'TOKEN_HTTP' && error.status === 401) showSignIn();
 * }
 * ```
 */
export class ChatError extends Error {
  /** What went wrong; stable, meant for code. */
  readonly code: ChatErrorCode;
  /** The HTTP status, for `TOKEN_HTTP` (and `TOKEN_EXPIRED` after one). */
  readonly status?: number;

  /**
   * @param code - what went wrong
   * @param message - what failed and where, for people
   * @param status - the HTTP status, for `TOKEN_HTTP` (and `TOKEN_EXPIRED` after one)
   */
  constructor(code: ChatErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'ChatError';
    this.code = code;
    if (status !== undefined) this.status = status;
  }
}
