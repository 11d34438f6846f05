/**
 * The file text `import` writes for a job: what Intuned holds, secrets replaced by predictable
 * `${env:}` references, and a file that the loader reads back as exactly what Intuned holds
 * once those variables are set.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src/engine/port.js';
import { EnvNames } from '../../src/resources/env-names.js';
import { jobFileText } from '../../src/resources/job-import.js';
import { loadResources } from '../../src/resources/loader.js';

const HOOK_TOKEN = 'Bearer hook-token-5d1e9a0c';
const PROXY = 'http://proxy-user:proxy-pass-77c1@proxy.example.com:8080';
const ACCESS_KEY_ID = 'AKIAEXAMPLE7Q2W';
const SECRET_KEY = 's3-secret-key-9f8e7d6c';

function job(id: string, definition: Job['definition'], extra: Partial<Job> = {}): Job {
  return { id, state: 'ACTIVE', auth_session: null, definition, ...extra };
}

/** A webhook job as Intuned answers for it: defaults filled in, unset fields null. */
const nightlyOrders = job('nightly-orders', {
  payload: [{ apiName: 'orders/export', parameters: { since: 'yesterday', until: null }, requestTimeout: 600, retry: { maximumAttempts: 3 } }],
  configuration: { retry: { maximumAttempts: 3 }, requestTimeout: 600, maxConcurrentRequests: null },
  auth_session: { id: 'ops-team', checkAttempts: 3, createAttempts: 3 },
  schedule: { intervals: [{ every: '1h' }], calendars: null, jitter: null },
  sink: { type: 'webhook', url: 'https://hooks.example.com/orders', headers: { Authorization: HOOK_TOKEN, 'X-Trace': 'on' }, skipOnFail: false, apisToSend: null },
  proxy: PROXY,
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Loads `text` as the project's only file at `file`. */
async function load(file: string, text: string, env: Record<string, string>) {
  dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-import-'));
  await mkdir(dirname(join(dir, file)), { recursive: true });
  await writeFile(join(dir, file), text);
  return loadResources({ dir, env });
}

function written(result: ReturnType<typeof jobFileText>) {
  if (!result.ok) throw new Error(`expected a file: ${result.message}`);
  return result;
}

describe('jobFileText', () => {
  it('writes every secret as a named ${env:} reference, never its value, and names the variables', () => {
    const file = written(jobFileText(nightlyOrders, new EnvNames()));
    expect(file.file).toBe('intuned-resources/jobs/nightly-orders.job.jsonc');
    expect(file.env).toEqual(['JOB_NIGHTLY_ORDERS_SINK_HEADERS_AUTHORIZATION', 'JOB_NIGHTLY_ORDERS_SINK_HEADERS_X_TRACE', 'JOB_NIGHTLY_ORDERS_PROXY']);
    for (const secret of [HOOK_TOKEN, 'hook-token-5d1e9a0c', PROXY, 'proxy-pass-77c1']) expect(file.text).not.toContain(secret);
    expect(file.text).toContain('"Authorization": "${env:JOB_NIGHTLY_ORDERS_SINK_HEADERS_AUTHORIZATION}"');
    expect(file.text).toContain('"proxy": "${env:JOB_NIGHTLY_ORDERS_PROXY}"');
    expect(file.text).toContain('"$schema": "https://unpkg.com/intuned-gitops/schemas/job.schema.json"');
  });

  it("says in its header that the values and defaults are Intuned's and that the apply adopts the job", () => {
    const lines = written(jobFileText(nightlyOrders, new EnvNames())).text.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '// Imported from Intuned by `intuned-gitops import`: job "nightly-orders" as Intuned holds it.',
      "// The values are Intuned's, its defaults included (timeouts, retries, attempts), so the next",
      '// apply adopts the job as it is: an update or nothing, never a create.',
    ]);
    expect(lines).toContain('//   JOB_NIGHTLY_ORDERS_PROXY');
  });

  it('reads back, with the variables set, as exactly what Intuned holds (nulls left out)', async () => {
    const file = written(jobFileText(nightlyOrders, new EnvNames()));
    const result = await load(file.file, file.text, {
      JOB_NIGHTLY_ORDERS_SINK_HEADERS_AUTHORIZATION: HOOK_TOKEN,
      JOB_NIGHTLY_ORDERS_SINK_HEADERS_X_TRACE: 'on',
      JOB_NIGHTLY_ORDERS_PROXY: PROXY,
    });
    expect(result.problems).toEqual([]);
    expect(result.jobs).toHaveLength(1);
    expect(result.jobs![0]!.spec).toEqual({
      // A null among an API's parameters is a value, and is kept.
      payload: [{ apiName: 'orders/export', parameters: { since: 'yesterday', until: null }, requestTimeout: 600, retry: { maximumAttempts: 3 } }],
      configuration: { retry: { maximumAttempts: 3 }, requestTimeout: 600 },
      auth_session: { id: 'ops-team', checkAttempts: 3, createAttempts: 3 },
      schedule: { intervals: [{ every: '1h' }] },
      sink: { type: 'webhook', url: 'https://hooks.example.com/orders', headers: { Authorization: HOOK_TOKEN, 'X-Trace': 'on' }, skipOnFail: false },
      proxy: PROXY,
    });
  });

  it('replaces S3 keys, masked ones too, and keeps the rest of the sink', async () => {
    const toBucket = job('to-bucket', {
      payload: [{ apiName: 'catalog/sync', parameters: {} }],
      configuration: {},
      sink: { type: 's3', bucket: 'exports', region: 'eu-west-1', accessKeyId: ACCESS_KEY_ID, secretAccessKey: '********', prefix: 'nightly/', endpoint: null },
      proxy: null,
    });
    const file = written(jobFileText(toBucket, new EnvNames()));
    expect(file.env).toEqual(['JOB_TO_BUCKET_SINK_ACCESS_KEY_ID', 'JOB_TO_BUCKET_SINK_SECRET_ACCESS_KEY']);
    expect(file.text).not.toContain(ACCESS_KEY_ID);
    expect(file.text).not.toContain('********');
    expect(file.text).not.toContain('"proxy"');
    const result = await load(file.file, file.text, { JOB_TO_BUCKET_SINK_ACCESS_KEY_ID: ACCESS_KEY_ID, JOB_TO_BUCKET_SINK_SECRET_ACCESS_KEY: SECRET_KEY });
    expect(result.problems).toEqual([]);
    expect(result.jobs![0]!.spec.sink).toEqual({ type: 's3', bucket: 'exports', region: 'eu-west-1', accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, prefix: 'nightly/' });
  });

  it('is checked like any file: an unset variable is reported by name, and nothing is read', async () => {
    const file = written(jobFileText(nightlyOrders, new EnvNames()));
    const result = await load(file.file, file.text, {});
    expect(result.jobs).toEqual([]);
    expect(result.problems.map((problem) => problem.message).join('\n')).toContain('JOB_NIGHTLY_ORDERS_PROXY');
  });

  it('keeps literal ${env:...} text in a value as text, escaped, so it is not read as a reference', async () => {
    const literal = job('literal-text', { payload: [{ apiName: 'notes/post', parameters: { body: 'costs ${env:PRICE} and $${env:X}' } }], configuration: {} });
    const file = written(jobFileText(literal, new EnvNames()));
    expect(file.env).toEqual([]);
    const result = await load(file.file, file.text, { PRICE: 'ten', X: 'y' });
    expect(result.problems).toEqual([]);
    expect(result.jobs![0]!.spec.payload[0]!.parameters).toEqual({ body: 'costs ${env:PRICE} and $${env:X}' });
  });

  it('keeps a __proto__ parameter a parameter', async () => {
    const parameters = JSON.parse('{"__proto__": {"polluted": true}, "plain": 1}') as Record<string, unknown>;
    const file = written(jobFileText(job('proto-params', { payload: [{ apiName: 'a/b', parameters }], configuration: {} }), new EnvNames()));
    expect(file.text).toContain('"__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names collide-free: IDs that read alike, and names the files already use, get a suffix', () => {
    const names = new EnvNames(['JOB_EU_SYNC_PROXY']);
    const withProxy = (id: string) => job(id, { payload: [], configuration: {}, proxy: PROXY });
    expect(written(jobFileText(withProxy('eu-sync'), names)).env).toEqual(['JOB_EU_SYNC_PROXY_2']);
    expect(written(jobFileText(withProxy('eu_sync'), names)).env).toEqual(['JOB_EU_SYNC_PROXY_3']);
    expect(written(jobFileText(withProxy('weekly'), names)).env).toEqual(['JOB_WEEKLY_PROXY']);
  });

  it('says a paused job is paused, since its file cannot', () => {
    const paused = job('paused-job', { payload: [], configuration: {} }, { state: 'PAUSED' });
    expect(written(jobFileText(paused, new EnvNames())).text).toContain('// Intuned holds this job paused; a file does not say so, and intuned-gitops never pauses or resumes.');
  });

  it("takes the session from the job when the definition does not give it", async () => {
    const file = written(jobFileText(job('uses-bot', { payload: [], configuration: {} }, { auth_session: { id: 'crm-bot' } }), new EnvNames()));
    const result = await load(file.file, file.text, {});
    expect(result.jobs![0]!.spec.auth_session).toEqual({ id: 'crm-bot' });
  });

  it('writes nothing for a job whose definition Intuned did not return, or that no file can hold', () => {
    expect(jobFileText(job('no-definition', undefined), new EnvNames())).toEqual({ ok: false, message: 'Intuned did not return its payload and configuration, so no file can say what it holds' });
    const monthNumber = jobFileText(job('month-number', { payload: [], configuration: {}, schedule: { calendars: [{ month: 3 }] } }), new EnvNames());
    expect(monthNumber.ok).toBe(false);
    expect(!monthNumber.ok && monthNumber.message).toBe('what Intuned holds does not pass as a job file: "schedule.calendars.0.month" must be a month name in capitals ("JANUARY" to "DECEMBER"; never a number), a range { "start", "end"?, "step"? } of them, an array of those, or "*", got a number');
  });
});
