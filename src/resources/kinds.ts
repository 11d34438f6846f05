/**
 * The resource kinds intuned-gitops reads, as descriptors (see `kind.ts`). Order matters:
 * sessions come first, because jobs reference them (an apply creates sessions before the jobs
 * that use them and deletes them after).
 */
import type { AuthSessionSpec, JobSpec } from './types.js';
import type { ResourceKind } from './kind.js';
import {
  AUTH_SESSION_ID_MIN_LENGTH,
  AUTH_SESSION_ID_PATTERN,
  authSessionFileSchema,
  authSessionJsonSchemaText,
} from './schema.js';
import {
  JOB_ID_MIN_LENGTH,
  JOB_ID_PATTERN,
  JOB_ID_RECOMMENDED_MIN_LENGTH,
  jobFileSchema,
  jobJsonSchemaText,
  type JobFile,
} from './job-schema.js';

export const RESOURCES_FOLDER = 'intuned-resources';

const WHOLE_NUMBER = 'a whole number of at least 1';
const SCHEMA_KEY = 'a string (the path or URL of the JSON Schema)';
const PROXY = 'a URL string or null';

/** Only the keys the file sets, `$schema` left out. */
function withoutSchemaKey<T>(file: Record<string, unknown>): T {
  const { $schema: _ignored, ...rest } = file;
  return rest as T;
}

/** In a fixed key order, whatever the file's, so fingerprints do not depend on it. */
function sessionSpec(file: Record<string, unknown>): AuthSessionSpec {
  const body = file as unknown as AuthSessionSpec;
  const spec: AuthSessionSpec = { parameters: body.parameters };
  if (body.proxy !== undefined) spec.proxy = body.proxy;
  if (body.createAttempts !== undefined) spec.createAttempts = body.createAttempts;
  if (body.checkAttempts !== undefined) spec.checkAttempts = body.checkAttempts;
  if (body.saveTrace !== undefined) spec.saveTrace = body.saveTrace;
  return spec;
}

export const AUTH_SESSION_KIND: ResourceKind<AuthSessionSpec> = {
  name: 'auth-session',
  noun: 'auth session',
  title: 'AuthSession',
  folder: `${RESOURCES_FOLDER}/auth-sessions`,
  suffixes: ['.auth-session.jsonc', '.auth-session.json'],
  misspelledSuffix: /^(.+?)[-._ ]?auth[-_. ]?sessions?$/i,
  ids: {
    pattern: AUTH_SESSION_ID_PATTERN,
    minLength: AUTH_SESSION_ID_MIN_LENGTH,
    allowed: 'letters, digits and - ( ) , _',
  },
  schema: authSessionFileSchema,
  words: {
    example: '{ "parameters": { ... } }',
    expected: {
      $schema: SCHEMA_KEY,
      parameters: 'an object of parameter names and values',
      proxy: PROXY,
      createAttempts: WHOLE_NUMBER,
      checkAttempts: WHOLE_NUMBER,
      saveTrace: 'true or false',
    },
    missingHints: { parameters: ' with the values your auth-sessions/create code expects' },
    unknownTopLevelHint: ' (values for your create code go inside "parameters")',
  },
  toSpec: sessionSpec,
  // Intuned never returns parameters: every value in them is compared by fingerprint only.
  secretFields: [['parameters', '**'], ['proxy']],
  jsonSchemaText: authSessionJsonSchemaText,
  references: [],
};

const CALENDAR_FORMS = 'a range { "start", "end"?, "step"? } of them, an array of those, or "*"';
const numberField = (range: string) => `a whole number from ${range}, ${CALENDAR_FORMS}`;
const nameField = (noun: string, names: string) => `a ${noun} name in capitals (${names}; never a number), ${CALENDAR_FORMS}`;
const RANGE = 'a range { "start", "end"?, "step"? }';
const numberItem = (range: string) => `a whole number from ${range} or ${RANGE} of them (not "*" inside an array)`;
const nameItem = (noun: string, names: string) => `a ${noun} name in capitals (${names}; never a number) or ${RANGE} of them`;
const MONTH_NAMES = '"JANUARY" to "DECEMBER"';
const DAY_NAMES = '"SUNDAY" to "SATURDAY"';
const DURATION = 'a duration: a string like "1h" or "30m", or a whole number of at least 1';

function jobIdWarnings(id: string): string[] {
  if (id.length >= JOB_ID_RECOMMENDED_MIN_LENGTH) return [];
  return [
    `ID ${JSON.stringify(id)} (from the file name) is shorter than ${JOB_ID_RECOMMENDED_MIN_LENGTH} ` +
      "characters, the minimum in Intuned's API reference (Intuned's own examples use shorter " +
      'ones); if Intuned refuses the create, rename the file',
  ];
}

export const JOB_KIND: ResourceKind<JobSpec> = {
  name: 'job',
  noun: 'job',
  title: 'Job',
  folder: `${RESOURCES_FOLDER}/jobs`,
  suffixes: ['.job.jsonc', '.job.json'],
  misspelledSuffix: /^(.+?)[-._ ]?jobs?$/i,
  ids: {
    pattern: JOB_ID_PATTERN,
    minLength: JOB_ID_MIN_LENGTH,
    allowed: 'letters, digits, - and _',
    warnings: jobIdWarnings,
  },
  schema: jobFileSchema,
  words: {
    example: '{ "payload": [{ "apiName": "...", "parameters": { ... } }], "configuration": {} }',
    expected: {
      $schema: SCHEMA_KEY,
      payload: 'an array of API runs like [{ "apiName": "...", "parameters": { ... } }]',
      'payload[]': 'an object like { "apiName": "...", "parameters": { ... } }',
      apiName: 'the path of an API under api/, without extension (e.g. "products/list")',
      parameters: 'an object of parameter names and values',
      requestTimeout: 'a whole number of seconds, at least 1',
      retry: 'an object like { "maximumAttempts": 3 }',
      maximumAttempts: WHOLE_NUMBER,
      configuration: 'an object (write {} for the defaults)',
      maxConcurrentRequests: 'a number above 0',
      auth_session: 'an object like { "id": "my-session" }, or null',
      id: 'an AuthSession ID: at least 3 of letters, digits and - ( ) , _',
      checkAttempts: WHOLE_NUMBER,
      createAttempts: WHOLE_NUMBER,
      schedule: 'an object with "intervals", "calendars" or "jitter", or null',
      intervals: 'an array like [{ "every": "1h" }]',
      'intervals[]': 'an object like { "every": "1h" }',
      every: DURATION,
      jitter: DURATION,
      calendars: 'an array like [{ "hour": 9, "dayOfWeek": "MONDAY" }]',
      'calendars[]': 'an object like { "hour": 9, "dayOfWeek": "MONDAY" }',
      second: numberField('0 to 59'),
      minute: numberField('0 to 59'),
      hour: numberField('0 to 23'),
      dayOfMonth: numberField('1 to 31'),
      year: numberField('1970 on'),
      month: nameField('month', MONTH_NAMES),
      dayOfWeek: nameField('day', DAY_NAMES),
      'second[]': numberItem('0 to 59'),
      'minute[]': numberItem('0 to 59'),
      'hour[]': numberItem('0 to 23'),
      'dayOfMonth[]': numberItem('1 to 31'),
      'year[]': numberItem('1970 on'),
      'month[]': nameItem('month', MONTH_NAMES),
      'dayOfWeek[]': nameItem('day', DAY_NAMES),
      'month.start': `a month name in capitals (${MONTH_NAMES})`,
      'month.end': `a month name in capitals (${MONTH_NAMES})`,
      'dayOfWeek.start': `a day name in capitals (${DAY_NAMES})`,
      'dayOfWeek.end': `a day name in capitals (${DAY_NAMES})`,
      start: 'a value of the calendar field it is in',
      end: 'a value of the calendar field it is in',
      step: WHOLE_NUMBER,
      comment: 'a string',
      sink: 'an object with "type": "webhook" or "s3", or null',
      type: '"webhook" or "s3"',
      url: 'an http:// or https:// URL string',
      headers: 'an object of header names and string values',
      skipOnFail: 'true or false',
      forcePathStyle: 'true or false',
      apisToSend: 'an array of API names',
      bucket: 'a non-empty string',
      region: 'a non-empty string',
      accessKeyId: 'a non-empty string',
      secretAccessKey: 'a non-empty string',
      prefix: 'a string',
      endpoint: 'a URL string',
      proxy: PROXY,
    },
    missingHints: {
      payload: ': the APIs each run calls, like [{ "apiName": "...", "parameters": { ... } }]',
      configuration: ' ({} takes the defaults)',
      apiName: ': the path of the API under api/, without extension (e.g. "products/list")',
      parameters: ' with the values the API expects ({} for none)',
      type: ': "webhook" or "s3"',
    },
    unknownTopLevelHint: ' (values for your APIs go inside "parameters" of a "payload" item)',
  },
  toSpec: (file) => withoutSchemaKey<JobSpec>(file),
  secretFields: [['sink', 'headers', '*'], ['sink', 'accessKeyId'], ['sink', 'secretAccessKey'], ['proxy']],
  jsonSchemaText: jobJsonSchemaText,
  references: [{ path: ['auth_session', 'id'], kind: 'auth-session' }],
};

/** Every kind, in apply order (creates and updates; deletes go in reverse). */
export const KINDS: readonly ResourceKind[] = [AUTH_SESSION_KIND, JOB_KIND] as readonly ResourceKind[];

export function kindNamed(name: string): ResourceKind | undefined {
  return KINDS.find((kind) => kind.name === name);
}

/** Does not compile when the hand-written `JobSpec` and the job schema drift apart. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const JOB_SPEC_MATCHES_SCHEMA: Same<Omit<JobFile, '$schema'>, JobSpec> = true;
