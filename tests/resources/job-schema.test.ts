/**
 * `schemas/job.schema.json` is generated from the zod definition of a job file; this test
 * fails when the committed file is stale. Regenerate with:
 *   UPDATE_SCHEMA=1 npx vitest run tests/resources/job-schema.test.ts
 * It also pins which schedule and sink forms the file takes, as the SDK does.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaCommand } from '../../src/cli/commands/schema.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { isValidJobId, JOB_FILE_KEYS, jobFileSchema, jobJsonSchema, jobJsonSchemaText } from '../../src/resources/job-schema.js';

const SCHEMA_FILE = join(import.meta.dirname, '../../schemas/job.schema.json');

const BASE = { payload: [{ apiName: 'products/list', parameters: {} }], configuration: {} };
const withCalendar = (calendar: unknown) => ({ ...BASE, schedule: { calendars: [calendar] } });
const valid = (file: unknown) => jobFileSchema.safeParse(file).success;

describe('schemas/job.schema.json', () => {
  it('is what the zod definition generates', async () => {
    const generated = jobJsonSchemaText();
    if (process.env.UPDATE_SCHEMA === '1') await writeFile(SCHEMA_FILE, generated);
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '(missing)');
    expect(committed, 'stale schema: run UPDATE_SCHEMA=1 npx vitest run tests/resources/job-schema.test.ts').toBe(generated);
  });

  it('is what `intuned-gitops schema job` prints, and `schema` alone still prints the session one', () => {
    const job = bufferOutput();
    expect(schemaCommand({ output: job, kind: 'job' })).toBe(0);
    expect(job.stdout).toBe(jobJsonSchemaText());
    const plain = bufferOutput();
    schemaCommand({ output: plain });
    expect(JSON.parse(plain.stdout).title).toBe('Intuned AuthSession');
  });

  it('is draft-07, requires payload and configuration, describes every key and rejects unknown ones', () => {
    const schema = jobJsonSchema() as {
      $schema: string;
      $id: string;
      title: string;
      properties: Record<string, { description?: string }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toMatch(/\/job\.schema\.json$/);
    expect(schema.title).toBe('Intuned Job');
    expect(Object.keys(schema.properties)).toEqual([...JOB_FILE_KEYS]);
    expect(JOB_FILE_KEYS).toEqual(['$schema', 'payload', 'configuration', 'auth_session', 'schedule', 'sink', 'proxy']);
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
    expect(schema.required).toEqual(['payload', 'configuration']);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('job file forms', () => {
  it.each([
    ['a whole number', { hour: 9 }],
    ['a range', { hour: { start: 9, end: 17 } }],
    ['a range with a step', { minute: { start: 0, step: 15, end: 45 } }],
    ['an open range', { dayOfMonth: { start: 25 } }],
    ['an array of values and ranges', { hour: [9, { start: 12, end: 14 }] }],
    ['an empty array', { second: [] }],
    ['a star', { year: '*' }],
    ['month and day names', { month: 'DECEMBER', dayOfWeek: ['MONDAY', { start: 'WEDNESDAY', end: 'FRIDAY' }] }],
    ['a comment', { comment: 'quarter close', month: { start: 'MARCH', step: 3, end: 'DECEMBER' } }],
  ])('takes a calendar with %s', (_name, calendar) => {
    expect(valid(withCalendar(calendar))).toBe(true);
  });

  it.each([
    ['a fraction', { hour: 9.5 }],
    ['a numeric string', { hour: '9' }],
    ['"*" inside an array', { hour: ['*'] }],
    ['a month number', { month: 12 }],
    ['a lower-case day', { dayOfWeek: 'monday' }],
    ['an hour out of range', { hour: 24 }],
    ['a step without end', { hour: { start: 0, step: 2 } }],
    ['an unknown field', { weekday: 'MONDAY' }],
  ])('refuses a calendar with %s', (_name, calendar) => {
    expect(valid(withCalendar(calendar))).toBe(false);
  });

  it('takes intervals and jitter as whole numbers or strings, and null schedule, sink, proxy and session', () => {
    expect(valid({ ...BASE, schedule: { intervals: [{ every: '1h' }, { every: 60_000 }], jitter: '5m' } })).toBe(true);
    expect(valid({ ...BASE, schedule: { jitter: 1000 } })).toBe(true);
    expect(valid({ ...BASE, schedule: null, sink: null, proxy: null, auth_session: null })).toBe(true);
    expect(valid({ ...BASE, schedule: { intervals: [{ every: 1.5 }] } })).toBe(false);
    expect(valid({ ...BASE, schedule: { intervals: [{}] } })).toBe(false);
  });

  it('takes a webhook and an s3 sink, and refuses an s3 sink without its keys', () => {
    const webhook = { type: 'webhook', url: 'https://hooks.example.com/x', headers: { Authorization: 'Bearer t' }, skipOnFail: true, apisToSend: ['a'] };
    const s3 = { type: 's3', bucket: 'b', region: 'eu-west-1', accessKeyId: 'k', secretAccessKey: 's', prefix: 'p/', endpoint: 'https://minio.example.com', forcePathStyle: true };
    expect(valid({ ...BASE, sink: webhook })).toBe(true);
    expect(valid({ ...BASE, sink: s3 })).toBe(true);
    expect(valid({ ...BASE, sink: { type: 's3', bucket: 'b', region: 'r' } })).toBe(false);
    expect(valid({ ...BASE, sink: { ...webhook, bucket: 'b' } })).toBe(false);
  });

  it('takes payload items with timeouts and retries, and the session snake_case with camelCase inside', () => {
    const item = { apiName: 'reports/weekly', parameters: { week: 1 }, requestTimeout: 120, retry: { maximumAttempts: 5 } };
    const file = { payload: [item], configuration: { retry: { maximumAttempts: 2 }, maxConcurrentRequests: 4, requestTimeout: 300 }, auth_session: { id: 'crm-bot', checkAttempts: 2, createAttempts: 1 } };
    expect(valid(file)).toBe(true);
    expect(valid({ ...file, authSession: { id: 'crm-bot' } })).toBe(false);
    for (const apiName of ['', 'api/reports/weekly', 'reports/weekly.ts', '/reports']) {
      expect(valid({ ...BASE, payload: [{ apiName, parameters: {} }] }), apiName).toBe(false);
    }
  });
});

describe('job IDs', () => {
  it('take letters, digits, - and _ (length below 7 is only warned about: unconfirmed)', () => {
    for (const id of ['map', 'nightly-sync', 'A_1']) expect(isValidJobId(id), id).toBe(true);
    for (const id of ['', 'a b', 'x(eu)', 'a.b', 'a/b']) expect(isValidJobId(id), id).toBe(false);
  });
});
