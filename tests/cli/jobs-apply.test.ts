/**
 * Jobs as code through the built CLI against the emulator, as a user runs it: the plan lists
 * both kinds, the apply creates sessions before the jobs that use them, edits and drift become
 * one update each, deletes wait for unfinished runs, and a kill mid-apply converges.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import { collect, Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';
import type { RequestLogEntry } from '../../src/emulator/index.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

const job = (extra: Record<string, unknown> = {}) => ({
  payload: [{ apiName: 'orders/export', parameters: { since: 'yesterday' } }],
  configuration: {},
  ...extra,
});
const hourly = (every = '1h') => job({ auth_session: { id: 'crm-bot' }, schedule: { intervals: [{ every }] } });
const TOKEN = 'Bearer hook-secret-0f9e8d7c';
const withSink = () => job({ auth_session: { id: 'crm-bot' }, sink: { type: 'webhook', url: 'https://hooks.example.com/orders', headers: { Authorization: '${env:HOOK_TOKEN}' } } });

const writes = (p: Project): RequestLogEntry[] => p.emulator.requests.filter((request) => request.method !== 'GET');
const jobWrites = (p: Project) => writes(p).filter((request) => request.path.includes('/jobs')).map((request) => `${request.method} ${request.path.replace(/^.*\/projects\/cli-tests/, '')} ${request.status}`);
const changesOf = (stdout: string) => (JSON.parse(stdout) as { changes: { kind: string; id: string; action: string; reason: string }[] }).changes;

async function sessionsAndJobs(emulator = {}): Promise<Project> {
  const p = (project = await Project.create(emulator));
  await p.file('crm-bot.auth-session.json', session({ username: 'bot', password: 'pw' }));
  await p.jobFile('hourly-prices.job.json', hourly());
  await p.jobFile('reports/no-login.job.json', job());
  return p;
}

describe('jobs as code (the built CLI)', () => {
  it('plans both kinds, creates each session before the jobs that use it, then plans nothing and sends nothing', async () => {
    const p = await sessionsAndJobs({ operationDurationMs: 400 });
    const plan = await p.run(['plan', '--output', 'json']);
    expect(plan.code).toBe(0);
    expect(changesOf(plan.stdout).map((change) => `${change.kind} ${change.id} ${change.action}`)).toEqual([
      'auth-session crm-bot create',
      'job hourly-prices create',
      'job no-login create',
    ]);

    const apply = await p.run(['apply']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 3 created, 0 updated, 0 deleted, 0 skipped, 0 failed.');
    expect(apply.stdout).toContain('✓ create job hourly-prices succeeded');
    const log = p.emulator.requests;
    const jobCreate = log.findIndex((request) => request.method === 'POST' && request.path.endsWith('/jobs') && (request.body as { id: string }).id === 'hourly-prices');
    const lastSessionPoll = log.findLastIndex((request) => request.method === 'GET' && request.path.includes('/auth-sessions/create/'));
    expect(lastSessionPoll).toBeGreaterThan(-1);
    expect(jobCreate).toBeGreaterThan(lastSessionPoll);
    expect(jobWrites(p)).toEqual(expect.arrayContaining(['POST /jobs 201']));

    const again = await p.run(['plan', '--output', 'json', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(changesOf(again.stdout).map((change) => `${change.kind} ${change.id} ${change.action}`)).toEqual([
      'auth-session crm-bot noop',
      'job hourly-prices noop',
      'job no-login noop',
    ]);
    const before = writes(p).length;
    expect((await p.run(['apply'])).code).toBe(0);
    expect(writes(p).length).toBe(before);
    expect(Object.keys((await p.state())!.jobs ?? {}).sort()).toEqual(['hourly-prices', 'no-login']);
  });

  it('does not create the jobs of a session that fails to log in, says why, and creates both once it is fixed', async () => {
    const p = (project = await Project.create());
    await p.file('crm-bot.auth-session.json', session({ username: 'bot', password: 'emulator:fail' }));
    await p.jobFile('hourly-prices.job.json', hourly());
    const first = await p.run(['apply']);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/⏭ create job hourly-prices skipped: not created: the create of its AuthSession crm-bot failed/);
    expect(jobWrites(p)).toEqual([]);

    await p.file('crm-bot.auth-session.json', session({ username: 'bot', password: 'fixed' }));
    const second = await p.run(['apply']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('✓ create job hourly-prices succeeded');
    expect(jobWrites(p)).toEqual(['POST /jobs 201']);
  });

  it('an edited schedule is one update naming the path and both values; a new sink secret is one update shown nowhere', async () => {
    const p = (project = await Project.create());
    await p.file('crm-bot.auth-session.json', session({ username: 'bot' }));
    await p.jobFile('hourly-prices.job.json', hourly());
    await p.jobFile('nightly-orders.job.json', withSink());
    const env = { HOOK_TOKEN: TOKEN };
    expect((await p.run(['apply'], env)).code).toBe(0);

    await p.jobFile('hourly-prices.job.json', hourly('30m'));
    const plan = await p.run(['plan'], env);
    expect(plan.stdout).toMatch(/~ update job hourly-prices +schedule\.intervals\[0\]\.every: "1h" → "30m"/);
    const before = jobWrites(p).length;
    expect((await p.run(['apply'], env)).code).toBe(0);
    expect(jobWrites(p).slice(before)).toEqual(['PUT /jobs/hourly-prices 200']);

    const rotated = { HOOK_TOKEN: 'Bearer rotated-7a6b5c4d' };
    const secretPlan = await p.run(['plan', '--output', 'json'], rotated);
    expect(changesOf(secretPlan.stdout).filter((change) => change.action !== 'noop')).toEqual([
      expect.objectContaining({ kind: 'job', id: 'nightly-orders', action: 'update', reason: 'sink.headers.Authorization changed' }),
    ]);
    const applied = await p.run(['apply'], rotated);
    expect(applied.code).toBe(0);
    expect(jobWrites(p).slice(before + 1)).toEqual(['PUT /jobs/nightly-orders 200']);
    const state = await p.stateText();
    for (const text of [secretPlan.stdout, secretPlan.stderr, applied.stdout, applied.stderr, state]) {
      expect(text).not.toContain('rotated-7a6b5c4d');
      expect(text).not.toContain('hook-secret-0f9e8d7c');
    }
    expect(((await p.api('GET', '/jobs/nightly-orders')).body as { sink: { headers: Record<string, string> } }).sink.headers.Authorization).toBe('Bearer rotated-7a6b5c4d');
  });

  it('shows a change made in Intuned as drift and puts it back', async () => {
    const p = await sessionsAndJobs();
    expect((await p.run(['apply'])).code).toBe(0);
    const changed = await p.api('PUT', '/jobs/hourly-prices', { ...hourly('5m'), proxy: null, sink: null });
    expect(changed.status).toBe(200);

    const plan = await p.run(['plan']);
    expect(plan.stdout).toMatch(/~ update job hourly-prices +changed in Intuned, put back: schedule\.intervals\[0\]\.every: "5m" → "1h"/);
    expect((await p.run(['apply'])).code).toBe(0);
    expect(((await p.api('GET', '/jobs/hourly-prices')).body as { schedule: unknown }).schedule).toEqual({ intervals: [{ every: '1h' }] });
    expect(JSON.parse((await p.run(['plan', '--output', 'json'])).stdout).hasChanges).toBe(false);
  });

  it('leaves a job made in Intuned alone, deletes a removed job, waits for an unfinished run, and deletes a job before its session', async () => {
    const p = await sessionsAndJobs({ jobRunDurationMs: 3_600_000 });
    expect((await p.run(['apply'])).code).toBe(0);
    expect((await p.api('POST', '/jobs', { id: 'made-in-dashboard', ...job() })).status).toBe(201);

    const unmanaged = JSON.parse((await p.run(['plan', '--output', 'json'])).stdout);
    expect(unmanaged.unmanagedJobs).toEqual(['made-in-dashboard']);
    expect((await p.run(['plan'])).stdout).toContain('Jobs not managed by intuned-gitops, left alone: made-in-dashboard');

    await p.removeJobFile('reports/no-login.job.json');
    const deleted = await p.run(['apply']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('✓ delete job no-login succeeded');

    const triggered = (await p.api('POST', '/jobs/hourly-prices/trigger')).body as { jobRunId: string };
    await p.removeJobFile('hourly-prices.job.json');
    await p.remove('crm-bot.auth-session.json');
    const waiting = await p.run(['apply', '--force']);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toMatch(/skip {3}job hourly-prices +file removed, but its run \S+ is PENDING; a later run deletes it/);
    expect(waiting.stdout).toMatch(/skip {3}session crm-bot +file removed, but it is in use by job hourly-prices/);

    p.emulator.setJobRunStatus('hourly-prices', triggered.jobRunId, 'COMPLETED');
    const before = p.emulator.requests.length;
    const last = await p.run(['apply', '--force']);
    expect(last.code).toBe(0);
    const order = p.emulator.requests.slice(before).filter((request) => request.method === 'DELETE').map((request) => request.path.replace(/^.*\/projects\/cli-tests/, ''));
    expect(order).toEqual(['/jobs/hourly-prices', '/auth-sessions/crm-bot']);
    const touching = writes(p).filter((request) => request.path.endsWith('/jobs/made-in-dashboard') || (request.body as { id?: string } | undefined)?.id === 'made-in-dashboard');
    expect(touching.map((request) => `${request.method} ${request.status}`)).toEqual(['POST 201']);
  });

  it('says which job it does not manage is left without its session when it deletes that session', async () => {
    const p = (project = await Project.create());
    await p.file('crm-bot.auth-session.json', session({ username: 'bot' }));
    expect((await p.run(['apply'])).code).toBe(0);
    expect((await p.api('POST', '/jobs', { id: 'made-in-dashboard', ...job({ auth_session: { id: 'crm-bot' } }) })).status).toBe(201);
    await p.remove('crm-bot.auth-session.json');
    const plan = await p.run(['plan', '--force']);
    expect(plan.stdout).toContain('- delete crm-bot  file removed; note: job made-in-dashboard, which intuned-gitops does not manage, names it as its AuthSession, so that job will have no session');
    expect((await p.run(['apply', '--force'])).stdout).toContain('✓ delete crm-bot succeeded');
  });

  it('refuses, sending nothing, to delete a session a remaining job file still names', async () => {
    const p = await sessionsAndJobs();
    expect((await p.run(['apply'])).code).toBe(0);
    await p.remove('crm-bot.auth-session.json');
    const before = writes(p).length;
    const refused = await p.run(['apply', '--force']);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('intuned-resources/jobs/hourly-prices.job.json still names it in "auth_session.id"');
    expect(writes(p).length).toBe(before);
  });

  it('errors on a job naming a session that exists nowhere, and creates the rest', async () => {
    const p = await sessionsAndJobs();
    await p.jobFile('orphan.job.json', job({ auth_session: { id: 'no-such-login' } }));
    const apply = await p.run(['apply']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('✗ job orphan (intuned-resources/jobs/orphan.job.json:12:11): "auth_session.id" names AuthSession "no-such-login", which no file declares and Intuned does not hold');
    expect(jobWrites(p)).toEqual(['POST /jobs 201', 'POST /jobs 201']);
  });

  it('converges after a SIGKILL with sessions and jobs in flight, creating nothing twice', async () => {
    const p = (project = await Project.create({ operationDurationMs: 1500 }));
    for (const id of ['login-a', 'login-b', 'login-c']) {
      await p.file(`${id}.auth-session.json`, session({ username: id }));
      await p.jobFile(`${id}-job.job.json`, job({ auth_session: { id } }));
    }
    await p.jobFile('free-job.job.json', job());
    const child = p.spawn(['apply']);
    const done = collect(child);
    // Killed once the sessions' logins run and the job without a session is written.
    while (!p.emulator.requests.some((request) => request.method === 'POST' && request.path.endsWith('/jobs'))) await delay(20);
    child.kill('SIGKILL');
    await done;

    const again = await p.run(['apply']);
    expect(again.code).toBe(0);
    expect(p.starts('create')).toEqual({ 'login-a': 1, 'login-b': 1, 'login-c': 1 });
    const created = p.emulator.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/jobs') && request.status === 201);
    expect(created.map((request) => (request.body as { id: string }).id).sort()).toEqual(['free-job', 'login-a-job', 'login-b-job', 'login-c-job']);
    const final = JSON.parse((await p.run(['plan', '--output', 'json'])).stdout);
    expect(final.hasChanges).toBe(false);
    expect(Object.keys((await p.state())!.jobs ?? {}).sort()).toEqual(['free-job', 'login-a-job', 'login-b-job', 'login-c-job']);
  });
});
