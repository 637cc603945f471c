/**
 * Why HubSpot's Visitor Identification API refused or failed:
 * - `UNAUTHORIZED`: 401, the access token is wrong or expired.
 * - `FORBIDDEN`: 403, a missing scope (`conversations.visitor_identification.tokens.create`) or an
 *   account without a Professional/Enterprise subscription.
 * - `RATE_LIMITED`: 429; `retryAfterSeconds` when HubSpot said.
 * - `SERVER`: 5xx.
 * - `BAD_REQUEST`: another 4xx (e.g. an invalid email).
 * - `TIMEOUT`, `NETWORK`: no answer.
 * - `BAD_RESPONSE`: 2xx without a `token`.
 */
export type HubSpotApiErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'SERVER'
  | 'BAD_REQUEST'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'BAD_RESPONSE';

/**
 * What {@link hubspotTokenMinter} throws. Its message never holds a token.
 *
 * @example
 * ```ts
 * onError: (error) => {
 *   if (error instanceof HubSpotApiError && error.code === 'FORBIDDEN') alertOps('HubSpot scope or plan missing');
 * },
 * ```
 */
export class HubSpotApiError extends Error {
  /** What went wrong; stable, meant for code. */
  readonly code: HubSpotApiErrorCode;
  /** HubSpot's HTTP status, when it answered. */
  readonly status?: number;
  /** For `RATE_LIMITED`: how long HubSpot asked to wait. */
  readonly retryAfterSeconds?: number;

  /**
   * @param code - what went wrong
   * @param message - what failed and where
   * @param details - HubSpot's status and Retry-After
   *
   * @example
   * ```ts
   * // From your own minter: the token endpoint answers 503 with Retry-After: 30.
   * throw new HubSpotApiError('RATE_LIMITED', 'Identity service answered 429: POST /tokens', { status: 429, retryAfterSeconds: 30 });
   * ```
   */
  constructor(
    code: HubSpotApiErrorCode,
    message: string,
    details: { status?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'HubSpotApiError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}
