/**
 * The retry policy of the API client: which answers and failures are retried, how long to
 * wait, and when to stop. Pure; the transport (`transport.ts`) applies it.
 *
 * Numbers mirror the official SDK (`@intuned/client`: 500 ms base, exponent 1.5, 60 s max
 * interval, up to 1 s jitter). Retries stop on time, not on a count: a request is retried
 * while the time it has taken (attempts and waits) stays within a budget and before the run's
 * deadline, so a storm of 429s and 503s costs waiting, not a failed run. The SDK retries for up
 * to an hour; a CI job should fail long before that.
 */

export const RETRY_BASE_DELAY_MS = 500;
export const RETRY_EXPONENT = 1.5;
export const RETRY_MAX_DELAY_MS = 60_000;
/** Partial jitter: up to this much is added to every delay so parallel clients spread out. */
export const RETRY_MAX_JITTER_MS = 1_000;
/** A longer `Retry-After` is cut to this; the server's wish is honoured up to a point. */
export const RETRY_AFTER_MAX_MS = 60_000;
/** No new attempt of one request starts once its attempts and waits would take longer than this. */
export const RETRY_BUDGET_MS = 120_000;

export interface RetryPolicy {
  baseDelayMs: number;
  exponent: number;
  maxDelayMs: number;
  maxJitterMs: number;
  retryAfterMaxMs: number;
  budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  baseDelayMs: RETRY_BASE_DELAY_MS,
  exponent: RETRY_EXPONENT,
  maxDelayMs: RETRY_MAX_DELAY_MS,
  maxJitterMs: RETRY_MAX_JITTER_MS,
  retryAfterMaxMs: RETRY_AFTER_MAX_MS,
  budgetMs: RETRY_BUDGET_MS,
});

/** Statuses worth another attempt (the SDK's list). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Statuses that say the request was turned away before the server acted on it. */
const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * What a repeat of the request may do to the server:
 * - `idempotent`: GET and DELETE; repeating is harmless.
 * - `keyed`: a write keyed by the resource's ID, so a repeat cannot make a second resource:
 *   session create-start, job create (see `client.ts` for how a repeat is told apart from a real
 *   conflict) and job update (a PUT: a repeat writes the same definition again). Retried like
 *   an idempotent request, but the transport says when an earlier attempt may have acted.
 * - `unsafe`: a POST that starts work (update, validate, resume); a repeat could start it twice.
 */
export type RequestSafety = 'idempotent' | 'keyed' | 'unsafe';

/** Whether a failed attempt reached the server: refused connections never did. */
export type FailureKind = 'not-sent' | 'maybe-sent' | 'other';

export type Verdict =
  /** Final: hand the answer (or error) to the caller. */
  | 'done'
  | 'retry'
  /** Retry, but an earlier attempt may have acted on the server. */
  | 'retry-after-unknown'
  /** Stop: the server may have acted and repeating is unsafe. */
  | 'outcome-unknown';

const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const MAYBE_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** The `code` of a network error, looking one `cause` deep (fetch-style wrapping). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError and a numeric code.
  if (name === 'TimeoutError') return 'TimeoutError';
  return cause === undefined || cause === error ? undefined : errorCode(cause);
}

export function classifyFailure(error: unknown): FailureKind {
  const code = errorCode(error);
  if (code === undefined) return 'other';
  if (NOT_SENT_CODES.has(code)) return 'not-sent';
  if (MAYBE_SENT_CODES.has(code) || code === 'TimeoutError') return 'maybe-sent';
  return 'other';
}

export function judgeStatus(status: number, safety: RequestSafety): Verdict {
  if (!RETRYABLE_STATUSES.has(status)) return 'done';
  if (NOT_PROCESSED_STATUSES.has(status) || safety === 'idempotent') return 'retry';
  // 500, 502, 504: the server (or the backend behind a gateway) may have acted.
  return safety === 'keyed' ? 'retry-after-unknown' : 'outcome-unknown';
}

export function judgeFailure(kind: FailureKind, safety: RequestSafety): Verdict {
  if (kind === 'other') return 'done';
  if (kind === 'not-sent' || safety === 'idempotent') return 'retry';
  return safety === 'keyed' ? 'retry-after-unknown' : 'outcome-unknown';
}

/** Delay before retry number `retry` (1 for the first retry), jitter included. */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.round(policy.baseDelayMs * policy.exponent ** (retry - 1));
  return Math.min(exponential, policy.maxDelayMs) + jitterMs(policy, random);
}

export function jitterMs(policy: RetryPolicy, random: () => number): number {
  return Math.floor(random() * policy.maxJitterMs);
}

/**
 * `Retry-After` as a delay in ms: delta-seconds or an HTTP date; undefined when absent or
 * unreadable; never negative, never above `retryAfterMaxMs`.
 */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  policy: RetryPolicy,
  now: number,
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  let delay: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    delay = Number(text) * 1000;
  } else {
    // An HTTP date always names its day and month; Date.parse alone would take "-5" as a year.
    const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) return undefined;
    delay = at - now;
  }
  return Math.min(Math.max(0, Math.ceil(delay)), policy.retryAfterMaxMs);
}

/**
 * The wait before the next attempt. A `Retry-After` replaces the backoff (plus jitter, so
 * clients told the same second do not return in one burst).
 */
export function nextDelayMs(options: {
  retry: number;
  retryAfterMs: number | undefined;
  policy: RetryPolicy;
  random: () => number;
}): number {
  const { retry, retryAfterMs, policy, random } = options;
  if (retryAfterMs !== undefined) return retryAfterMs + jitterMs(policy, random);
  return backoffDelayMs(retry, policy, random);
}
