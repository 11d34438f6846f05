import { describe, expect, it } from 'vitest';
import { jobRecordsWith, planOf, remote, stateWith, summaryOf } from './builders.js';
import { desired } from '../helpers/sessions.js';
import { desiredJob, jobSpec, remoteJob, withIntunedDefaults } from '../helpers/jobs.js';
import type { JobSpec } from '../../src/resources/types.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanText } from '../../src/render/text.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import type { Plan } from '../../src/engine/types.js';

const ops = desired('ops-team');
const hourly = (spec: Partial<JobSpec> = {}) => desiredJob('hourly-prices', jobSpec('ops-team', { schedule: { intervals: [{ every: '1h' }] }, ...spec }));
const TOKEN = 'Bearer s3cr3t-token-value';
const webhook = (token = TOKEN): Partial<JobSpec> => ({ sink: { type: 'webhook', url: 'https://hooks.example.com/x', headers: { Authorization: token } } });
const sessions = { desired: [ops], remote: [remote('ops-team')], state: stateWith([ops]) };
const jobEntry = (plan: Plan) => plan.entries.find((entry) => entry.kind === 'job');

describe('plan: jobs', () => {
  it.each([
    ['a new job file is created', { desired: [hourly()] }, ['create job hourly-prices: new file']],
    [
      'a job equal to its file, defaults left out, is a noop',
      { desired: [hourly()], remote: [remoteJob('hourly-prices', hourly().spec)], records: jobRecordsWith([hourly()]) },
      ['noop job hourly-prices: up to date'],
    ],
    [
      'an edited schedule names the path and both values',
      { desired: [hourly({ schedule: { intervals: [{ every: '30m' }] } })], remote: [remoteJob('hourly-prices', hourly().spec)], records: jobRecordsWith([hourly()]) },
      ['update job hourly-prices: schedule.intervals[0].every: "1h" → "30m"'],
    ],
    [
      'a change made in Intuned is drift, put back',
      { desired: [hourly()], remote: [remoteJob('hourly-prices', hourly({ schedule: { intervals: [{ every: '5m' }] } }).spec)], records: jobRecordsWith([hourly()]) },
      ['update job hourly-prices: changed in Intuned, put back: schedule.intervals[0].every: "5m" → "1h"'],
    ],
    [
      'a job in Intuned equal to a new file is adopted without a write',
      { desired: [hourly()], remote: [remoteJob('hourly-prices', hourly().spec)] },
      ['noop job hourly-prices: adopting the existing job: it already matches the file'],
    ],
    [
      'a job in Intuned that differs from a new file is adopted by one update',
      { desired: [hourly()], remote: [remoteJob('hourly-prices', hourly({ schedule: null }).spec)] },
      ['update job hourly-prices: adopting the existing job: schedule set to {"intervals":[{"every":"1h"}]}'],
    ],
    [
      'a removed job file deletes the job',
      { remote: [remoteJob('hourly-prices', hourly().spec)], records: jobRecordsWith([hourly()]) },
      ['delete job hourly-prices: file removed'],
    ],
    [
      'a removed job file whose job has an unfinished run is skipped',
      { remote: [remoteJob('hourly-prices', hourly().spec)], records: jobRecordsWith([hourly()]), inUse: { 'hourly-prices': { jobId: 'hourly-prices', runId: 'run-7', runStatus: 'PENDING' } } },
      ['skip job hourly-prices: file removed, but its run run-7 is PENDING; a later run deletes it'],
    ],
    [
      'a removed job file whose job is gone is forgotten',
      { records: jobRecordsWith([hourly()]) },
      ['noop job hourly-prices: file removed and already gone from Intuned; forgetting it'],
    ],
    ['a job nobody declares and the state does not own is left alone', { remote: [remoteJob('made-in-dashboard')] }, []],
  ])('%s', (_name, jobs, expected) => {
    // Noops, skips and deletes of sessions and jobs interleave by the kinds' order; only what each line says matters here.
    expect(summaryOf({ ...sessions, jobs }).sort()).toEqual([...expected, 'noop ops-team: up to date'].sort());
  });

  it('treats every documented default as equal to leaving it out', () => {
    const job = desiredJob('defaults', jobSpec('ops-team', {
      payload: [{ apiName: 'a', parameters: {}, requestTimeout: 600, retry: { maximumAttempts: 3 } }],
      configuration: { requestTimeout: 600 },
      auth_session: { id: 'ops-team', checkAttempts: 3, createAttempts: 3 },
      sink: { type: 'webhook', url: 'https://h.example.com', skipOnFail: false },
    }));
    const plain = jobSpec('ops-team', { payload: [{ apiName: 'a', parameters: {} }], sink: { type: 'webhook', url: 'https://h.example.com' } });
    const inIntuned = remoteJob('defaults', plain, { definition: { ...withIntunedDefaults(plain), schedule: null, proxy: null } });
    const plan = planOf({ ...sessions, jobs: { desired: [job], remote: [inIntuned], records: jobRecordsWith([job]) } });
    expect(plan.entries.map((entry) => entry.action)).toEqual(['noop', 'noop']);
  });

  it('ignores keys a newer Intuned returns that no job file can hold, and a calendar step the API drops', () => {
    const spec = jobSpec('ops-team', { schedule: { calendars: [{ hour: { start: 1, step: 2 } }] } });
    const definition = withIntunedDefaults(jobSpec('ops-team', { schedule: { calendars: [{ hour: { start: 1 } }] } }));
    (definition.configuration as Record<string, unknown>).priorityLane = 'fast';
    const plan = planOf({ ...sessions, jobs: { desired: [desiredJob('cal', spec)], remote: [remoteJob('cal', spec, { definition })], records: jobRecordsWith([desiredJob('cal', spec)]) } });
    expect(jobEntry(plan)).toMatchObject({ kind: 'job', action: 'noop' });
  });

  describe('secret-bearing values', () => {
    const before = hourly(webhook());
    const after = hourly(webhook('Bearer rotated-token-value'));

    it('names a changed sink header, never its value, in the reason, JSON, text and markdown', () => {
      const plan = planOf({ ...sessions, jobs: { desired: [after], remote: [remoteJob('hourly-prices', before.spec)], records: jobRecordsWith([before]) } });
      expect(jobEntry(plan)).toMatchObject({ kind: 'job', action: 'update', reason: 'sink.headers.Authorization changed' });
      for (const output of [renderPlanJson(plan), renderPlanText(plan), renderPlanMarkdown(plan)]) {
        expect(output).not.toContain('rotated-token-value');
        expect(output).not.toContain('s3cr3t');
      }
      expect(JSON.parse(renderPlanJson(plan)).changes[0]).toMatchObject({ kind: 'job', changedFields: ['sink.headers.Authorization'] });
    });

    it('a value Intuned masks is compared with the fingerprint of what was applied: no drift', () => {
      const masked = { ...withIntunedDefaults(before.spec), sink: { ...withIntunedDefaults(before.spec).sink, headers: { Authorization: '********' } } };
      const unchanged = planOf({ ...sessions, jobs: { desired: [before], remote: [remoteJob('hourly-prices', before.spec, { definition: masked })], records: jobRecordsWith([before]) } });
      expect(jobEntry(unchanged)).toMatchObject({ action: 'noop' });
      const rotated = planOf({ ...sessions, jobs: { desired: [after], remote: [remoteJob('hourly-prices', before.spec, { definition: masked })], records: jobRecordsWith([before]) } });
      expect(jobEntry(rotated)).toMatchObject({ action: 'update', reason: 'sink.headers.Authorization changed' });
      const neverApplied = planOf({ ...sessions, jobs: { desired: [before], remote: [remoteJob('hourly-prices', before.spec, { definition: masked })] } });
      expect(jobEntry(neverApplied)).toMatchObject({ action: 'update' });
      expect(jobEntry(neverApplied)!.reason).toContain('sink.headers.Authorization not shown by Intuned');
    });

    it('a value from ${env:} anywhere is secret-bearing: compared, never shown', () => {
      const withToken = (token: string) => desiredJob('hourly-prices', jobSpec('ops-team', { payload: [{ apiName: 'a', parameters: { token } }] }), [['payload', 0, 'parameters', 'token']]);
      const plan = planOf({ ...sessions, jobs: { desired: [withToken('new-env-value')], remote: [remoteJob('hourly-prices', withToken('old-env-value').spec)], records: jobRecordsWith([withToken('old-env-value')]) } });
      expect(jobEntry(plan)).toMatchObject({ action: 'update', reason: 'payload[0].parameters.token changed' });
      expect(renderPlanText(plan)).not.toMatch(/env-value/);
    });
  });

  it('errors on a job whose session exists nowhere, and plans the rest', () => {
    const orphan = desiredJob('orphan', jobSpec('no-such-session'));
    const plan = planOf({ ...sessions, jobs: { desired: [orphan, hourly()] } });
    expect(plan.entries.map((entry) => `${entry.kind} ${entry.id}`)).toEqual(['job hourly-prices', 'auth-session ops-team']);
    expect(plan.errors).toEqual([
      {
        kind: 'job',
        id: 'orphan',
        file: orphan.file,
        message:
          '"auth_session.id" names AuthSession "no-such-session", which no file declares and Intuned does not hold; add its file in intuned-resources/auth-sessions, or fix the ID (the job is not created or updated)',
      },
    ]);
    expect(plan.unsafe).toBeUndefined();
  });

  it('accepts a session that only Intuned holds (made in the dashboard)', () => {
    const plan = planOf({ remote: [remote('recorder-login', 'RECORDER')], jobs: { desired: [desiredJob('uses-recorder', jobSpec('recorder-login'))] } });
    expect(plan.errors).toEqual([]);
    expect(plan.entries).toMatchObject([{ kind: 'job', action: 'create' }]);
  });

  it('refuses the whole plan when a removed session file is still named by a job file, even with --force', () => {
    const plan = planOf({ remote: [remote('ops-team')], state: stateWith([ops]), force: true, jobs: { desired: [hourly()], remote: [remoteJob('hourly-prices', hourly().spec)], records: jobRecordsWith([hourly()]) } });
    expect(plan.entries.some((entry) => entry.action === 'delete')).toBe(false);
    expect(plan.errors).toMatchObject([{ kind: 'auth-session', id: 'ops-team', message: expect.stringContaining('intuned-resources/jobs/hourly-prices.job.jsonc still names it') }]);
    expect(plan.unsafe?.message).toMatch(/^refusing to apply: 1 removed AuthSession file is still named by job files/);
  });

  it('orders session changes, job changes, noops, skips, job deletes, then session deletes', () => {
    const old = desired('old-login');
    const plan = planOf({
      desired: [desired('new-login')],
      remote: [remote('old-login'), remote('keep')],
      state: stateWith([old, desired('keep')], {}),
      force: true,
      jobs: {
        desired: [desiredJob('moved', jobSpec('new-login'))],
        remote: [remoteJob('moved', jobSpec('old-login')), remoteJob('gone-job', jobSpec('old-login'))],
        records: jobRecordsWith([desiredJob('moved', jobSpec('old-login')), desiredJob('gone-job', jobSpec('old-login'))]),
      },
    });
    expect(plan.entries.map((entry) => `${entry.action} ${entry.kind} ${entry.id}`)).toEqual([
      'create auth-session new-login',
      'update job moved',
      'delete job gone-job',
      'delete auth-session keep',
      'delete auth-session old-login',
    ]);
    expect(plan.entries[1]!.reason).toBe('auth_session.id: "old-login" → "new-login"');
  });

  it('shows a paused job as paused and leaves it so', () => {
    const plan = planOf({ ...sessions, jobs: { desired: [hourly()], remote: [remoteJob('hourly-prices', hourly().spec, { state: 'PAUSED' })], records: jobRecordsWith([hourly()]) } });
    expect(jobEntry(plan)).toMatchObject({ action: 'noop', paused: true, reason: 'up to date (paused in Intuned, left paused)' });
    expect(renderPlanText(plan)).toContain('Paused in Intuned (intuned-gitops neither pauses nor resumes jobs): hourly-prices');
  });

  it('applies the safety brake to jobs on their own', () => {
    const jobs = Array.from({ length: 3 }, (_, index) => desiredJob(`job-${index}`));
    const plan = planOf({ jobs: { remote: jobs.map((job) => remoteJob(job.id, job.spec)), records: jobRecordsWith(jobs) } });
    expect(plan.unsafe?.message).toMatch(/^refusing to delete all 3 managed jobs\./);
  });
});
