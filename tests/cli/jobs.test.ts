/**
 * Job files through the built CLI: `validate` checks both kinds and `schema job` prints the job
 * schema. Planning and applying jobs: jobs-apply.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { jobJsonSchemaText } from '../../src/resources/job-schema.js';
import { CLI, collect, Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

const JOBS = 'intuned-resources/jobs';
let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

const job = (extra: Record<string, unknown> = {}) => ({
  payload: [{ apiName: 'orders/export', parameters: {} }],
  configuration: {},
  ...extra,
});

describe('intuned-gitops with job files (the built CLI)', () => {
  it('validates sessions and jobs together, warning about a session no file declares, and exits 0', async () => {
    const p = (project = await Project.create());
    await p.file('crm-bot.auth-session.json', session({ user: 'bot' }));
    await p.jobFile('nightly-orders.job.json', job({ auth_session: { id: 'crm-bot' } }));
    await p.jobFile('reports/weekly-report.job.json', job({ auth_session: { id: 'made-in-dashboard' } }));
    const result = await p.run(['validate']);
    expect(result.stdout.split('\n')).toEqual([
      `${JOBS}/reports/weekly-report.job.json:10:11: warning: "auth_session.id" names AuthSession "made-in-dashboard", which no file in intuned-resources/auth-sessions declares; fine if it exists in Intuned (a session made in the dashboard, say), otherwise add its file or fix the ID`,
      '✓ 1 auth session and 2 jobs valid in 3 files',
      '',
    ]);
    expect(result.code).toBe(0);

    const json = await p.run(['validate', '--output', 'json']);
    const document = JSON.parse(json.stdout);
    expect(document.jobs).toEqual([
      { id: 'nightly-orders', file: `${JOBS}/nightly-orders.job.json` },
      { id: 'weekly-report', file: `${JOBS}/reports/weekly-report.job.json` },
    ]);
    expect(document.warnings).toHaveLength(1);
  });

  it('lists every problem of a bad job file with its position and exits 1; the plan refuses too', async () => {
    const p = (project = await Project.create());
    await p.file('crm-bot.auth-session.json', session({ user: 'bot' }));
    await p.jobFile('broken-job.job.json', { payload: [{ parameters: {} }], configuraton: {}, sink: { type: 'webhook', url: 'https://h.example.com', headers: { Authorization: '${env:HOOK_TOKEN}' } } });
    const result = await p.run(['validate']);
    expect(result.stdout.split('\n')).toEqual([
      `${JOBS}/broken-job.job.json:3:5: missing required key "apiName" in "payload.0": add it: the path of the API under api/, without extension (e.g. "products/list")`,
      `${JOBS}/broken-job.job.json:7:3: unknown key "configuraton"; did you mean "configuration"?`,
      `${JOBS}/broken-job.job.json:12:25: environment variable HOOK_TOKEN is not set; set it before running intuned-gitops (in CI, pass it from a secret)`,
      '3 problems in 1 file',
      '',
    ]);
    expect(result.code).toBe(1);
    const plan = await p.run(['plan']);
    expect(plan.code).toBe(1);
    expect(p.emulator.requests).toEqual([]);
  });

  it('prints the job schema with `schema job`, the session one with `schema`, and refuses another kind', async () => {
    const schema = (kind: string[]) => collect(spawn(process.execPath, [CLI, 'schema', ...kind], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const jobSchema = await schema(['job']);
    expect(jobSchema.code).toBe(0);
    expect(jobSchema.stdout).toBe(jobJsonSchemaText());
    const plain = await schema([]);
    expect(JSON.parse(plain.stdout).title).toBe('Intuned AuthSession');
    const other = await schema(['jobs']);
    expect(other.code).toBe(1);
    expect(other.stdout).toBe('');
    expect(other.stderr).toBe('error: kind must be one of "auth-session", "job": got "jobs" (see intuned-gitops --help)\n');
  });
});
