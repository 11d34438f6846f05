/**
 * What the Intuned API sends, as zod schemas, and its normalisation into the types of
 * `types.ts`. Schemas are not strict: fields a newer API adds are dropped, not refused.
 * Both API generations of operation results are accepted (see `intuned-api.md`).
 */
import { z } from 'zod';
import type { JobRun, OperationError, OperationResult, RemoteAuthSession, StartedOperation } from './types.js';

/** Issues quoted in an error about a body that does not fit. */
const MAX_QUOTED_ISSUES = 3;
/** The API's bodies are a few levels deep; a deeper one is refused rather than walked. */
const MAX_WIRE_DEPTH = 32;
/** Longest unexpected value (e.g. a result status) quoted back. */
const MAX_QUOTED_VALUE_CHARS = 40;

export const optionalText = z.string().nullish();

export const authSessionSchema = z.object({ id: z.string(), type: z.string(), status: z.string() });
export const authSessionListSchema = z.array(authSessionSchema);

const startedSchema = z.object({ operationId: z.string().min(1), status: optionalText });

export function parseStarted(body: unknown): WireParse<StartedOperation> {
  const parsed = parseWire(startedSchema, body);
  return parsed.ok ? { ok: true, value: { operationId: parsed.value.operationId } } : parsed;
}

const errorObjectSchema = z.object({
  message: optionalText,
  code: optionalText,
  category: optionalText,
  // Spelled `retirable` on the wire; `retryable` accepted in case it is ever fixed.
  retirable: z.boolean().nullish(),
  retryable: z.boolean().nullish(),
  docUrl: optionalText,
  doc_url: optionalText,
  correlationId: optionalText,
});

const reasonSchema = z.object({
  type: z.string(),
  message: optionalText,
  docUrl: optionalText,
  doc_url: optionalText,
});

const resultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('in_progress'), runId: optionalText }),
  z.object({ status: z.literal('done'), authSessionId: optionalText }),
  z.object({
    status: z.literal('failed'),
    message: optionalText,
    // Current API: an object; older API: the error code as a string.
    error: z.union([z.string(), errorObjectSchema]).nullish(),
  }),
  z.object({
    status: z.literal(['canceled', 'cancelled']),
    message: optionalText,
    reason: reasonSchema.nullish(),
  }),
  z.object({
    status: z.literal('requested_more_info'),
    id: z.string().min(1),
    details: z.object({
      requestType: z.string(),
      messageToUser: optionalText,
      choices: z.array(z.unknown()).nullish(),
    }),
  }),
]);

const RESULT_STATUSES: ReadonlySet<string> = new Set(
  ['pending', 'in_progress', 'done', 'failed', 'canceled', 'cancelled', 'requested_more_info'],
);

export const sessionRefSchema = z.object({ id: z.string() });

const jobRunSchema = z.object({
  id: z.string(),
  status: z.string(),
  start_time: optionalText,
  end_time: optionalText,
  job_configuration_snapshot: z
    .object({ auth_session: sessionRefSchema.nullish(), authSession: sessionRefSchema.nullish() })
    .nullish(),
});

export const jobRunPageSchema = z.object({
  jobRuns: z.array(jobRunSchema),
  totalCount: z.number().int().nonnegative().nullish(),
});

export type WireParse<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Names of things that the plan matches on (session, job and run IDs): masking one would make
 * a session look absent and be created again. They are names that people chose, not text the
 * API writes, and the renderers mask them as output like any other text.
 */
const NAME_KEYS: ReadonlySet<string> = new Set(['id', 'authSessionId']);

/**
 * The masking step of every response body, before any schema reads it: every string value
 * (messages, codes, reason types, correlation IDs, operation IDs, statuses, at any depth) is
 * masked, except names (above) and the API's own status words (a secret that happens to be
 * `done` must not stop a poll). A masked operation ID holds `*` or `[`, outside the alphabet of
 * usable IDs (`operation-id.ts`), so it is never stored or polled: its outcome is unknown.
 */
export function maskWire(body: unknown, mask: (text: string) => string): WireParse<unknown> {
  let refused: string | undefined;
  const visit = (value: unknown, key: string | undefined, depth: number): unknown => {
    if (depth > MAX_WIRE_DEPTH) {
      refused ??= `(body): nested more than ${MAX_WIRE_DEPTH} levels deep`;
      return null;
    }
    if (typeof value === 'string') {
      if ((key !== undefined && NAME_KEYS.has(key)) || (key === 'status' && RESULT_STATUSES.has(value))) return value;
      return mask(value);
    }
    if (Array.isArray(value)) return value.map((item) => visit(item, undefined, depth + 1));
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) {
        // defineProperty: a "__proto__" key stays data.
        Object.defineProperty(copy, name, { value: visit(item, name, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return copy;
    }
    return value;
  };
  const value = visit(body, undefined, 0);
  return refused === undefined ? { ok: true, value } : { ok: false, problem: refused };
}

/** Parse a body; on failure, say where it did not fit without quoting the body. */
export function parseWire<T>(schema: z.ZodType<T>, body: unknown): WireParse<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: describeIssues(parsed.error.issues) };
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const quoted = issues
    .slice(0, MAX_QUOTED_ISSUES)
    .map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
  const more = issues.length - quoted.length;
  return quoted.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index ? '.' : ''}${String(key)}`))
    .join('');
}

/** Drops undefined fields so results print and compare cleanly; null is kept (it means something). */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toRemoteAuthSession(wire: z.infer<typeof authSessionSchema>): RemoteAuthSession {
  return { id: wire.id, type: wire.type, status: wire.status };
}

export function parseOperationResult(body: unknown): WireParse<OperationResult> {
  const status = (body as { status?: unknown } | null)?.status;
  if (typeof status === 'string' && !RESULT_STATUSES.has(status)) {
    return { ok: false, problem: `status: unknown result status '${status.slice(0, MAX_QUOTED_VALUE_CHARS)}'` };
  }
  const parsed = parseWire(resultSchema, body);
  return parsed.ok ? { ok: true, value: normaliseResult(parsed.value) } : parsed;
}

function normaliseResult(wire: z.infer<typeof resultSchema>): OperationResult {
  switch (wire.status) {
    case 'pending':
      return { status: 'pending' };
    case 'in_progress':
      return compact({ status: 'in_progress', runId: wire.runId ?? undefined });
    case 'done':
      return compact({ status: 'done', authSessionId: wire.authSessionId ?? undefined });
    case 'failed': {
      const error = normaliseError(wire.error, wire.message);
      return { status: 'failed', message: wire.message ?? error.message, error };
    }
    case 'canceled':
    case 'cancelled': {
      const message = wire.message ?? wire.reason?.message ?? 'operation canceled';
      const reason = compact({
        type: wire.reason?.type ?? 'unknown',
        message: wire.reason?.message ?? message,
        docUrl: wire.reason?.docUrl ?? wire.reason?.doc_url ?? undefined,
      });
      return { status: 'canceled', message, reason };
    }
    case 'requested_more_info': {
      const choices = wire.details.choices
        ?.filter((c) => typeof c === 'string' || typeof c === 'number')
        .map(String);
      return compact({
        status: 'requested_more_info',
        infoRequestId: wire.id,
        requestType: wire.details.requestType,
        messageToUser: wire.details.messageToUser ?? '',
        choices,
      });
    }
  }
}

function normaliseError(
  error: string | z.infer<typeof errorObjectSchema> | null | undefined,
  message: string | null | undefined,
): OperationError {
  if (typeof error === 'string') return { message: message ?? error, code: error };
  const detail = error ?? {};
  return compact({
    message: detail.message ?? message ?? detail.code ?? 'operation failed',
    code: detail.code ?? undefined,
    category: detail.category ?? undefined,
    retryable: detail.retryable ?? detail.retirable ?? undefined,
    correlationId: detail.correlationId ?? undefined,
    docUrl: detail.docUrl ?? detail.doc_url ?? undefined,
  });
}

export function toJobRun(wire: z.infer<typeof jobRunSchema>): JobRun {
  const snapshot = wire.job_configuration_snapshot;
  const session = snapshot ? (snapshot.auth_session ?? snapshot.authSession ?? null) : undefined;
  return compact({
    id: wire.id,
    status: wire.status,
    start_time: wire.start_time,
    end_time: wire.end_time,
    job_configuration_snapshot: session === undefined ? undefined : { auth_session: session && { id: session.id } },
  });
}
