/**
 * Job definitions over HTTP: create, get, list, update, delete, pause and resume, every body
 * judged by the SDK contract (jobs-sdk-contract.ts) as well as by exact expectations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import { client, emulator, PROJECT, WORKSPACE } from './helpers.js';
import type { Client } from './helpers.js';
import { ok, sdkJobs, sdkReads } from './jobs-sdk-contract.js';
import type { SdkJobs } from './jobs-sdk-contract.js';

const START = Date.parse('2023-11-14T22:13:20.000Z');
const HOOK_SECRET = 'Bearer hook-secret-1';
const PROXY = 'http://user:proxy-secret-2@proxy.example.com:8080';

/** A create body that leaves every SDK default out. */
const BODY = {
  id: 'nightly-export',
  payload: [
    { apiName: 'reports/export', parameters: { region: 'eu' }, requestTimeout: 120, retry: { maximumAttempts: 5 } },
    { apiName: 'reports/summary', parameters: {} },
  ],
  configuration: { retry: {}, maxConcurrentRequests: 4 },
  schedule: { intervals: [{ every: '1h' }], jitter: '5m' },
  sink: { type: 'webhook' as const, url: 'https://hooks.example.com/intuned', headers: { Authorization: HOOK_SECRET }, apisToSend: ['reports/export'] },
  proxy: PROXY,
  auth_session: { id: 'acme' },
};

/** What Intuned holds for BODY: the defaults the SDK would have sent, filled in. */
const STORED = {
  payload: [
    { apiName: 'reports/export', parameters: { region: 'eu' }, requestTimeout: 120, retry: { maximumAttempts: 5 } },
    { apiName: 'reports/summary', parameters: {}, requestTimeout: 600 },
  ],
  configuration: { retry: { maximumAttempts: 3 }, maxConcurrentRequests: 4, requestTimeout: 600 },
  schedule: { intervals: [{ every: '1h' }], jitter: '5m' },
  sink: { type: 'webhook', url: 'https://hooks.example.com/intuned', headers: { Authorization: HOOK_SECRET }, apisToSend: ['reports/export'], skipOnFail: false },
  auth_session: { id: 'acme', checkAttempts: 3, createAttempts: 3 },
};

let emu: EmulatorHandle;
let api: Client;
let jobs: SdkJobs;
let clock: VirtualClock;

async function start(options: EmulatorOptions = {}): Promise<void> {
  await emu?.close();
  clock = new VirtualClock(START);
  emu = await emulator({ now: clock.now, ...options });
  emu.seedSession({ id: 'acme' });
  api = client(emu);
  jobs = sdkJobs(api);
}

beforeEach(() => start());
afterEach(() => emu.close());

describe('create, get and list', () => {
  it('creates (201 "created"), and get-one and the list answer the definition with the SDK defaults filled in', async () => {
    const created = await api.post('/jobs', BODY);
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(sdkReads('create', created)).toEqual({ kind: 'ok', value: { id: 'nightly-export', message: 'created' } });

    const detail = ok(await jobs.get('nightly-export'));
    const times = { next_run_time: '2023-11-14T23:00:00.000Z', last_run_time: null, created_at: '2023-11-14T22:13:20.000Z' };
    expect(detail).toEqual({ id: 'nightly-export', projectId: expect.any(String), ...STORED, proxy: PROXY, state: 'ACTIVE', ...times });

    const [item] = ok(await jobs.list());
    expect(item).toEqual({
      id: 'nightly-export',
      workspace_id: WORKSPACE,
      project_id: detail.projectId,
      ...STORED,
      proxy: { version: 'v1', url: PROXY },
      state: 'ACTIVE',
      reason: null,
      schedule_id: expect.any(String),
      ...times,
    });
  });

  it('shapes get-one apart from the list: projectId, no workspace_id, reason or schedule_id, and no proxy key when unset', async () => {
    ok(await jobs.create({ id: 'plain', payload: [], configuration: {} }));
    const detail = (await api.get('/jobs/plain')).body;
    for (const key of ['workspace_id', 'project_id', 'reason', 'schedule_id', 'proxy']) expect(detail).not.toHaveProperty(key);
    expect(detail).toMatchObject({ projectId: expect.any(String), schedule: null, sink: null, auth_session: null, next_run_time: null });
    expect(ok(await jobs.list())[0]).toMatchObject({ proxy: null, schedule_id: null, auth_session: null });
  });

  it('keeps an S3 sink with every option, filling skipOnFail', async () => {
    const sink = { type: 's3', bucket: 'exports', region: 'eu-west-1', accessKeyId: 'AKIA-3', secretAccessKey: 'secret-4', prefix: 'nightly/', endpoint: 'https://s3.example.com', forcePathStyle: true, apisToSend: ['a'] };
    ok(await jobs.create({ id: 'to-s3', payload: [], configuration: {}, sink }));
    expect(ok(await jobs.get('to-s3')).sink).toEqual({ ...sink, skipOnFail: false });
  });

  it('keeps every calendar form, and drops a step that has no end as the SDK does', async () => {
    const calendars = [
      { second: 0, minute: [0, 30], hour: { start: 9, end: 17 }, dayOfMonth: { start: 1, step: 7, end: 28 }, year: '*', comment: 'work hours' },
      { month: ['JANUARY', { start: 'MARCH', end: 'MAY' }], dayOfWeek: { start: 'MONDAY', step: 2, end: 'FRIDAY' }, minute: [], hour: { start: 1, step: 2 } },
    ];
    ok(await jobs.create({ id: 'calendar', payload: [], configuration: {}, schedule: { calendars, intervals: [{ every: 3_600_000 }], jitter: 1000 } }));
    const [first, second] = ok(await jobs.get('calendar')).schedule.calendars;
    expect(first).toEqual(calendars[0]);
    expect(second).toEqual({ ...calendars[1], hour: { start: 1 } });
  });

  it.each(['list', 'map', 'a', 'under_score-9'])('accepts the short or plain ID %s (the 7-character minimum is unconfirmed)', async (id) => {
    expect(ok(await jobs.create({ id, payload: [], configuration: {} }))).toEqual({ id, message: 'created' });
  });

  it('answers a create of an existing ID 409 with a generic error body', async () => {
    ok(await jobs.create({ id: 'twice', payload: [], configuration: {} }));
    const again = await jobs.create({ id: 'twice', payload: [], configuration: {} });
    expect(again).toEqual({
      kind: 'generic-error',
      status: 409,
      body: { code: 'conflict', category: 'user', message: 'Job twice already exists', retirable: false, correlationId: expect.any(String) },
    });
  });
});

describe('bad bodies', () => {
  const base = { id: 'job-1', payload: [{ apiName: 'a', parameters: {} }], configuration: {} };
  it.each([
    ['payload', { ...base, payload: undefined }],
    ['payload.0.apiName', { ...base, payload: [{ parameters: {} }] }],
    ['payload.0.parameters', { ...base, payload: [{ apiName: 'a', parameters: 'x' }] }],
    ['payload.0.requestTimeout', { ...base, payload: [{ apiName: 'a', parameters: {}, requestTimeout: 1.5 }] }],
    ['configuration', { ...base, configuration: undefined }],
    ['configuration.retry.maximumAttempts', { ...base, configuration: { retry: { maximumAttempts: '3' } } }],
    ['schedule.intervals.0.every', { ...base, schedule: { intervals: [{}] } }],
    ['schedule.calendars.0.hour', { ...base, schedule: { calendars: [{ hour: 24 }] } }],
    ['schedule.calendars.0.month', { ...base, schedule: { calendars: [{ month: 3 }] } }],
    ['schedule.calendars.0.second', { ...base, schedule: { calendars: [{ second: '5' }] } }],
    ['schedule.calendars.0.minute', { ...base, schedule: { calendars: [{ minute: [1, '*'] }] } }],
    ['sink.type', { ...base, sink: { type: 'ftp' } }],
    ['sink.secretAccessKey', { ...base, sink: { type: 's3', bucket: 'b', region: 'r', accessKeyId: 'k' } }],
    ['proxy', { ...base, proxy: 42 }],
    ['auth_session.id', { ...base, auth_session: {} }],
    ['id', { ...base, id: 'bad id!' }],
    ['id', { ...base, id: undefined }],
  ])('answers a typed 400 naming %s', async (path, body) => {
    const answer = await jobs.create(body);
    expect(answer).toMatchObject({ kind: 'typed-error', status: 400, body: { code: 'bad-request', retirable: false } });
    if (answer.kind !== 'typed-error') return;
    expect(answer.body.message).toContain(`${path}: `);
    expect(answer.body.details).toContainEqual({ path, message: expect.any(String) });
    expect(ok(await jobs.list())).toEqual([]);
  });

  it('never quotes a refused value', async () => {
    const answer = await api.post('/jobs', { ...base, sink: { type: 'webhook', url: 'not-a-url-5', headers: { Authorization: 6 } }, proxy: 'no-proxy-7' });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).not.toMatch(/not-a-url-5|no-proxy-7/);
  });

  it('refuses a job whose session is not in the project (400 naming auth_session.id), on create and on update', async () => {
    const create = await jobs.create({ ...base, auth_session: { id: 'nowhere' } });
    expect(create).toMatchObject({ kind: 'typed-error', status: 400, body: { details: [{ path: 'auth_session.id' }] } });
    ok(await jobs.create(base));
    const update = await jobs.update('job-1', { ...base, id: undefined, auth_session: { id: 'nowhere' } });
    expect(update).toMatchObject({ kind: 'typed-error', status: 400 });
    expect(ok(await jobs.get('job-1')).auth_session).toBeNull();
  });

  it('answers a body that is not JSON with a typed 400', async () => {
    const answer = await api.raw('/jobs', { method: 'POST', body: '{"id":', headers: { 'content-type': 'application/json' } });
    expect(sdkReads('create', answer)).toMatchObject({ kind: 'typed-error', status: 400 });
  });
});

describe('update and delete', () => {
  it('replaces the whole definition on PUT (200): null clears, and so does leaving a field out', async () => {
    ok(await jobs.create(BODY));
    const { id: _id, ...update } = { ...BODY, payload: [{ apiName: 'only', parameters: {} }], sink: null, proxy: null };
    expect(ok(await jobs.update('nightly-export', update))).toEqual({ id: 'nightly-export', message: 'updated job successfully' });
    const [item] = ok(await jobs.list());
    expect(item).toMatchObject({ payload: [{ apiName: 'only', parameters: {}, requestTimeout: 600 }], sink: null, proxy: null, schedule: STORED.schedule });
    ok(await jobs.update('nightly-export', { payload: [], configuration: {} }));
    expect(ok(await jobs.list())[0]).toMatchObject({ schedule: null, auth_session: null, schedule_id: null, next_run_time: null });
  });

  it('deletes (204, empty) and answers 404 after', async () => {
    ok(await jobs.create(BODY));
    const answer = await api.delete('/jobs/nightly-export');
    expect(answer).toMatchObject({ status: 204, body: '' });
    expect(ok(await jobs.list())).toEqual([]);
    expect(await jobs.delete('nightly-export')).toMatchObject({ kind: 'typed-error', status: 404 });
  });

  it.each(['get', 'delete', 'pause', 'resume', 'trigger', 'runs'] as const)('answers %s of an unknown job with a typed 404', async (operation) => {
    const answer = await jobs[operation]('missing');
    expect(answer).toEqual({
      kind: 'typed-error',
      status: 404,
      body: { code: 'not-found', category: 'user', message: 'Job missing not found', retirable: false, correlationId: expect.any(String) },
    });
  });

  it('answers an update of an unknown job with a typed 404', async () => {
    expect(await jobs.update('missing', { payload: [], configuration: {} })).toMatchObject({ kind: 'typed-error', status: 404 });
  });
});

describe('pause and resume', () => {
  it('pauses (200 "Paused") with a reason in the list only, and resumes (200 "Resumed")', async () => {
    ok(await jobs.create(BODY));
    clock.advance(5_000);
    expect(ok(await jobs.pause('nightly-export'))).toEqual({ message: 'Paused' });
    const [paused] = ok(await jobs.list());
    expect(paused).toMatchObject({ state: 'PAUSED', reason: { type: 'paused', message: 'Paused', timestamp: '2023-11-14T22:13:25.000Z' }, next_run_time: null });
    const detail = (await api.get('/jobs/nightly-export')).body;
    expect(detail.state).toBe('PAUSED');
    expect(detail).not.toHaveProperty('reason');
    expect(ok(await jobs.resume('nightly-export'))).toEqual({ message: 'Resumed' });
    expect(ok(await jobs.list())[0]).toMatchObject({ state: 'ACTIVE', reason: null });
  });
});

describe('secrets', () => {
  it('masks header values, S3 keys and the proxy with maskJobSecrets, everywhere a job is answered', async () => {
    await start({ maskJobSecrets: true });
    ok(await jobs.create(BODY));
    ok(await jobs.create({ id: 'to-s3', payload: [], configuration: {}, sink: { type: 's3', bucket: 'b', region: 'r', accessKeyId: 'AKIA-8', secretAccessKey: 'secret-9' } }));
    const { jobRunId } = ok(await jobs.trigger('nightly-export'));
    const bodies = [ok(await jobs.list()), ok(await jobs.get('nightly-export')), ok(await jobs.get('to-s3')), ok(await jobs.run('nightly-export', jobRunId))];
    expect(JSON.stringify(bodies)).not.toMatch(/hook-secret-1|proxy-secret-2|AKIA-8|secret-9/);
    expect(ok(await jobs.get('nightly-export'))).toMatchObject({ proxy: '********', sink: { headers: { Authorization: '********' } } });
    expect(ok(await jobs.get('to-s3')).sink).toMatchObject({ accessKeyId: '********', secretAccessKey: '********' });
    expect(bodies[3].jobRun.job_configuration_snapshot.proxy).toEqual({ version: 'v1', url: '********' });
  });
});

describe('around the jobs', () => {
  it('answers a wrong key on job paths with the typed 401 the SDK reads (category user)', async () => {
    const stranger = sdkJobs(client(emu, { key: 'wrong' }));
    for (const answer of [await stranger.list(), await stranger.delete('x'), await stranger.terminate('x', 'y')]) {
      expect(answer).toMatchObject({ kind: 'typed-error', status: 401, body: { code: 'unauthorized', category: 'user' } });
    }
  });

  it('records job requests in the request log, in order, with their bodies', async () => {
    ok(await jobs.create(BODY));
    ok(await jobs.pause('nightly-export'));
    ok(await jobs.delete('nightly-export'));
    const base = `/${WORKSPACE}/projects/${PROJECT}`;
    expect(emu.requests.map(({ method, path, status }) => `${method} ${path.slice(base.length)} ${status}`)).toEqual([
      'POST /jobs 201',
      'POST /jobs/nightly-export/pause 200',
      'DELETE /jobs/nightly-export 204',
    ]);
    expect(emu.requests[0]?.body).toEqual(BODY);
  });

  it('seeds a job with a full definition, and refuses a seed the API would refuse', async () => {
    const { id: _id, auth_session: _session, ...definition } = BODY;
    emu.seedJob({ id: 'seeded', authSessionId: 'acme', state: 'PAUSED', definition });
    expect(ok(await jobs.get('seeded'))).toMatchObject({ ...STORED, state: 'PAUSED', proxy: PROXY });
    expect(() => emu.seedJob({ id: 'broken', definition: { payload: [{ apiName: 'a', parameters: {}, requestTimeout: 1.5 }], configuration: {} } })).toThrow(
      'emulator: seedJob broken: payload.0.requestTimeout: ',
    );
  });
});
