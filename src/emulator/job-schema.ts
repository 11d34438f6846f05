/**
 * The create and update bodies of a job, as the emulator checks them: written from the wire
 * notes (intuned-jobs-api.md), never taken from the loader's job schema, so a mistake there
 * shows up as a refusal here. Parsing fills the defaults the SDK would have sent, so what the
 * emulator stores and answers is what Intuned would hold.
 *
 * Unknown keys are dropped, as the SDK drops them before sending. Issue messages name paths
 * and expected types, never values: a body holds sink headers, S3 keys and proxy credentials.
 */
import { z } from 'zod';
import { JOB_DEFAULTS, JOB_ID_PATTERN } from './api-facts.js';
import type { Checked } from './validation.js';

const whole = z.number().int();
const attempts = z.object({ maximumAttempts: whole.default(JOB_DEFAULTS.maximumAttempts) });
const requestTimeout = whole.default(JOB_DEFAULTS.requestTimeoutSeconds);

/**
 * Any object, kept as sent. Not `z.record`: it drops a `__proto__` key, and an API parameter
 * may have any name, so the job would come back without it.
 */
const parameters = z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object');

const payloadItem = z.object({
  apiName: z.string().min(1),
  parameters,
  requestTimeout,
  retry: attempts.optional(),
});

const configuration = z.object({
  retry: attempts.optional(),
  maxConcurrentRequests: z.number().optional(),
  requestTimeout,
});

/** A duration: a number (ms, as Temporal reads it) or an ms-style string such as `"1h"`. */
const duration = z.union([whole, z.string().min(1)]);

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

/**
 * One calendar field: a value, `{start, end?}`, `{start, step, end}`, an array of those (empty
 * allowed), or `"*"` (never inside an array). The stepped range is tried first, so a `step`
 * without an `end` falls through to `{start, end?}` and is dropped, as the SDK does.
 */
function calendarField<T extends z.ZodType>(value: T) {
  const range = z.union([z.object({ start: value, step: whole.min(1), end: value }), z.object({ start: value, end: value.optional() })]);
  const single = z.union([value, range]);
  return z.union([single, z.array(single), z.literal('*')]).optional();
}

const calendar = z.object({
  second: calendarField(whole.min(0).max(59)),
  minute: calendarField(whole.min(0).max(59)),
  hour: calendarField(whole.min(0).max(23)),
  dayOfMonth: calendarField(whole.min(1).max(31)),
  month: calendarField(z.enum(MONTHS)),
  year: calendarField(whole),
  dayOfWeek: calendarField(z.enum(DAYS)),
  comment: z.string().optional(),
});

const schedule = z.object({
  jitter: duration.optional(),
  intervals: z.array(z.object({ every: duration })).optional(),
  calendars: z.array(calendar).optional(),
});

const sinkCommon = {
  skipOnFail: z.boolean().default(JOB_DEFAULTS.skipOnFail),
  apisToSend: z.array(z.string()).optional(),
};

const sink = z.discriminatedUnion('type', [
  z.object({ type: z.literal('webhook'), url: z.url(), headers: z.record(z.string(), z.string()).optional(), ...sinkCommon }),
  z.object({
    type: z.literal('s3'),
    bucket: z.string().min(1),
    region: z.string().min(1),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    prefix: z.string().optional(),
    endpoint: z.url().optional(),
    forcePathStyle: z.boolean().optional(),
    ...sinkCommon,
  }),
]);

const authSession = z.object({
  id: z.string().min(1),
  checkAttempts: whole.default(JOB_DEFAULTS.sessionAttempts),
  createAttempts: whole.default(JOB_DEFAULTS.sessionAttempts),
});

const updateBody = z.object({
  payload: z.array(payloadItem),
  configuration,
  schedule: schedule.nullish(),
  sink: sink.nullish(),
  proxy: z.url().nullish(),
  auth_session: authSession.nullish(),
});

const createBody = updateBody.extend({ id: z.string().regex(JOB_ID_PATTERN) });

/** A body as a client writes it (defaults may be left out). */
export type JobBodyInput = z.input<typeof updateBody>;
export type JobSchedule = z.output<typeof schedule>;
export type JobSink = z.output<typeof sink>;
export type JobAuthSession = z.output<typeof authSession>;

/** A job's definition as stored: defaults filled, every optional part present (null if unset). */
export interface JobDefinition {
  payload: z.output<typeof payloadItem>[];
  configuration: z.output<typeof configuration>;
  schedule: JobSchedule | null;
  sink: JobSink | null;
  proxy: string | null;
  auth_session: JobAuthSession | null;
}

/** The path of each issue, dotted (`payload.0.apiName`), with zod's value-free message. */
export interface BodyIssue {
  path: string;
  message: string;
}

export function checkJobCreate(body: unknown): Checked<{ id: string; definition: JobDefinition }, BodyIssue> {
  const parsed = createBody.safeParse(body);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  return { ok: true, value: { id: parsed.data.id, definition: definitionOf(parsed.data) } };
}

/** An update body is a create body without `id`: it replaces the whole definition. */
export function checkJobUpdate(body: unknown): Checked<JobDefinition, BodyIssue> {
  const parsed = updateBody.safeParse(body);
  return parsed.success ? { ok: true, value: definitionOf(parsed.data) } : { ok: false, issues: issuesOf(parsed.error) };
}

function definitionOf(body: z.output<typeof updateBody>): JobDefinition {
  return {
    payload: body.payload,
    configuration: body.configuration,
    schedule: body.schedule ?? null,
    sink: body.sink ?? null,
    proxy: body.proxy ?? null,
    auth_session: body.auth_session ?? null,
  };
}

function issuesOf(error: z.ZodError): BodyIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.length > 0 ? issue.path.join('.') : '(body)', message: issue.message }));
}
