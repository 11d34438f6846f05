/**
 * One fixture per mistake in a job file, asserting the exact lines `intuned-gitops validate`
 * prints and its exit code; then what a valid job file loads into.
 */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { checkKindText } from '../../src/resources/check.js';
import { JOB_KIND } from '../../src/resources/kinds.js';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { loadResources } from '../../src/resources/loader.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/jobs');
const JOBS = 'intuned-resources/jobs';

async function validate(fixture: string) {
  const output = bufferOutput();
  const exitCode = await validateCommand({ dir: join(FIXTURES, fixture), env: {}, output });
  return { exitCode, lines: output.stdout.trimEnd().split('\n'), stderr: output.stderr };
}

const MONTH = 'a month name in capitals ("JANUARY" to "DECEMBER"; never a number), a range { "start", "end"?, "step"? } of them, an array of those, or "*"';

const cases: { fixture: string; exitCode: number; lines: string[] }[] = [
  {
    fixture: 'unknown-keys',
    exitCode: 1,
    lines: [
      `${JOBS}/nightly-sync.job.jsonc:3:3: unknown key "configuraton"; did you mean "configuration"?`,
      `${JOBS}/nightly-sync.job.jsonc:4:38: unknown key "checkAttempt" in "auth_session"; did you mean "checkAttempts"?`,
      `${JOBS}/nightly-sync.job.jsonc:8:5: unknown key "skipOnFial" in "sink"; did you mean "skipOnFail"?`,
      `${JOBS}/nightly-sync.job.jsonc:10:3: unknown key "timeout"; the allowed keys are "$schema", "payload", "configuration", "auth_session", "schedule", "sink", "proxy" (values for your APIs go inside "parameters" of a "payload" item)`,
      '4 problems in 1 file',
    ],
  },
  {
    fixture: 'missing-api-name',
    exitCode: 1,
    lines: [
      `${JOBS}/reports/weekly-report.job.json:3:5: missing required key "apiName" in "payload.0": add it: the path of the API under api/, without extension (e.g. "products/list")`,
      '1 problem in 1 file',
    ],
  },
  {
    fixture: 'calendar-month-number',
    exitCode: 1,
    lines: [
      `${JOBS}/month-end.job.jsonc:6:18: "schedule.calendars.0.month" must be ${MONTH}, got a number`,
      `${JOBS}/month-end.job.jsonc:7:33: "schedule.calendars.1.dayOfWeek.start" must be a day name in capitals ("SUNDAY" to "SATURDAY"), got a number`,
      `${JOBS}/month-end.job.jsonc:7:43: "schedule.calendars.1.dayOfWeek.end" must be a day name in capitals ("SUNDAY" to "SATURDAY"), got a number`,
      '3 problems in 1 file',
    ],
  },
  {
    fixture: 'step-without-end',
    exitCode: 1,
    lines: [
      `${JOBS}/every-other-hour.job.jsonc:4:63: "schedule.calendars.0.hour.step" is ignored by Intuned without "end": add "end" (inclusive) or remove "step"`,
      `${JOBS}/every-other-hour.job.jsonc:4:78: "schedule.calendars.0.minute" must be a whole number from 0 to 59, a range { "start", "end"?, "step"? } of them, an array of those, or "*"`,
      '2 problems in 1 file',
    ],
  },
  {
    fixture: 'sink',
    exitCode: 1,
    lines: [
      `${JOBS}/to-bucket.job.jsonc:4:11: missing required key "accessKeyId" in "sink": add it`,
      `${JOBS}/to-bucket.job.jsonc:4:11: missing required key "secretAccessKey" in "sink": add it`,
      `${JOBS}/to-bucket.job.jsonc:4:37: "sink.bucket" must be a non-empty string`,
      `${JOBS}/to-queue.job.jsonc:4:21: "sink.type" must be "webhook" or "s3", got a string`,
      '4 problems in 2 files',
    ],
  },
  {
    fixture: 'misnamed',
    exitCode: 1,
    lines: [
      `${JOBS}/crm-bot.auth-session.jsonc:1:1: not read: auth session files go in intuned-resources/auth-sessions, not in the jobs folder; move it there`,
      `${JOBS}/nightly.jobs.json:1:1: not read: resource file names end in .job.jsonc or .job.json, in lower case, with the ID before it; rename it to "nightly.job.json", or move it out of the jobs folder`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'ids',
    exitCode: 1,
    lines: [
      `${JOBS}/nightly(eu).job.json:1:1: ID "nightly(eu)" (from the file name) has characters that are not allowed: "(", ")"; rename the file using only letters, digits, - and _`,
      `${JOBS}/map.job.json:1:1: warning: ID "map" (from the file name) is shorter than 7 characters, the minimum in Intuned's API reference (Intuned's own examples use shorter ones); if Intuned refuses the create, rename the file`,
      '1 problem in 1 file',
    ],
  },
  {
    fixture: 'empty-file',
    exitCode: 1,
    lines: [
      `${JOBS}/nightly-sync.job.json:1:1: file is empty; it must hold an object like { "payload": [{ "apiName": "...", "parameters": { ... } }], "configuration": {} }`,
      '1 problem in 1 file',
    ],
  },
  {
    // One file per ID within a kind; a session and a job may share one.
    fixture: 'duplicate-id',
    exitCode: 1,
    lines: [
      `${JOBS}/nightly/orders-export.job.json:1:1: duplicate ID "orders-export": also declared by ${JOBS}/orders-export.job.jsonc; keep one file per ID`,
      `${JOBS}/orders-export.job.jsonc:1:1: duplicate ID "orders-export": also declared by ${JOBS}/nightly/orders-export.job.json; keep one file per ID`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'unknown-session',
    exitCode: 0,
    lines: [
      `${JOBS}/uses-recorder.job.jsonc:4:27: warning: "auth_session.id" names AuthSession "made-in-dashboard", which no file in intuned-resources/auth-sessions declares; fine if it exists in Intuned (a session made in the dashboard, say), otherwise add its file or fix the ID`,
      '✓ 1 auth session and 2 jobs valid in 3 files',
    ],
  },
];

describe('validate on job fixtures', () => {
  it.each(cases)('$fixture: exits $exitCode with the expected lines', async ({ fixture, exitCode, lines }) => {
    const result = await validate(fixture);
    expect(result.lines).toEqual(lines);
    expect(result.exitCode).toBe(exitCode);
    expect(result.stderr).toBe('');
  });
});

describe('a valid job file', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function project(text: string): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-jobs-'));
    await mkdir(join(dir, JOBS, 'nightly'), { recursive: true });
    await writeFile(join(dir, JOBS, 'nightly', 'orders-export.job.jsonc'), text);
    return dir;
  }

  const TEXT = `{
    "$schema": "../../../schemas/job.schema.json",
    // comments and trailing commas, as in session files
    "payload": [{ "apiName": "orders/export", "parameters": { "region": "\${env:REGION}", "page": 1 }, }],
    "configuration": {},
    "sink": {
      "type": "webhook",
      "url": "https://hooks.example.com/intuned",
      "headers": { "Authorization": "Bearer \${env:HOOK_TOKEN}", "X-Team": "ops" }
    },
    "proxy": "http://user:\${env:PROXY_PASSWORD}@proxy.example.com:8080"
  }`;

  it('loads its spec with ${env:} replaced, its secrets and every secret-bearing path', async () => {
    const env = { REGION: 'eu-region', HOOK_TOKEN: 'hook-token-1', PROXY_PASSWORD: 'proxy-pass-1' };
    const result = await loadResources({ dir: await project(TEXT), env });
    expect(result.problems).toEqual([]);
    expect(result.jobFileCount).toBe(1);
    const [job] = result.jobs ?? [];
    expect(job?.id).toBe('orders-export');
    expect(job?.file).toBe(`${JOBS}/nightly/orders-export.job.jsonc`);
    expect(job?.spec).toEqual({
      payload: [{ apiName: 'orders/export', parameters: { region: 'eu-region', page: 1 } }],
      configuration: {},
      sink: { type: 'webhook', url: 'https://hooks.example.com/intuned', headers: { Authorization: 'Bearer hook-token-1', 'X-Team': 'ops' } },
      proxy: 'http://user:proxy-pass-1@proxy.example.com:8080',
    });
    expect(job?.secrets).toEqual(['eu-region', 'hook-token-1', 'proxy-pass-1']);
    // Sink headers are secret-bearing whatever they hold; a payload value only when it came from ${env:}.
    expect(job?.secretPaths).toEqual([
      ['payload', 0, 'parameters', 'region'],
      ['sink', 'headers', 'Authorization'],
      ['sink', 'headers', 'X-Team'],
      ['proxy'],
    ]);
    expect(result.sessions).toEqual([]);
  });

  it('warns about a session named from ${env:} that no file declares without showing the name', async () => {
    const path = await project('{ "payload": [], "configuration": {}, "auth_session": { "id": "${env:SESSION_ID}" } }');
    const result = await loadResources({ dir: path, env: { SESSION_ID: 'hidden-session' } });
    expect(result.problems).toEqual([]);
    expect(result.warnings?.map((warning) => warning.message)).toEqual([
      '"auth_session.id" names an AuthSession (from ${env:}), which no file in intuned-resources/auth-sessions declares; fine if it exists in Intuned (a session made in the dashboard, say), otherwise add its file or fix the ID',
    ]);
  });

  it("refuses the tool's own keys in a job file, and names one missing variable once for both kinds", async () => {
    const path = await project('{ "payload": [{ "apiName": "a/b", "parameters": { "key": "${env:INTUNED_API_KEY}", "t": "${env:SHARED_TOKEN}" } }], "configuration": {} }');
    await mkdir(join(path, 'intuned-resources', 'auth-sessions'), { recursive: true });
    await writeFile(join(path, 'intuned-resources', 'auth-sessions', 'crm-bot.auth-session.json'), '{ "parameters": { "t": "${env:SHARED_TOKEN}" } }');
    const result = await loadResources({ dir: path, env: { INTUNED_API_KEY: 'the-api-key' } });
    expect(result.problems.map((problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`)).toEqual([
      'intuned-resources/auth-sessions/crm-bot.auth-session.json:1:25: environment variable SHARED_TOKEN is not set, used by 2 files: intuned-resources/auth-sessions/crm-bot.auth-session.json, intuned-resources/jobs/nightly/orders-export.job.jsonc; set it before running intuned-gitops (in CI, pass it from a secret)',
      expect.stringMatching(/^intuned-resources\/jobs\/nightly\/orders-export\.job\.jsonc:1:\d+: \$\{env:INTUNED_API_KEY\} is the Intuned API key of intuned-gitops itself;/),
    ]);
    expect(JSON.stringify(result)).not.toContain('the-api-key');
  });

  it('names an unset variable of a sink header, and is left out of the jobs', async () => {
    const output = bufferOutput();
    const path = await project(TEXT);
    expect(await validateCommand({ dir: path, env: { REGION: 'r', PROXY_PASSWORD: 'p' }, output })).toBe(1);
    expect(output.stdout).toContain(
      `${JOBS}/nightly/orders-export.job.jsonc:9:45: environment variable HOOK_TOKEN is not set`,
    );
    expect((await loadResources({ dir: path, env: {} })).jobs).toEqual([]);
  });
});

describe('job file checks never put a value in a message', () => {
  const MARKER = /s3cr3t/i;
  const secret = fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }).map((random) => `s3cr3t${random}`);
  const item = { apiName: 'orders/export', parameters: {} };
  const templates = [
    (value: string) => ({ payload: [{ apiName: value, parameters: { token: value } }], configuration: value }),
    (value: string) => ({ payload: [item], configuration: {}, schedule: { calendars: [{ month: value, hour: [value], dayOfWeek: { start: value } }] } }),
    (value: string) => ({ payload: [item], configuration: {}, schedule: { intervals: [{ every: [value] }], jitter: { value } } }),
    (value: string) => ({ payload: [item], configuration: {}, sink: { type: value, url: value } }),
    (value: string) => ({ payload: [item], configuration: {}, sink: { type: 'webhook', url: value, headers: { Authorization: [value] } } }),
    (value: string) => ({ payload: [item], configuration: {}, sink: { type: 's3', bucket: value, region: 3, accessKeyId: value }, proxy: value }),
    (value: string) => ({ payload: [item], configuration: {}, auth_session: { id: value, [value.length > 8 ? 'k' : 'j']: value } }),
  ];

  it('for literal values and values from the environment', () => {
    fc.assert(
      fc.property(secret, secret, fc.nat(templates.length - 1), (literal, fromEnv, index) => {
        const body = JSON.stringify((templates[index] as (value: string) => unknown)(literal));
        const text = body.replace('"configuration":', '"proxy":"http://${env:PLANTED}@h","configuration":');
        const check = checkKindText(JOB_KIND, { file: 'f.job.json', text, env: { PLANTED: fromEnv }, requireEnv: true });
        expect(check.problems.length).toBeGreaterThan(0);
        for (const problem of check.problems) expect(problem.message).not.toMatch(MARKER);
      }),
      { numRuns: 300 },
    );
  });
});
