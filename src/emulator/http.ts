/**
 * Replies as values: handlers return them, the server writes them. Error bodies follow the two
 * shapes the real API uses: job endpoints `{code, category, message, retirable, correlationId}`,
 * auth-session endpoints the untyped `{message, details?}`. Every error carries an
 * `x-correlation-id` header, as a support request would need.
 */
import { randomUUID } from 'node:crypto';

export interface Reply {
  status: number;
  /** JSON-serialised unless `text` is set; absent for an empty body (204). */
  body?: unknown;
  /** A non-JSON body (a gateway's HTML error page). */
  text?: { contentType: string; content: string };
  headers?: Record<string, string>;
}

export const CORRELATION_HEADER = 'x-correlation-id';

export type ErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'not-found'
  | 'conflict'
  | 'payload-too-large'
  | 'rate-limited'
  | 'internal-server-error'
  | 'service-unavailable';

const CATEGORY: Record<ErrorCode, string> = {
  'bad-request': 'user',
  unauthorized: 'auth',
  'not-found': 'user',
  conflict: 'user',
  'payload-too-large': 'user',
  'rate-limited': 'infrastructure',
  'internal-server-error': 'infrastructure',
  'service-unavailable': 'infrastructure',
};

const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['rate-limited', 'internal-server-error', 'service-unavailable']);

export function json(status: number, body: unknown): Reply {
  return { status, body };
}

export function noContent(): Reply {
  return { status: 204 };
}

export interface ErrorExtras {
  headers?: Record<string, string>;
  /** The body's optional `details` (e.g. which fields of a body were refused). */
  details?: unknown;
  /** In place of the code's usual category: job endpoints say `user` for every typed error. */
  category?: string;
}

/** The typed error body of job endpoints (and of 401, unknown routes and faults everywhere). */
export function apiError(status: number, code: ErrorCode, message: string, extras: ErrorExtras = {}): Reply {
  const correlationId = randomUUID();
  const body = { code, category: extras.category ?? CATEGORY[code], message, retirable: RETRYABLE.has(code), correlationId };
  return {
    status,
    body: extras.details === undefined ? body : { ...body, details: extras.details },
    headers: { ...extras.headers, [CORRELATION_HEADER]: correlationId },
  };
}

/** The untyped error body of auth-session endpoints. */
export function sessionError(status: number, message: string, details?: unknown): Reply {
  const body = details === undefined ? { message } : { message, details };
  return { status, body, headers: { [CORRELATION_HEADER]: randomUUID() } };
}

/** A load balancer's page, not JSON: clients must not assume every error body parses. */
export function gatewayError(): Reply {
  return {
    status: 502,
    text: {
      contentType: 'text/html; charset=utf-8',
      content: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n',
    },
    headers: { [CORRELATION_HEADER]: randomUUID() },
  };
}
