/**
 * The one definition of a Job resource file: Intuned's create-job body without `id`, as
 * Intuned's own job files hold it (facts: /work/shared/intuned-jobs-api.md). The loader
 * validates with it and `schemas/job.schema.json` is generated from it.
 *
 * Strict where the SDK is strict (closed enums, required keys, whole numbers), and where a
 * file would be accepted but not do what it says (`step` without `end` is dropped by Intuned).
 * Lenient where the API is unconfirmed: duration strings are not parsed (units unconfirmed).
 */
import { z } from 'zod';
import { AUTH_SESSION_ID_PATTERN, fileJsonSchema } from './schema.js';

/**
 * Job IDs. The SDK says "valid URL slug" and checks nothing; the public API reference says
 * `^[a-zA-Z0-9_-]+$` with at least 7 characters. Unconfirmed: Intuned's cookbook has
 * code-defined jobs named `list` and `map`. So the characters are an error, and a short ID
 * is only a warning (see `JOB_ID_RECOMMENDED_MIN_LENGTH`).
 */
export const JOB_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const JOB_ID_MIN_LENGTH = 1;
/** The API reference's minimum (unconfirmed): below it, `validate` warns. */
export const JOB_ID_RECOMMENDED_MIN_LENGTH = 7;

export function isValidJobId(id: string): boolean {
  return id.length >= JOB_ID_MIN_LENGTH && JOB_ID_PATTERN.test(id);
}

export const JOB_SCHEMA_ID = 'https://unpkg.com/intuned-gitops/schemas/job.schema.json';

const ENV_NOTE =
  'Write secrets as ${env:NAME} (the whole value or part of it): intuned-gitops replaces it ' +
  'with the environment variable NAME.';

/** Intuned's default for attempts and timeouts (the SDK fills them in before sending). */
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_TIMEOUT_SECONDS = 600;

const positiveInt = (description: string, fallback?: number) =>
  z
    .int()
    .min(1)
    .optional()
    .meta(fallback === undefined ? { description } : { description, default: fallback });

const retry = z
  .strictObject({
    maximumAttempts: positiveInt('How many times a failed run of an API is tried in all.', DEFAULT_ATTEMPTS),
  })
  .optional()
  .meta({ description: 'Retries of a failed API run.' });

const requestTimeout = positiveInt('Seconds one API run may take.', DEFAULT_TIMEOUT_SECONDS);

/** An API path under `api/`, without extension: `products/list`. */
const API_NAME = /^(?!\/)(?!api\/)(?!.*\.(ts|js|mjs|py)$).+$/;

const payloadItem = z.strictObject({
  apiName: z.string().regex(API_NAME).meta({
    description: 'The API to run: its path under api/, without extension (e.g. "products/list").',
  }),
  parameters: z.record(z.string(), z.unknown()).meta({
    description: `The parameters passed to the API; values may be any JSON. ${ENV_NOTE}`,
  }),
  requestTimeout,
  retry,
});

const configuration = z
  .strictObject({
    retry,
    maxConcurrentRequests: z.number().positive().optional().meta({
      description: 'How many payload items Intuned sends at a time (a batch size, not a guarantee of simultaneity).',
    }),
    requestTimeout,
  })
  .meta({ description: 'How the job runs its payload; {} takes the defaults.' });

const authSession = z
  .strictObject({
    id: z.string().min(1).regex(AUTH_SESSION_ID_PATTERN).meta({
      description:
        'The AuthSession the job runs with: one declared by a file in intuned-resources/auth-sessions, ' +
        'or one that exists in Intuned (made in the dashboard, say).',
    }),
    checkAttempts: positiveInt('How many times Intuned checks the session before recreating it.', DEFAULT_ATTEMPTS),
    createAttempts: positiveInt('How many times Intuned tries to (re)create the session.', DEFAULT_ATTEMPTS),
  })
  .nullable()
  .optional()
  .meta({ description: 'The AuthSession the job uses (snake_case, as on the wire), or null for none.' });

/** A duration: a whole number (milliseconds, as Temporal reads it: unconfirmed) or a string like "1h". */
const duration = (description: string) =>
  z.union([z.int().min(1), z.string().min(1)]).meta({
    description: `${description} A string like "1h" or "30m" (preferred), or a whole number (milliseconds, unconfirmed).`,
  });

/** The forms every calendar field takes: a value, a range, an array of those, or "*". */
function calendarField<T extends z.ZodType>(value: T, what: string) {
  const range = z
    .strictObject({ start: value, end: value.optional(), step: z.int().min(1).optional() })
    .superRefine((range, context) => {
      if (range.step !== undefined && range.end === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['step'],
          params: { problem: 'is ignored by Intuned without "end": add "end" (inclusive) or remove "step"' },
        });
      }
    });
  return z
    .union([value, range, z.array(z.union([value, range])), z.literal('*')])
    .optional()
    .meta({ description: `${what}: a value, { "start", "end"?, "step"? } (end inclusive; step needs end), an array of those, or "*".` });
}

const bounded = (min: number, max: number) => z.int().min(min).max(max);
const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type MonthName = (typeof MONTHS)[number];
export type DayName = (typeof DAYS)[number];

const calendar = z.strictObject({
  second: calendarField(bounded(0, 59), 'Seconds, 0 to 59'),
  minute: calendarField(bounded(0, 59), 'Minutes, 0 to 59'),
  hour: calendarField(bounded(0, 23), 'Hours, 0 to 23'),
  dayOfMonth: calendarField(bounded(1, 31), 'Days of the month, 1 to 31'),
  month: calendarField(z.enum(MONTHS), 'Months by name, JANUARY to DECEMBER (never numbers)'),
  year: calendarField(z.int().min(1970), 'Years, e.g. 2026'),
  dayOfWeek: calendarField(z.enum(DAYS), 'Days of the week by name, SUNDAY to SATURDAY (never numbers)'),
  comment: z.string().optional().meta({ description: 'A note on this calendar.' }),
});

const schedule = z
  .strictObject({
    intervals: z
      .array(z.strictObject({ every: duration('How often, counted from the Unix epoch.') }))
      .optional()
      .meta({ description: 'Runs every so often.' }),
    calendars: z.array(calendar).optional().meta({ description: 'Runs at calendar times, like cron.' }),
    jitter: duration('A random delay of up to this much added to each scheduled time.').optional(),
  })
  .nullable()
  .optional()
  .meta({ description: 'When the job runs by itself (Temporal schedule spec), or null for on demand only.' });

const apisToSend = z
  .array(z.string())
  .optional()
  .meta({ description: 'Send only the results of these APIs; omit for all.' });
const skipOnFail = z.boolean().optional().meta({ description: 'Skip failed runs.', default: false });

const webhookSink = z.strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }).meta({ description: 'Where results are POSTed.' }),
  headers: z.record(z.string(), z.string()).optional().meta({
    description: `Headers sent with each delivery, e.g. Authorization. Secret-bearing: ${ENV_NOTE}`,
  }),
  skipOnFail,
  apisToSend,
});

const secretString = (description: string) =>
  z.string().min(1).meta({ description: `${description} Secret: ${ENV_NOTE}` });

const s3Sink = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().min(1),
  region: z.string().min(1),
  accessKeyId: secretString('The access key ID.'),
  secretAccessKey: secretString('The secret access key.'),
  prefix: z.string().optional(),
  skipOnFail,
  apisToSend,
  endpoint: z.url().optional().meta({ description: 'An S3-compatible endpoint.' }),
  forcePathStyle: z.boolean().optional(),
});

const sink = z
  .discriminatedUnion('type', [webhookSink, s3Sink])
  .nullable()
  .optional()
  .meta({ description: 'Where results go: { "type": "webhook", ... } or { "type": "s3", ... }, or null for none.' });

export const jobFileSchema = z
  .strictObject({
    $schema: z.string().optional().meta({
      description: `The JSON Schema of this file, for editors (a relative path or ${JOB_SCHEMA_ID}). Not sent to Intuned.`,
    }),
    payload: z.array(payloadItem).meta({ description: 'The API runs each job run makes.' }),
    configuration,
    auth_session: authSession,
    schedule,
    sink,
    proxy: z
      .url({ protocol: /^(https?|socks5)$/, hostname: /^.+$/ })
      .nullable()
      .optional()
      .meta({ description: `The proxy the browser uses, or null for none. Secret-bearing: ${ENV_NOTE}` }),
  })
  .meta({
    title: 'Intuned Job',
    description:
      'An Intuned Job declared as code for intuned-gitops: the create-job body without "id". The ' +
      'file name gives the ID: intuned-resources/jobs/**/<id>.job.jsonc (or .json). Comments and ' +
      'trailing commas are allowed; unknown keys are errors.',
  });

export type JobFile = z.infer<typeof jobFileSchema>;

export const JOB_FILE_KEYS: readonly string[] = Object.keys(jobFileSchema.shape);

export function jobJsonSchema(): Record<string, unknown> {
  return fileJsonSchema(jobFileSchema, JOB_SCHEMA_ID);
}

export function jobJsonSchemaText(): string {
  return `${JSON.stringify(jobJsonSchema(), null, 2)}\n`;
}
