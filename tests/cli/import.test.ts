/**
 * `import` through the built CLI against the emulator: it writes a file for each unmanaged
 * resource (or exactly the IDs asked for), never overwrites one, records nothing, and keeps every
 * secret Intuned holds out of its output and its files.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntunedApi } from '../../src/api/types.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { Project, STATE_FILE, WORKSPACE } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

const SESSIONS = 'intuned-resources/auth-sessions';
let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

/** A state that owns `ids`, as an earlier apply of this project left it. */
async function writeState(dir: string, ids: string[]): Promise<void> {
  const path = join(dir, STATE_FILE);
  await mkdir(dirname(path), { recursive: true });
  const sessions = Object.fromEntries(ids.map((id) => [id, { file: `${SESSIONS}/${id}.auth-session.jsonc` }]));
  await writeFile(path, JSON.stringify({ formatVersion: 1, workspaceId: WORKSPACE, project: 'cli-tests', keyId: 'k1', sessions }));
}

function writes(p: Project) {
  return p.emulator.requests.filter((request) => request.method !== 'GET');
}

describe('intuned-gitops import --kind auth-session (the built CLI)', () => {
  async function sessionsProject(): Promise<Project> {
    const p = (project = await Project.create());
    for (const [id, type] of [['crm-bot', 'CREDENTIALS'], ['recorded', 'RECORDER'], ['declared-bot', 'CREDENTIALS'], ['owned-bot', 'CREDENTIALS']] as const) {
      p.emulator.seedSession({ id, type, status: 'READY' });
    }
    await p.file('declared-bot.auth-session.jsonc', session({ user: 'bot' }));
    await writeState(p.dir, ['owned-bot']);
    return p;
  }

  it('writes a skeleton for each unmanaged CREDENTIALS session, skips the others, names the variables and records nothing', async () => {
    const p = await sessionsProject();
    const state = await p.stateText();
    const result = await p.run(['import', '--kind', 'auth-session']);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      `wrote ${SESSIONS}/crm-bot.auth-session.jsonc`,
      'skipped AuthSession "recorded": it is a RECORDER session; only CREDENTIALS sessions can be managed from files',
      "Imported 1 auth session. Intuned never returns a session's parameters, so each file is a skeleton: write the parameters your create code expects (the placeholders' names are a guess). The next apply runs each login once with them to adopt the session.",
      'Set these variables before the next apply (the placeholders read them):',
      '  AUTH_SESSION_CRM_BOT_USERNAME',
      '  AUTH_SESSION_CRM_BOT_PASSWORD',
      '',
    ]);
    expect(result.code).toBe(0);
    expect((await readdir(join(p.dir, SESSIONS))).sort()).toEqual(['crm-bot.auth-session.jsonc', 'declared-bot.auth-session.jsonc']);
    expect(await p.stateText()).toBe(state);
    expect(writes(p)).toEqual([]);

    // Until the placeholders' variables are set, the skeleton cannot be applied.
    const validate = await p.run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('AUTH_SESSION_CRM_BOT_USERNAME');
  });

  it('with IDs imports exactly those, and fails each declared, owned, absent or unmanageable one (exit 1)', async () => {
    const p = await sessionsProject();
    const declared = await readFile(join(p.dir, SESSIONS, 'declared-bot.auth-session.jsonc'), 'utf8');
    const result = await p.run(['import', '--kind', 'auth-session', 'recorded', 'declared-bot', 'crm-bot', 'missing-bot', 'owned-bot']);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `error: AuthSession "declared-bot": already declared by ${SESSIONS}/declared-bot.auth-session.jsonc; nothing to import`,
      'error: AuthSession "missing-bot": Intuned holds none with this ID in this project; check the ID and --project',
      'error: AuthSession "owned-bot": intuned-gitops manages it (the state file:.intuned-gitops/state.json owns it) and no file declares it any more, so the next apply deletes it; to keep it, restore its file (from git history, say) instead of importing it',
      'error: AuthSession "recorded": it is a RECORDER session; only CREDENTIALS sessions can be managed from files',
      '',
    ]);
    expect(result.stdout).toContain(`wrote ${SESSIONS}/crm-bot.auth-session.jsonc\n`);
    expect(result.stdout).toContain('Imported 1 auth session; 4 auth sessions failed.');
    expect(await readFile(join(p.dir, SESSIONS, 'declared-bot.auth-session.jsonc'), 'utf8')).toBe(declared);
  });

  it('prints one JSON document with what was written, skipped and failed, and the variables', async () => {
    const p = await sessionsProject();
    const result = await p.run(['import', '--kind', 'auth-session', '--output', 'json', 'crm-bot', 'recorded']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      formatVersion: 1,
      kind: 'auth-session',
      written: [{ id: 'crm-bot', file: `${SESSIONS}/crm-bot.auth-session.jsonc`, env: ['AUTH_SESSION_CRM_BOT_USERNAME', 'AUTH_SESSION_CRM_BOT_PASSWORD'] }],
      skipped: [],
      failed: [{ id: 'recorded', reason: 'AuthSession "recorded": it is a RECORDER session; only CREDENTIALS sessions can be managed from files' }],
      env: ['AUTH_SESSION_CRM_BOT_USERNAME', 'AUTH_SESSION_CRM_BOT_PASSWORD'],
    });
  });

  it('counts a file with problems as declaring its ID, and leaves it as it is', async () => {
    const p = await sessionsProject();
    const broken = '{ "parameters": { "user": "bot" ';
    await p.file('crm-bot.auth-session.jsonc', broken);
    const result = await p.run(['import', '--kind', 'auth-session', 'crm-bot']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: AuthSession "crm-bot": already declared by ${SESSIONS}/crm-bot.auth-session.jsonc; nothing to import\n`);
    expect(await readFile(join(p.dir, SESSIONS, 'crm-bot.auth-session.jsonc'), 'utf8')).toBe(broken);
  });

  it('never overwrites a file that appears after the files were read', async () => {
    const p = await sessionsProject();
    const target = join(p.dir, SESSIONS, 'crm-bot.auth-session.jsonc');
    // Only these calls are made; the file appears while Intuned is being read.
    const api = {
      listAuthSessions: async () => {
        await writeFile(target, 'written meanwhile');
        return [{ id: 'crm-bot', type: 'CREDENTIALS', status: 'READY' }];
      },
    } as unknown as IntunedApi;
    const output = bufferOutput();
    const code = await importCommand({ flags: { dir: p.dir, kind: 'auth-session' }, env: p.env, output, api });
    expect(code).toBe(1);
    expect(output.stderr).toBe(`error: AuthSession "crm-bot": ${SESSIONS}/crm-bot.auth-session.jsonc already exists and was left as it is; move it away and import again\n`);
    expect(await readFile(target, 'utf8')).toBe('written meanwhile');
  });

  it('says there is nothing to import, and exits 0, when everything is managed', async () => {
    const p = (project = await Project.create());
    p.emulator.seedSession({ id: 'recorded', type: 'RECORDER', status: 'READY' });
    const result = await p.run(['import', '--kind', 'auth-session']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'skipped AuthSession "recorded": it is a RECORDER session; only CREDENTIALS sessions can be managed from files\nNothing to import: every other auth session in Intuned is declared by a file or managed by intuned-gitops.\n',
    );
  });
});

const JOBS = 'intuned-resources/jobs';
const HOOK_TOKEN = 'Bearer hook-secret-0f9e8d7c';
const PROXY = 'http://proxy-user:proxy-pass-4b2a@proxy.example.com:8080';
const ACCESS_KEY_ID = 'AKIAIMPORTTEST42';
const SECRET_ACCESS_KEY = 's3-secret-import-9a8b7c6d';
const SECRETS = [HOOK_TOKEN, 'hook-secret-0f9e8d7c', PROXY, 'proxy-pass-4b2a', ACCESS_KEY_ID, SECRET_ACCESS_KEY];
/** What each imported variable must be set to for the files to say what Intuned holds. */
const VALUES = {
  JOB_NIGHTLY_ORDERS_SINK_HEADERS_AUTHORIZATION: HOOK_TOKEN,
  JOB_NIGHTLY_ORDERS_PROXY: PROXY,
  JOB_TO_BUCKET_SINK_ACCESS_KEY_ID: ACCESS_KEY_ID,
  JOB_TO_BUCKET_SINK_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
};

describe('intuned-gitops import (jobs, the default kind; the built CLI)', () => {
  async function jobsProject(): Promise<Project> {
    const p = (project = await Project.create());
    p.emulator.seedSession({ id: 'ops-team', type: 'CREDENTIALS', status: 'READY' });
    p.emulator.seedJob({
      id: 'nightly-orders',
      authSessionId: 'ops-team',
      state: 'PAUSED',
      definition: {
        payload: [{ apiName: 'orders/export', parameters: { since: 'yesterday' } }],
        configuration: { maxConcurrentRequests: 2 },
        schedule: { calendars: [{ hour: 2, minute: 30, dayOfWeek: { start: 'MONDAY', end: 'FRIDAY' } }] },
        sink: { type: 'webhook', url: 'https://hooks.example.com/orders', headers: { Authorization: HOOK_TOKEN } },
        proxy: PROXY,
      },
    });
    p.emulator.seedJob({
      id: 'to-bucket',
      definition: {
        payload: [{ apiName: 'catalog/sync', parameters: {} }],
        configuration: {},
        sink: { type: 's3', bucket: 'exports', region: 'eu-west-1', accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      },
    });
    p.emulator.seedJob({ id: 'declared-job', definition: { payload: [{ apiName: 'a/b', parameters: {} }], configuration: {} } });
    await p.jobFile('declared-job.job.json', { payload: [{ apiName: 'a/b', parameters: {} }], configuration: {} });
    return p;
  }

  it('writes each unmanaged job as Intuned holds it, its secrets as ${env:} references, and prints only their names', async () => {
    const p = await jobsProject();
    const result = await p.run(['import']);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      `wrote ${JOBS}/nightly-orders.job.jsonc`,
      `wrote ${JOBS}/to-bucket.job.jsonc`,
      'Imported 2 jobs. The next apply adopts them as they are: an update or nothing, never a create.',
      'Set these variables before the next apply (the secrets Intuned holds are not written in the files):',
      ...Object.keys(VALUES).map((name) => `  ${name}`),
      '',
    ]);
    expect(result.code).toBe(0);
    const files = await Promise.all(['nightly-orders', 'to-bucket'].map((id) => readFile(join(p.dir, JOBS, `${id}.job.jsonc`), 'utf8')));
    for (const text of [result.stdout, result.stderr, ...files]) for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(files[0]).toContain('// Intuned holds this job paused');
    expect(await readdir(join(p.dir, JOBS))).toHaveLength(3);
    expect(writes(p)).toEqual([]);

    // The files pass validate once the variables are set, and name them until then.
    const valid = await p.run(['validate'], VALUES);
    expect(valid.code).toBe(0);
    // The session the job uses exists in Intuned only: a warning, as for any such reference.
    expect(valid.stdout).toMatch(/warning: "auth_session.id" names AuthSession "ops-team".*\n✓ 0 auth sessions and 3 jobs valid in 3 files\n$/);
    const unset = await p.run(['validate']);
    expect(unset.code).toBe(1);
    for (const name of Object.keys(VALUES)) expect(unset.stdout).toContain(name);
  });

  it('is adopted by the next apply without a create or a change, and is then managed: nothing left to import', async () => {
    const p = await jobsProject();
    expect((await p.run(['import'])).code).toBe(0);
    const plan = JSON.parse((await p.run(['plan', '--output', 'json'], VALUES)).stdout) as { changes: { kind: string; id: string; action: string; reason: string }[] };
    const jobs = plan.changes.filter((change) => change.kind === 'job').map((change) => `${change.id} ${change.action}: ${change.reason}`);
    expect(jobs).toEqual([
      'declared-job noop: adopting the existing job: it already matches the file',
      'nightly-orders noop: adopting the existing job: it already matches the file (paused in Intuned, left paused)',
      'to-bucket noop: adopting the existing job: it already matches the file',
    ]);
    const apply = await p.run(['apply'], VALUES);
    expect(apply.code).toBe(0);
    expect(writes(p).filter((request) => request.path.includes('/jobs'))).toEqual([]);

    const again = await p.run(['import']);
    expect(again.stdout).toBe('Nothing to import: every job in Intuned is declared by a file or managed by intuned-gitops.\n');
    expect(again.code).toBe(0);

    // Once the state owns a job, removing its file does not make it importable: the apply deletes it.
    await p.removeJobFile('to-bucket.job.jsonc');
    expect((await p.run(['import'])).stdout).toBe('Nothing to import: every job in Intuned is declared by a file or managed by intuned-gitops.\n');
    const owned = await p.run(['import', 'to-bucket']);
    expect(owned.code).toBe(1);
    expect(owned.stderr).toBe('error: Job "to-bucket": intuned-gitops manages it (the state file:.intuned-gitops/state.json owns it) and no file declares it any more, so the next apply deletes it; to keep it, restore its file (from git history, say) instead of importing it\n');
  });

  it('reports each file it cannot write and goes on with the others', async () => {
    const p = await jobsProject();
    await rm(join(p.dir, JOBS), { recursive: true });
    await writeFile(join(p.dir, JOBS), 'a file where the jobs folder goes');
    const result = await p.run(['import', 'nightly-orders', 'to-bucket']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: Job "nightly-orders": ${JOBS}/nightly-orders.job.jsonc could not be written \\((EEXIST|ENOTDIR)\\)\nerror: Job "to-bucket": `));
    expect(result.stdout).toContain('Imported nothing; 2 jobs failed.');
  });

  it('imports exactly the IDs asked for, and lists the variables in the JSON document', async () => {
    const p = await jobsProject();
    const result = await p.run(['import', '--output', 'json', 'to-bucket', 'declared-job']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: Job "declared-job": already declared by ${JOBS}/declared-job.job.json; nothing to import\n`);
    const document = JSON.parse(result.stdout);
    expect(document.written).toEqual([{ id: 'to-bucket', file: `${JOBS}/to-bucket.job.jsonc`, env: ['JOB_TO_BUCKET_SINK_ACCESS_KEY_ID', 'JOB_TO_BUCKET_SINK_SECRET_ACCESS_KEY'] }]);
    expect(document.env).toEqual(['JOB_TO_BUCKET_SINK_ACCESS_KEY_ID', 'JOB_TO_BUCKET_SINK_SECRET_ACCESS_KEY']);
    expect(document.kind).toBe('job');
  });
});

describe('intuned-gitops import: usage and settings', () => {
  it.each([
    [['import', '--kind', 'webhook'], '--kind must be one of "job", "auth-session": got "webhook"'],
    [['import', '--output', 'markdown'], '--output must be one of "text", "json": got "markdown"'],
    [['import', '--kind', 'job', '--kind', 'job'], '--kind was given more than once; give it once'],
  ])('%j is a usage error of one line (exit 1)', async (args, message) => {
    const p = (project = await Project.create());
    const result = await p.run(args);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(p.emulator.requests).toEqual([]);
  });

  it('needs the API key, the workspace and the project, and names the missing ones', async () => {
    const p = (project = await Project.create());
    const result = await p.run(['import'], { INTUNED_API_KEY: '', INTUNED_PROJECT: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing settings: the project: --project or INTUNED_PROJECT; the API key: INTUNED_API_KEY (environment only, never a flag)');
    expect(p.emulator.requests).toEqual([]);
  });

  it('refuses a state written for another project', async () => {
    const p = (project = await Project.create());
    await writeState(p.dir, []);
    const result = await p.run(['import', '--project', 'other-project']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('belongs to workspace');
  });
});
