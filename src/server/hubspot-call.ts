import { HubSpotApiError, type HubSpotApiErrorCode } from './hubspot-api-error';
import { joinBytes } from './shared';
import type { StoredToken } from './store';
import type { Visitor } from './visitor';

/** "This token is temporary and will expire after 12 hours" — docs/hubspot.md §5. */
export const HUBSPOT_TOKEN_LIFETIME_S = 12 * 60 * 60;
const PATH = '/conversations/v3/visitor-identification/tokens/create';
/** HubSpot answers `{ "token": "…" }`; a larger answer is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** What one call to HubSpot needs; internal. */
export interface HubSpotCallOptions {
  accessToken: string;
  /** Checked by hubspotTokenMinter: http(s), no credentials, query or fragment. */
  baseUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

function codeFor(status: number): HubSpotApiErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  return status >= 500 ? 'SERVER' : 'BAD_REQUEST';
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date; undefined when absent or past. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim())
    ? Number(header)
    : Math.ceil((Date.parse(header) - Date.now()) / 1000);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** The whole body as text, or undefined when it is larger than `limit` bytes (then cancelled). */
async function readText(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(joinBytes(chunks, size));
}

/**
 * One call to HubSpot's token API per visitor; internal. `timeoutMs` covers all of it, the
 * answer's body included: a body that stalls after the headers is a TIMEOUT too (the abort
 * cancels it, and the race below does not rely on `fetch` honouring the signal). Redirects are
 * errors: following one would send the visitor's email, and take a token, from another origin.
 * No message ever holds the access token.
 */
export function hubspotCall(
  options: HubSpotCallOptions,
): (visitor: Visitor) => Promise<StoredToken> {
  const { accessToken, timeoutMs } = options;
  const url = `${options.baseUrl.replace(/\/+$/, '')}${PATH}`;
  const where = `POST ${url}`;
  const timeout = () =>
    new HubSpotApiError('TIMEOUT', `HubSpot did not answer within ${timeoutMs} ms: ${where}`);
  /** `text` without the access token (an error of fetch's may quote the header it refused). */
  const redact = (text: string) => text.split(accessToken).join('[access token]');

  async function exchange(
    visitor: Visitor,
    signal: AbortSignal,
    reading: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
  ): Promise<StoredToken> {
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${accessToken}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({
          email: visitor.email,
          ...(visitor.firstName ? { firstName: visitor.firstName } : {}),
          ...(visitor.lastName ? { lastName: visitor.lastName } : {}),
        }),
        redirect: 'error',
        signal,
      });
    } catch (error) {
      throw signal.aborted
        ? timeout()
        : new HubSpotApiError(
            'NETWORK',
            `HubSpot could not be reached (${redact(String(error))}): ${where}`,
          );
    }
    if (!response.ok || signal.aborted) {
      // Not read: cancelled, so that the connection is not held by a body nobody wants.
      if (typeof response.body?.cancel === 'function') response.body.cancel().catch(() => {});
    }
    if (signal.aborted) throw timeout();
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      // A hand-made fetch that does not honour `redirect: 'error'`.
      throw new HubSpotApiError(
        'BAD_RESPONSE',
        `HubSpot answered ${response.status} (a redirect, not followed): ${where}`,
        { status: response.status },
      );
    }
    if (!response.ok) {
      const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
      throw new HubSpotApiError(
        codeFor(response.status),
        `HubSpot answered ${response.status}: ${where}`,
        {
          status: response.status,
          ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
        },
      );
    }
    // A body that fails or is not JSON is no token (after a timeout, the race has settled).
    let body: unknown;
    if (typeof response.body?.getReader === 'function') {
      const reader = response.body.getReader();
      reading(reader);
      body = await readText(reader, MAX_ANSWER_BYTES)
        .then((text) => (text === undefined ? null : JSON.parse(text)))
        .catch(() => null);
    } else {
      body = await Promise.resolve()
        .then(() => response.json()) // a hand-made stand-in for Response, in someone's tests
        .catch(() => null);
    }
    const token = (body as { token?: unknown } | null)?.token;
    if (typeof token !== 'string' || !token) {
      throw new HubSpotApiError('BAD_RESPONSE', `HubSpot answered without a token: ${where}`);
    }
    return { token, expiresAt: Date.now() + HUBSPOT_TOKEN_LIFETIME_S * 1000 };
  }

  return async (visitor) => {
    const controller = new AbortController();
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(timeout());
        controller.abort();
        reader?.cancel().catch(() => {});
      }, timeoutMs);
    });
    try {
      return await Promise.race([
        exchange(visitor, controller.signal, (r) => (reader = r)),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}
