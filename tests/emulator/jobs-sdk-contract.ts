/**
 * THE SDK CONTRACT: what the official SDK (`@intuned/client` 0.5.2) requires of each Jobs and
 * JobRuns answer, written from /work/shared/intuned-jobs-api.md, never from the emulator's
 * code. `sdkReads` judges an answer the way the SDK does: the exact success status and
 * `application/json`, then the body against these schemas (required keys, closed enums, the
 * list's shape differing from get-one's); typed errors only for the statuses that have them.
 * A body the SDK could not parse throws, failing the test that received it.
 */
import { z } from 'zod';
import type { Answer, Client } from './helpers.js';

const int = z.number().int();
const text = z.string();

/** Fields the SDK fills with a default on the way in are optional here. */
const retry = z.object({ maximumAttempts: int.optional() });
const configuration = z.object({ retry: retry.optional(), maxConcurrentRequests: z.number().optional(), requestTimeout: int.optional() });
const payloadItem = z.object({ apiName: text, parameters: z.record(text, z.unknown()), requestTimeout: int.optional(), retry: retry.optional() });
const authSession = z.object({ id: text, checkAttempts: int.optional(), createAttempts: int.optional() });
const proxyObject = z.object({ version: z.literal('v1'), url: text });

function calendarField<T extends z.ZodType>(value: T) {
  const range = z.union([z.object({ start: value, step: int, end: value }), z.object({ start: value, end: value.optional() })]);
  return z.union([range, value, z.array(z.union([range, value])), z.literal('*')]).optional();
}
const month = z.enum(['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER']);
const dayOfWeek = z.enum(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY']);
const calendar = z.object({
  second: calendarField(int),
  minute: calendarField(int),
  hour: calendarField(int),
  dayOfMonth: calendarField(int),
  month: calendarField(month),
  year: calendarField(int),
  dayOfWeek: calendarField(dayOfWeek),
  comment: text.optional(),
});
const schedule = z.object({
  jitter: z.union([int, text]).optional(),
  intervals: z.array(z.object({ every: z.union([int, text]) })).optional(),
  calendars: z.array(calendar).optional(),
});

const sink = z.union([
  z.object({ type: z.literal('webhook'), url: text, headers: z.record(text, text).optional(), skipOnFail: z.boolean().optional(), apisToSend: z.array(text).optional() }),
  z.object({
    type: z.literal('s3'),
    bucket: text,
    region: text,
    accessKeyId: text,
    secretAccessKey: text,
    prefix: text.optional(),
    skipOnFail: z.boolean().optional(),
    apisToSend: z.array(text).optional(),
    endpoint: text.optional(),
    forcePathStyle: z.boolean().optional(),
  }),
]);

const state = z.enum(['ACTIVE', 'PAUSED']);
const optionalTime = text.nullable().optional();

export const sdkJobListItem = z.object({
  id: text,
  workspace_id: text,
  project_id: text,
  configuration,
  payload: z.array(payloadItem),
  sink: sink.nullable().optional(),
  schedule: schedule.nullable().optional(),
  auth_session: authSession.nullable().optional(),
  proxy: proxyObject.nullable().optional(),
  reason: z
    .object({ type: z.enum(['paused', 'terminated']), message: text, details: z.any().optional(), timestamp: z.iso.datetime({ offset: true }).optional() })
    .nullable()
    .optional(),
  schedule_id: text.nullable().optional(),
  next_run_time: optionalTime,
  last_run_time: optionalTime,
  created_at: text,
  state,
});

/** Get-one: camelCase `projectId`, a proxy string (null fails), no workspace_id, reason or schedule_id. */
export const sdkJobDetail = z.object({
  id: text,
  projectId: text,
  configuration,
  payload: z.array(payloadItem).optional(),
  sink: sink.nullable().optional(),
  schedule: schedule.nullable().optional(),
  auth_session: authSession.nullable().optional(),
  proxy: text.optional(),
  next_run_time: optionalTime,
  last_run_time: optionalTime,
  created_at: text,
  state,
});

const nullableCount = int.nullable();

export const sdkJobRun = z.object({
  id: text,
  start_time: text,
  workspace_id: text,
  project_id: text,
  job_id: text,
  created_at: text,
  updated_at: text,
  end_time: text.nullable(),
  type: z.enum(['MANUAL', 'SCHEDULED']),
  status: z.enum(['CANCELED', 'PENDING', 'PAUSED', 'PAUSING', 'RESUMING', 'SUCCESS', 'FAILURE', 'TERMINATED', 'COMPLETED']),
  payloads: nullableCount,
  successful_runs: nullableCount,
  failed_runs: nullableCount,
  error: z
    .object({
      message: text,
      code: z.enum(['internal-server-error', 'insufficient-resource-credits']),
      category: z.enum(['billing', 'infrastructure']),
      retirable: z.boolean().optional(),
      correlationId: text.optional(),
      doc_url: text.optional(),
      details: z.any().optional(),
    })
    .nullable()
    .optional(),
  reason: z
    .object({
      type: z.enum([
        'terminated',
        'user-request',
        'auth-session-not-found',
        'auth-session-invalid-mid-job',
        'auth-session-validate-dependency-failed',
        'auth-session-locked',
        'another-job-run-active',
        'insufficient-resource-credits',
        's3-sink-error',
      ]),
      message: text,
      details: z.any().optional(),
      doc_url: text.optional(),
    })
    .nullable()
    .optional(),
  job_configuration_snapshot: z.object({
    configuration,
    sink: sink.nullable().optional(),
    auth_session: authSession.nullable().optional(),
    proxy: proxyObject.nullable().optional(),
  }),
});

const results = z.object({ signed_url: text, format: text, signed_url_expiration: text.optional(), size: z.number().optional(), key: text.optional() });

export type JobOperation = 'list' | 'create' | 'get' | 'update' | 'delete' | 'pause' | 'resume' | 'trigger' | 'runs' | 'run' | 'terminate';

const SUCCESS: Record<JobOperation, { status: number; body: z.ZodType | null }> = {
  list: { status: 200, body: z.array(sdkJobListItem) },
  create: { status: 201, body: z.object({ id: text, message: z.literal('created') }) },
  get: { status: 200, body: sdkJobDetail },
  update: { status: 200, body: z.object({ id: text, message: z.literal('updated job successfully') }) },
  delete: { status: 204, body: null },
  pause: { status: 200, body: z.object({ message: z.literal('Paused') }) },
  resume: { status: 200, body: z.object({ message: z.literal('Resumed') }) },
  trigger: { status: 200, body: z.object({ jobRunId: text, message: text }) },
  runs: { status: 200, body: z.object({ jobRuns: z.array(sdkJobRun), totalCount: int }) },
  run: { status: 200, body: z.object({ jobRun: sdkJobRun, results: results.optional() }) },
  terminate: { status: 200, body: z.object({ message: text }) },
};

const TYPED_CODES: Record<number, string> = { 400: 'bad-request', 401: 'unauthorized', 404: 'not-found' };
const UNTYPED_400: ReadonlySet<JobOperation> = new Set(['delete', 'terminate']);

export const sdkTypedError = (code: string) =>
  z.object({ code: z.literal(code), category: z.literal('user'), message: text, retirable: z.boolean(), details: z.any().optional(), correlationId: text });

export type SdkResult =
  | { kind: 'ok'; value: any }
  | { kind: 'typed-error'; status: number; body: z.output<ReturnType<typeof sdkTypedError>> }
  | { kind: 'generic-error'; status: number; body: unknown };

export function sdkReads(operation: JobOperation, answer: Answer): SdkResult {
  const success = SUCCESS[operation];
  if (answer.status === success.status) {
    if (success.body === null) return { kind: 'ok', value: undefined };
    return { kind: 'ok', value: success.body.parse(jsonBody(answer)) };
  }
  const code = TYPED_CODES[answer.status];
  if (code && !(answer.status === 400 && UNTYPED_400.has(operation))) {
    return { kind: 'typed-error', status: answer.status, body: sdkTypedError(code).parse(jsonBody(answer)) };
  }
  return { kind: 'generic-error', status: answer.status, body: answer.body };
}

function jsonBody(answer: Answer): unknown {
  const mediaType = answer.headers.get('content-type')?.split(';')[0]?.trim();
  if (mediaType !== 'application/json') throw new Error(`the SDK refuses content-type ${String(mediaType)}`);
  return answer.body;
}

/** Every Jobs call, each answer judged by `sdkReads`. */
export function sdkJobs(api: Client) {
  const job = (id: string): string => `/jobs/${encodeURIComponent(id)}`;
  const run = (id: string, runId: string): string => `${job(id)}/runs/${encodeURIComponent(runId)}`;
  return {
    list: async () => sdkReads('list', await api.get('/jobs')),
    create: async (body: unknown) => sdkReads('create', await api.post('/jobs', body)),
    get: async (id: string) => sdkReads('get', await api.get(job(id))),
    update: async (id: string, body: unknown) => sdkReads('update', await api.put(job(id), body)),
    delete: async (id: string) => sdkReads('delete', await api.delete(job(id))),
    pause: async (id: string) => sdkReads('pause', await api.post(`${job(id)}/pause`)),
    resume: async (id: string) => sdkReads('resume', await api.post(`${job(id)}/resume`)),
    trigger: async (id: string) => sdkReads('trigger', await api.post(`${job(id)}/trigger`)),
    runs: async (id: string, query = '') => sdkReads('runs', await api.get(`${job(id)}/runs${query}`)),
    run: async (id: string, runId: string) => sdkReads('run', await api.get(run(id, runId))),
    terminate: async (id: string, runId: string) => sdkReads('terminate', await api.post(`${run(id, runId)}/terminate`)),
  };
}

export type SdkJobs = ReturnType<typeof sdkJobs>;

/** The value of a successful answer; anything else fails with what the SDK saw. */
export function ok(result: SdkResult): any {
  if (result.kind !== 'ok') throw new Error(`expected success, the SDK saw ${JSON.stringify(result)}`);
  return result.value;
}
