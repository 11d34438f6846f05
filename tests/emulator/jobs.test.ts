import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { client, emulator, WORKSPACE } from './helpers.js';
import { sdkReads } from './jobs-sdk-contract.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import type { Client } from './helpers.js';

let emu: EmulatorHandle;
let api: Client;

beforeEach(async () => {
  emu = await emulator({ operationDurationMs: 50, now: new VirtualClock(1_700_000_000_000).now });
  api = client(emu);
});
afterEach(async () => {
  await emu.close();
});

describe('jobs', () => {
  it('lists jobs snake_case, with auth_session or null, and a default definition when none is seeded', async () => {
    emu.seedJob({ id: 'nightly', authSessionId: 'acme' });
    emu.seedJob({ id: 'no-login', authSessionId: null, state: 'PAUSED' });
    const answer = await api.get('/jobs');
    expect(sdkReads('list', answer).kind).toBe('ok');
    expect(answer.body).toEqual([
      {
        id: 'nightly',
        workspace_id: WORKSPACE,
        project_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        state: 'ACTIVE',
        reason: null,
        configuration: { requestTimeout: 600 },
        payload: [{ apiName: 'default', parameters: {}, requestTimeout: 600 }],
        sink: null,
        schedule: null,
        schedule_id: null,
        proxy: null,
        auth_session: { id: 'acme', checkAttempts: 3, createAttempts: 3 },
        next_run_time: null,
        last_run_time: null,
        created_at: expect.any(String),
      },
      expect.objectContaining({ id: 'no-login', state: 'PAUSED', auth_session: null, reason: { type: 'paused', message: 'Paused', timestamp: expect.any(String) } }),
    ]);
    expect((await api.get('/jobs/nightly')).body.id).toBe('nightly');
  });

  it('answers 404 with the typed error body for an unknown job', async () => {
    for (const path of ['/jobs/missing', '/jobs/missing/runs']) {
      const answer = await api.get(path);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        code: 'not-found',
        category: 'user',
        message: 'Job missing not found',
        retirable: false,
        correlationId: expect.any(String),
      });
      expect(answer.headers.get('x-correlation-id')).toBe(answer.body.correlationId);
    }
  });

  it('lists runs newest first with snake_case fields', async () => {
    emu.seedJob({ id: 'j', authSessionId: 'acme', runs: [{ id: 'old', status: 'SUCCESS' }, { id: 'new', status: 'PENDING' }] });
    const answer = await api.get('/jobs/j/runs');
    expect(sdkReads('runs', answer).kind).toBe('ok');
    const session = { id: 'acme', checkAttempts: 3, createAttempts: 3 };
    expect(answer.body.totalCount).toBe(2);
    expect(answer.body.jobRuns).toEqual([
      expect.objectContaining({ id: 'new', job_id: 'j', status: 'PENDING', start_time: expect.any(String), end_time: null, job_configuration_snapshot: expect.objectContaining({ auth_session: session }) }),
      expect.objectContaining({ id: 'old', job_id: 'j', status: 'SUCCESS', start_time: expect.any(String), end_time: expect.any(String), job_configuration_snapshot: expect.objectContaining({ auth_session: session }) }),
    ]);
    const [newest, oldest] = answer.body.jobRuns;
    expect(Date.parse(newest.start_time)).toBeGreaterThan(Date.parse(oldest.start_time));
  });

  it('pages runs: 1-based pageNumber, default size 20, an empty page past the end', async () => {
    const runs = Array.from({ length: 45 }, (_, index) => ({ id: `run-${index}`, status: 'SUCCESS' as const }));
    emu.seedJob({ id: 'busy', authSessionId: null, runs });
    const first = await api.get('/jobs/busy/runs');
    expect(first.body.totalCount).toBe(45);
    expect(first.body.jobRuns).toHaveLength(20);
    expect(first.body.jobRuns[0].id).toBe('run-44');
    const collected: string[] = [];
    for (let page = 1; page <= 10; page += 1) {
      const answer = await api.get(`/jobs/busy/runs?pageNumber=${page}&pageSize=10&sortBy=start_time`);
      if (answer.body.jobRuns.length === 0) break;
      collected.push(...answer.body.jobRuns.map((run: { id: string }) => run.id));
    }
    expect(collected).toHaveLength(45);
    expect(new Set(collected).size).toBe(45);
    expect((await api.get('/jobs/busy/runs?pageNumber=99')).body).toEqual({ jobRuns: [], totalCount: 45 });
    expect((await api.get('/jobs/busy/runs?pageSize=100')).body.jobRuns).toHaveLength(45);
  });

  it.each(['pageNumber=0', 'pageNumber=-1', 'pageNumber=x', 'pageSize=0', 'pageSize=101', 'pageSize=1.5'])(
    'answers 400 bad-request for %s',
    async (query) => {
      emu.seedJob({ id: 'j', authSessionId: null });
      const answer = await api.get(`/jobs/j/runs?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'bad-request', category: 'user', retirable: false });
    },
  );
});

describe('deleting a session in use', () => {
  it.each(['PENDING', 'PAUSED', 'PAUSING', 'RESUMING'] as const)('answers 409 while a job run is %s', async (status) => {
    emu.seedSession({ id: 'acme' });
    emu.seedJob({ id: 'nightly', authSessionId: 'acme', runs: [{ id: 'r1', status }] });
    const answer = await api.delete('/auth-sessions/acme');
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      message: 'Auth session acme is in use by an active job run',
      details: { jobId: 'nightly', jobRunId: 'r1' },
    });
    expect((await api.get('/auth-sessions/acme')).status).toBe(200);
  });

  it.each(['SUCCESS', 'FAILURE', 'COMPLETED', 'CANCELED', 'TERMINATED'] as const)('deletes when every run is finished (%s)', async (status) => {
    emu.seedSession({ id: 'acme' });
    emu.seedJob({ id: 'nightly', authSessionId: 'acme', runs: [{ status }] });
    expect((await api.delete('/auth-sessions/acme')).status).toBe(204);
  });

  it('deletes once the run is finished with setJobRunStatus', async () => {
    emu.seedSession({ id: 'acme' });
    emu.seedJob({ id: 'nightly', authSessionId: 'acme', runs: [{ id: 'r1', status: 'PENDING' }] });
    expect((await api.delete('/auth-sessions/acme')).status).toBe(409);
    emu.setJobRunStatus('nightly', 'r1', 'COMPLETED');
    const runs = await api.get('/jobs/nightly/runs');
    expect(runs.body.jobRuns[0]).toMatchObject({ status: 'COMPLETED', end_time: expect.any(String) });
    expect((await api.delete('/auth-sessions/acme')).status).toBe(204);
  });

  it('does not count jobs of other sessions or other projects', async () => {
    emu.seedSession({ id: 'acme' });
    emu.seedJob({ id: 'other-session', authSessionId: 'other', runs: [{ status: 'PENDING' }] });
    emu.seedJob({ id: 'other-project', authSessionId: 'acme', runs: [{ status: 'PENDING' }], workspaceId: WORKSPACE, project: 'elsewhere' });
    expect((await api.delete('/auth-sessions/acme')).status).toBe(204);
  });

  it('answers 400 instead with inUseDeleteStatus: 400', async () => {
    const strict = await emulator({ inUseDeleteStatus: 400 });
    try {
      strict.seedSession({ id: 'acme' });
      strict.seedJob({ id: 'nightly', authSessionId: 'acme', runs: [{ id: 'r1', status: 'RESUMING' }] });
      const answer = await client(strict).delete('/auth-sessions/acme');
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe('Auth session acme is in use by an active job run');
    } finally {
      await strict.close();
    }
  });

  it('sets run status in every project holding an unscoped job, and in projects served later', async () => {
    emu.seedSession({ id: 'acme' });
    emu.seedJob({ id: 'nightly', authSessionId: 'acme', runs: [{ id: 'r1', status: 'PENDING' }] });
    expect((await api.delete('/auth-sessions/acme')).status).toBe(409);
    emu.setJobRunStatus('nightly', 'r1', 'SUCCESS');
    expect((await api.delete('/auth-sessions/acme')).status).toBe(204);
    expect((await client(emu, { project: 'later' }).delete('/auth-sessions/acme')).status).toBe(204);
  });

  it('throws for an unknown job run', () => {
    emu.seedJob({ id: 'nightly', authSessionId: null, runs: [{ id: 'r1', status: 'PENDING' }] });
    expect(() => emu.setJobRunStatus('nightly', 'nope', 'SUCCESS')).toThrow('no job run nope in job nightly');
    expect(() => emu.setJobRunStatus('nope', 'r1', 'SUCCESS')).toThrow();
  });
});
