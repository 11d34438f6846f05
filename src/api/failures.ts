/**
 * Turning failed requests into `ApiError`s that a person can act on and that never carry
 * the API key: messages are built here from short, redacted quotes; undici errors (which can
 * hold request options, headers included) are never attached, only described.
 */
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { MIN_MESSAGE_SECRET } from '../secrets.js';
import { RETRYABLE_STATUSES, errorCode } from './retry.js';
import { shorten } from '../engine/words.js';

/** `ApiError.code` of a POST whose effect on the server is unknown (not repeated). */
export const OUTCOME_UNKNOWN_CODE = 'outcome-unknown';
/** `ApiError.code` of a response whose body does not fit the API's schema. */
export const UNEXPECTED_RESPONSE_CODE = 'unexpected-response';

const MAX_MESSAGE_CHARS = 300;
/** A code or correlation ID is an identifier: longer ones are cut to this. */
const MAX_CODE_CHARS = 100;
/** A non-JSON body (an HTML error page, a proxy's text) is quoted this far. */
const MAX_EXCERPT_CHARS = 120;
const REDACTED = '[redacted]';

/**
 * A delete refused because a Run or JobRun uses the session. *Unconfirmed*: the real API's
 * answer is undocumented; 409 with any message, or 400 whose message or code says so.
 */
const IN_USE_PATTERN = /in use|in-use|being used|active (job )?run/i;
const ALREADY_EXISTS_PATTERN = /already exists?|duplicate/i;
/**
 * An update or delete refused because Intuned holds the resource as code-defined (deployed by
 * its CLI or IDE). *Unconfirmed*: the answer is undocumented; any 4xx whose message or code
 * says so, unless it is about the key (a read-only API key is a different fix).
 */
const READ_ONLY_PATTERN = /read[-_ ]?only|code[-_ ]defined|defined in code|managed by code|\b(origin|source)\W*code\b|code[-_ ]origin/i;
const KEY_PATTERN = /api[-_ ]?key|token/i;
export const READ_ONLY_ADVICE =
  "Intuned holds it as code-defined (made by a deploy with Intuned's CLI or IDE, which reads the same " +
  "intuned-resources/ folder), so it is read-only through the API; manage the project's resources with " +
  'one of the two only (see "Coexistence" in the README)';

function saysReadOnly(status: number | undefined, text: string): boolean {
  return status !== undefined && status >= 400 && status < 500 && READ_ONLY_PATTERN.test(text) && !KEY_PATTERN.test(text);
}

export interface RequestContext {
  method: string;
  /** After the base URL, query included; never holds a secret. */
  path: string;
}

export type Redact = (text: string) => string;

/**
 * The client's one masking step: the API key always, then `more` (the run's `RunSecrets`, when
 * the caller has them). The key is searched for from the length `RunSecrets` masks API text at. Every field read from a response passes through it
 * before anything cuts, stores or prints it.
 */
export function makeRedactor(secrets: readonly string[], more: Redact = (text) => text): Redact {
  const searched = secrets.filter((s) => s.length >= MIN_MESSAGE_SECRET);
  return (text) => more(searched.reduce((out, secret) => out.split(secret).join(REDACTED), text));
}

/** A quote of what the API sent, on one line (a body's newlines would break a log line) and cut to `max`. */
export function excerpt(text: string, max: number): string {
  return shorten(text.replace(/\s+/g, ' ').trim(), max);
}

const errorBodySchema = z.object({
  code: z.union([z.string(), z.number()]).nullish(),
  message: z.union([z.string(), z.array(z.string())]).nullish(),
  error: z.union([z.string(), z.object({ message: z.string().nullish(), code: z.string().nullish() })]).nullish(),
  retirable: z.boolean().nullish(),
  correlationId: z.string().nullish(),
});

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function statusText(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

function hintFor(status: number, said: string): string {
  if (saysReadOnly(status, said)) return ` (${READ_ONLY_ADVICE})`;
  if (status === 401) return ' (check INTUNED_API_KEY)';
  if (status === 403) return ' (check the API key, the workspace ID and that API access is enabled)';
  return '';
}

export function errorFromResponse(options: RequestContext & {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  redact: Redact;
}): ApiError {
  const { method, path, status, headers, text, redact } = options;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const body = errorBodySchema.safeParse(json);
  const wire = body.success ? body.data : undefined;
  const nested = typeof wire?.error === 'object' ? wire.error : undefined;
  // Redacted before any cut, so a cut cannot leave half a key that no longer matches.
  const said =
    (Array.isArray(wire?.message) ? wire.message.join('; ') : wire?.message) ??
    (typeof wire?.error === 'string' ? wire.error : nested?.message) ??
    (json === undefined && text.trim()
      ? `${statusText(status)}: ${excerpt(redact(text), MAX_EXCERPT_CHARS)}`
      : statusText(status));
  const code = wire?.code ?? nested?.code ?? undefined;
  const correlationId = wire?.correlationId ?? headerValue(headers, 'x-correlation-id') ?? headerValue(headers, 'x-request-id');
  return new ApiError(excerpt(redact(said), MAX_MESSAGE_CHARS) + hintFor(status, `${said} ${code ?? ''}`), {
    method,
    path,
    status,
    code: code === undefined ? undefined : excerpt(redact(String(code)), MAX_CODE_CHARS),
    correlationId: correlationId === undefined ? undefined : excerpt(redact(correlationId), MAX_CODE_CHARS),
    retryable: RETRYABLE_STATUSES.has(status) || wire?.retirable === true,
  });
}

/** A 2xx whose body does not fit: say where, never quote the body. */
export function unexpectedResponseError(context: RequestContext & { status: number; problem: string }): ApiError {
  return new ApiError(`unexpected response from the Intuned API: ${excerpt(context.problem, MAX_MESSAGE_CHARS)}`, {
    method: context.method,
    path: context.path,
    status: context.status,
    code: UNEXPECTED_RESPONSE_CODE,
    retryable: false,
  });
}

/** What went wrong on the wire, in words, with no request options attached. */
export function describeWireError(error: unknown, redact: Redact, timeoutMs: number): string {
  const code = errorCode(error);
  if (code === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const message = error instanceof Error ? excerpt(redact(error.message), MAX_EXCERPT_CHARS) : 'request failed';
  return code ? `${message} (${code})` : message;
}

export function connectionError(context: RequestContext & {
  error: unknown;
  redact: Redact;
  timeoutMs: number;
  retryable: boolean;
}): ApiError {
  const description = describeWireError(context.error, context.redact, context.timeoutMs);
  // The cause is a fresh error holding only the description: the original may carry headers.
  return new ApiError(`no response: ${description}`, {
    method: context.method,
    path: context.path,
    code: errorCode(context.error),
    retryable: context.retryable,
  }, { cause: new Error(description) });
}

/** `repeated`: the request is one the transport repeats (keyed), so "not repeated" would be untrue. */
export function outcomeUnknownError(context: RequestContext & { status?: number; detail: string; repeated?: boolean }): ApiError {
  const why = context.repeated
    ? `an earlier attempt may have acted on the Intuned API, and no later answer can tell (${context.detail})`
    : `the request may have reached the Intuned API (${context.detail}) and was not repeated, because a repeat could start a second operation`;
  return new ApiError(`outcome unknown: ${why}; the next run plans it again`, {
    method: context.method,
    path: context.path,
    status: context.status,
    code: OUTCOME_UNKNOWN_CODE,
    retryable: false,
  });
}

/** For errors of `deleteAuthSession`: the API refused because a Run or JobRun uses the session. */
export function isInUseError(error: unknown): boolean {
  if (!(error instanceof ApiError) || isReadOnlyError(error)) return false;
  if (error.status === 409) return true;
  return error.status === 400 && IN_USE_PATTERN.test(`${error.message} ${error.code ?? ''}`);
}

/** For errors of updates and deletes: Intuned holds the resource as code-defined. */
export function isReadOnlyError(error: unknown): boolean {
  return error instanceof ApiError && saysReadOnly(error.status, `${error.message} ${error.code ?? ''}`);
}

/** For errors of create-start: the session ID is taken. */
export function isAlreadyExistsError(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 409) return true;
  return error.status === 400 && ALREADY_EXISTS_PATTERN.test(`${error.message} ${error.code ?? ''}`);
}

export function isOutcomeUnknownError(error: unknown): boolean {
  return error instanceof ApiError && error.code === OUTCOME_UNKNOWN_CODE;
}

/** `ApiError.code` of a call the run's deadline cut short; a POST with it never acted. */
export const TIMED_OUT_CODE = 'timed-out';

/**
 * The deadline came before an answer. The transport reports an attempt that may have acted on
 * the server (a POST cut mid-flight) as outcome unknown instead, so a POST failing with this
 * code was not carried out: it was not sent, or only turned away (429, 503, refused).
 */
export function deadlineError(context: RequestContext, last: string | undefined): ApiError {
  return new ApiError(`timed out: the run's timeout was reached before an answer${last ? ` (last attempt: ${last})` : ''}`, {
    ...context,
    code: TIMED_OUT_CODE,
    retryable: true,
  });
}

export function isTimedOutError(error: unknown): boolean {
  return error instanceof ApiError && error.code === TIMED_OUT_CODE;
}
