/**
 * Job runs over HTTP: trigger, the run's way from PENDING to its end on the emulator's clock,
 * the session it makes in use meanwhile, pause and resume, get-run and terminate. Every body
 * is judged by the SDK contract (jobs-sdk-contract.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle, EmulatorOptions, JobRunOutcomeRequest } from '../../src/emulator/index.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import { client, emulator, PROJECT, WORKSPACE } from './helpers.js';
import type { Client } from './helpers.js';
import { ok, sdkJobs } from './jobs-sdk-contract.js';
import type { SdkJobs } from './jobs-sdk-contract.js';

const DURATION = 1_000;
const BODY = { id: 'nightly', payload: [{ apiName: 'a', parameters: {} }, { apiName: 'b', parameters: {} }], configuration: {}, auth_session: { id: 'acme' } };

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(options: EmulatorOptions = {}): Promise<{ api: Client; jobs: SdkJobs; clock: VirtualClock }> {
  const clock = new VirtualClock(1_700_000_000_000);
  emu = await emulator({ jobRunDurationMs: DURATION, now: clock.now, ...options });
  emu.seedSession({ id: 'acme' });
  emu.seedSession({ id: 'other' });
  const api = client(emu);
  const jobs = sdkJobs(api);
  ok(await jobs.create(BODY));
  return { api, jobs, clock };
}

describe('a triggered run', () => {
  it('is PENDING until jobRunDurationMs has passed on the emulator clock, then COMPLETED with results', async () => {
    const { jobs, clock } = await setup();
    const { jobRunId, message } = ok(await jobs.trigger('nightly'));
    expect(message).toEqual(expect.any(String));
    const run = async (): Promise<any> => ok(await jobs.run('nightly', jobRunId));
    const pending = await run();
    expect(pending).toEqual({
      jobRun: {
        id: jobRunId,
        job_id: 'nightly',
        workspace_id: WORKSPACE,
        project_id: expect.any(String),
        type: 'MANUAL',
        status: 'PENDING',
        start_time: '2023-11-14T22:13:20.000Z',
        end_time: null,
        created_at: '2023-11-14T22:13:20.000Z',
        updated_at: '2023-11-14T22:13:20.000Z',
        payloads: 2,
        successful_runs: 0,
        failed_runs: 0,
        error: null,
        reason: null,
        job_configuration_snapshot: { configuration: { requestTimeout: 600 }, sink: null, auth_session: { id: 'acme', checkAttempts: 3, createAttempts: 3 }, proxy: null },
      },
    });
    clock.advance(DURATION - 1);
    expect((await run()).jobRun.status).toBe('PENDING');
    clock.advance(1);
    const done = await run();
    expect(done.jobRun).toMatchObject({ status: 'COMPLETED', end_time: '2023-11-14T22:13:21.000Z', successful_runs: 2, failed_runs: 0 });
    expect(done.results).toEqual({ signed_url: expect.stringMatching(/^https:\/\//), format: 'json', key: expect.any(String) });
    expect(ok(await jobs.list())[0].last_run_time).toBe('2023-11-14T22:13:20.000Z');
  });

  it('ends as jobRunOutcome scripts it: FAILURE with an error, or never for a hang', async () => {
    const asked: JobRunOutcomeRequest[] = [];
    let next: 'FAILURE' | 'hang' = 'FAILURE';
    const { jobs, clock } = await setup({ jobRunOutcome: (request) => (asked.push(request), next) });
    const failing = ok(await jobs.trigger('nightly')).jobRunId;
    next = 'hang';
    const hanging = ok(await jobs.trigger('nightly')).jobRunId;
    clock.advance(DURATION * 100);
    const failed = ok(await jobs.run('nightly', failing));
    expect(failed.jobRun).toMatchObject({ status: 'FAILURE', successful_runs: 0, failed_runs: 2, error: { code: 'internal-server-error', category: 'infrastructure' } });
    expect(failed).not.toHaveProperty('results');
    expect(ok(await jobs.run('nightly', hanging)).jobRun).toMatchObject({ status: 'PENDING', end_time: null });
    expect(asked).toEqual([
      { workspaceId: WORKSPACE, project: PROJECT, jobId: 'nightly' },
      { workspaceId: WORKSPACE, project: PROJECT, jobId: 'nightly' },
    ]);
  });

  it('lists triggered runs newest first, in pages', async () => {
    const { jobs } = await setup();
    const ids = [];
    for (let index = 0; index < 3; index += 1) ids.push(ok(await jobs.trigger('nightly')).jobRunId);
    const page = ok(await jobs.runs('nightly', '?pageNumber=1&pageSize=2'));
    expect(page.totalCount).toBe(3);
    expect(page.jobRuns.map((run: { id: string }) => run.id)).toEqual([ids[2], ids[1]]);
    expect(ok(await jobs.runs('nightly', '?pageNumber=2&pageSize=2')).jobRuns.map((run: { id: string }) => run.id)).toEqual([ids[0]]);
  });

  it('answers get and terminate of an unknown run, or a run of another job, with a typed 404', async () => {
    const { jobs } = await setup();
    ok(await jobs.create({ ...BODY, id: 'second' }));
    const { jobRunId } = ok(await jobs.trigger('second'));
    for (const answer of [await jobs.run('nightly', 'nope'), await jobs.terminate('nightly', jobRunId), await jobs.run('missing', jobRunId)]) {
      expect(answer).toMatchObject({ kind: 'typed-error', status: 404, body: { code: 'not-found', retirable: false, correlationId: expect.any(String) } });
    }
  });
});

describe('the session of an unfinished run', () => {
  it('is in use until the run completes', async () => {
    const { api, jobs, clock } = await setup();
    const { jobRunId } = ok(await jobs.trigger('nightly'));
    const refused = await api.delete('/auth-sessions/acme');
    expect(refused.status).toBe(409);
    expect(refused.body.details).toEqual({ jobId: 'nightly', jobRunId });
    clock.advance(DURATION);
    expect((await api.delete('/auth-sessions/acme')).status).toBe(204);
  });

  it('is the one in the run snapshot, whatever the job says since', async () => {
    const { api, jobs } = await setup({ jobRunOutcome: () => 'hang' });
    const { jobRunId } = ok(await jobs.trigger('nightly'));
    const { id: _id, ...update } = { ...BODY, auth_session: { id: 'other' } };
    ok(await jobs.update('nightly', update));
    expect(ok(await jobs.run('nightly', jobRunId)).jobRun.job_configuration_snapshot.auth_session.id).toBe('acme');
    expect((await api.delete('/auth-sessions/other')).status).toBe(204);
    expect((await api.delete('/auth-sessions/acme')).status).toBe(409);
  });

  it('is free once the job is deleted with its unfinished run', async () => {
    const { api, jobs } = await setup({ jobRunOutcome: () => 'hang' });
    ok(await jobs.trigger('nightly'));
    expect((await jobs.delete('nightly')).kind).toBe('ok');
    expect((await api.delete('/auth-sessions/acme')).status).toBe(204);
  });

  it('is free once the run is terminated (200), and terminating it again changes nothing', async () => {
    const { api, jobs, clock } = await setup({ jobRunOutcome: () => 'hang' });
    const { jobRunId } = ok(await jobs.trigger('nightly'));
    clock.advance(500);
    expect(ok(await jobs.terminate('nightly', jobRunId))).toEqual({ message: expect.any(String) });
    const terminated = ok(await jobs.run('nightly', jobRunId)).jobRun;
    expect(terminated).toMatchObject({ status: 'TERMINATED', end_time: '2023-11-14T22:13:20.500Z', reason: { type: 'user-request' } });
    ok(await jobs.terminate('nightly', jobRunId));
    expect(ok(await jobs.run('nightly', jobRunId)).jobRun).toEqual(terminated);
    expect((await api.delete('/auth-sessions/acme')).status).toBe(204);
  });
});

describe('pause and resume with runs', () => {
  it('pauses running runs (still in use), refuses a trigger with a typed 400, and resumes them for the time they had left', async () => {
    const { api, jobs, clock } = await setup();
    const { jobRunId } = ok(await jobs.trigger('nightly'));
    clock.advance(400);
    ok(await jobs.pause('nightly'));
    expect(await jobs.trigger('nightly')).toMatchObject({ kind: 'typed-error', status: 400, body: { code: 'bad-request' } });
    clock.advance(DURATION * 10);
    expect(ok(await jobs.run('nightly', jobRunId)).jobRun.status).toBe('PAUSED');
    expect((await api.delete('/auth-sessions/acme')).status).toBe(409);
    ok(await jobs.resume('nightly'));
    expect(ok(await jobs.run('nightly', jobRunId)).jobRun.status).toBe('PENDING');
    clock.advance(599);
    expect(ok(await jobs.run('nightly', jobRunId)).jobRun.status).toBe('PENDING');
    clock.advance(1);
    expect(ok(await jobs.run('nightly', jobRunId)).jobRun.status).toBe('COMPLETED');
    expect(ok(await jobs.runs('nightly')).totalCount).toBe(1);
  });
});
