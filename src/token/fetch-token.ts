import { aborted, delay, raceAbort } from '../abortable';
import { ChatError } from '../errors';
import type { ResolvedOptions } from '../options';
import { invalid, type Token, validateToken } from './validate-token';

/** Where `Token` was declared before validate-token.ts existed. */
export type { Token };

const MAX_BODY_CHARS = 65_536;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 2000;

/**
 * What a failure says, for the message, whatever it is: an Error's text, the `error` of a rejected
 * `{ error: 'x' }` (not `[object Object]`), and never a throw of its own.
 */
function reason(value: unknown): string {
  try {
    return String((value as { error?: unknown } | null)?.error ?? value);
  } catch {
    return typeof value; // no prototype, or a throwing toString
  }
}

/**
 * Gets a token from `tokenUrl` or `fetchToken`: `timeoutMs` per attempt, `retries` more attempts on
 * network errors, timeouts, 5xx and 429 (250 ms doubling backoff capped at 2 s, full jitter; a 429's
 * or 503's `Retry-After`, in seconds or as a date, is honoured up to the cap) — docs/decisions.md §3.
 * Rejects only with a {@link ChatError}; `ABORTED` when `signal` aborts.
 */
export async function fetchToken(options: ResolvedOptions, signal: AbortSignal): Promise<Token> {
  const { ownFetchToken: own, tokenEndpoint, requestInit, attemptMs } = options;
  const where = own ? 'fetchToken()' : `${requestInit.method ?? 'POST'} ${tokenEndpoint}`;
  /** How long to wait before the next attempt. */
  let wait: number;
  /** One attempt: what the endpoint or `fetchToken` answered, not validated yet. */
  const request = async (attemptSignal: AbortSignal): Promise<unknown> => {
    if (own) return own(attemptSignal);
    // Read at each attempt, inside it: a getter (fresh CSRF headers, say) runs again, and what it
    // throws is a failed attempt.
    const response = await fetch(tokenEndpoint as string, {
      method: requestInit.method ?? 'POST',
      credentials: requestInit.credentials ?? 'same-origin',
      headers: { Accept: 'application/json', ...requestInit.headers },
      body: requestInit.body,
      signal: attemptSignal,
    });
    const { status, headers: answer } = response;
    if (!response.ok) {
      const after = answer.get('Retry-After'); // seconds, or an HTTP date
      if (after) {
        const ms = Number.isNaN(+after) ? Date.parse(after) - Date.now() : +after * 1000;
        if (!Number.isNaN(ms)) wait = Math.min(BACKOFF_CAP_MS, Math.max(0, ms)); // NaN: no date
      }
      throw new ChatError(
        'TOKEN_HTTP',
        `Token request failed with status ${status}: ${where}`,
        status,
      );
    }
    const type = answer.get('Content-Type');
    if (type && !/\bjson\b/i.test(type)) throw invalid(where, `is not JSON (${type})`);
    const text = await response.text();
    if (text.length > MAX_BODY_CHARS) throw invalid(where, 'is too large');
    try {
      return JSON.parse(text);
    } catch {
      throw invalid(where, 'is not JSON');
    }
  };
  for (let attempt = 0; ; attempt++) {
    wait = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
    const attemptController = new AbortController();
    const attemptSignal = attemptController.signal;
    const abortAttempt = () => attemptController.abort();
    signal.addEventListener('abort', abortAttempt);
    const timer = setTimeout(abortAttempt, attemptMs);
    try {
      const answer = await raceAbort(request(attemptSignal), attemptSignal);
      return validateToken(answer, where, Date.now());
    } catch (caught) {
      if (signal.aborted) throw aborted();
      const error = attemptSignal.aborted
        ? new ChatError('TOKEN_TIMEOUT', `Token request timed out after ${attemptMs} ms: ${where}`)
        : caught instanceof ChatError
          ? caught
          : new ChatError('TOKEN_NETWORK', `Token request failed (${reason(caught)}): ${where}`);
      const { code, status = 0 } = error;
      // Retried: network errors, timeouts, 429 and 5xx; never another 4xx, an invalid answer, or a
      // ChatError of fetchToken's own.
      if (
        attempt >= options.maxRetries ||
        !(code === 'TOKEN_NETWORK' || code === 'TOKEN_TIMEOUT' || status === 429 || status >= 500)
      ) {
        throw error;
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abortAttempt);
    }
    await delay(wait, signal);
  }
}
