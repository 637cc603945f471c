import { aborted, delay, raceAbort } from '../abortable';
import { ChatError } from '../errors';
import type { ResolvedOptions } from '../options';
import { invalid, type Token, validateToken } from './validate-token';

const MAX_BODY_CHARS = 65_536;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 2000;

/**
 * What a failure says, for the message, whatever it is: an Error's text, a plain object as JSON (a
 * rejected `{ error: 'x' }` is not `[object Object]`), and never a throw of its own.
 */
function reason(value: unknown): string {
  try {
    const text = String(value);
    return text === '[object Object]' ? JSON.stringify(value) : text;
  } catch {
    return typeof value; // no prototype, a throwing toString or toJSON, a cycle
  }
}

function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isNaN(seconds) ? Date.parse(header) - now : seconds * 1000;
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

/** One request; `retryAfter` hears a 429's or 503's `Retry-After`, in ms. Throws a ChatError. */
async function requestOnce(
  options: ResolvedOptions,
  signal: AbortSignal,
  where: string,
  retryAfter: (ms: number | undefined) => void,
) {
  if (options.fetchToken) return options.fetchToken(signal);
  const { method = 'POST', headers, credentials = 'same-origin', body } = options.requestInit;
  const response = await fetch(options.tokenUrl as string, {
    method,
    credentials,
    headers: { Accept: 'application/json', ...headers },
    body,
    signal,
  });
  if (!response.ok) {
    retryAfter(retryAfterMs(response.headers.get('Retry-After'), Date.now()));
    throw new ChatError(
      'TOKEN_HTTP',
      `Token request failed with status ${response.status}: ${where}`,
      response.status,
    );
  }
  const type = response.headers.get('Content-Type');
  if (type && !/\bjson\b/i.test(type)) throw invalid(where, `is not JSON (${type})`);
  const text = await response.text();
  if (text.length > MAX_BODY_CHARS) throw invalid(where, 'is too large');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid(where, 'is not JSON');
  }
}

function isRetryable(error: ChatError): boolean {
  const { code, status = 0 } = error;
  return code === 'TOKEN_NETWORK' || code === 'TOKEN_TIMEOUT' || status === 429 || status >= 500;
}

/**
 * Gets a token from `tokenUrl` or `fetchToken`: `timeoutMs` per attempt, `retries` more attempts on
 * network errors, timeouts, 5xx and 429 (250 ms doubling backoff capped at 2 s, full jitter; a 429's
 * Retry-After is honoured up to the cap). Rejects with a {@link ChatError}; `ABORTED` when `signal` aborts.
 */
export async function fetchToken(options: ResolvedOptions, signal: AbortSignal): Promise<Token> {
  const where = options.fetchToken
    ? 'fetchToken()'
    : `${options.requestInit.method ?? 'POST'} ${options.tokenUrl}`;
  for (let attempt = 0; ; attempt++) {
    const attemptController = new AbortController();
    const abortAttempt = () => attemptController.abort();
    signal.addEventListener('abort', abortAttempt);
    const timer = setTimeout(abortAttempt, options.attemptMs);
    let error: ChatError;
    let retryAfter: number | undefined;
    try {
      const body = await raceAbort(
        requestOnce(options, attemptController.signal, where, (ms) => {
          retryAfter = ms;
        }),
        attemptController.signal,
      );
      return validateToken(body, where, Date.now());
    } catch (caught) {
      if (signal.aborted) throw aborted();
      error = attemptController.signal.aborted
        ? new ChatError(
            'TOKEN_TIMEOUT',
            `Token request timed out after ${options.attemptMs} ms: ${where}`,
          )
        : caught instanceof ChatError
          ? caught
          : new ChatError('TOKEN_NETWORK', `Token request failed (${reason(caught)}): ${where}`);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abortAttempt);
    }
    if (error.code === 'ABORTED' || attempt >= options.retries || !isRetryable(error)) {
      throw error;
    }
    const cap = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
    await delay(
      retryAfter === undefined ? Math.random() * cap : Math.min(BACKOFF_CAP_MS, retryAfter),
      signal,
    );
  }
}
