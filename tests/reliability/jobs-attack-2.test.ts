/**
 * Jobs as code attacked a second time, on what the first attack (jobs-attack.test.ts) left out:
 * the pinned plan of a pull request when only jobs differ, the `git:` state with jobs (racing
 * applies, a push that loses its race, a branch from before jobs), `import` round trips, a
 * thousand job files, every odd form a valid job file can take, and Ctrl-C while jobs wait for
 * their sessions. Each promise that broke got a test that failed on the code it was found in and
 * passes since its fix; those that held and were not covered elsewhere have tests too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CLI, collect, Project, type CliResult } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';
import { writeResourceFile } from '../helpers/resource-files.js';
import { parseStateDocument } from '../../src/state/document.js';
import type { StateDocument } from '../../src/state/types.js';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { Fixture, mergedPull, Origin, prEvent, pushEvent, sha, STATE_BRANCH, type Workspace } from '../action/harness.js';

let project: Project | undefined;
let fixture: Fixture | undefined;
let root: string | undefined;
afterEach(async () => {
  await project?.close();
  await fixture?.close();
  if (root) await rm(root, { recursive: true, force: true });
  project = undefined;
  fixture = undefined;
  root = undefined;
});

async function open(emulator: EmulatorOptions = {}): Promise<Project> {
  project = await Project.create(emulator);
  return project;
}

async function bareOrigin(): Promise<Origin> {
  root = await mkdtemp(join(tmpdir(), 'intuned-gitops-jobs-attack-2-'));
  return Origin.create(root);
}

const job = (extra: Record<string, unknown> = {}) => ({ payload: [{ apiName: 'orders/export', parameters: { since: 'yesterday' } }], configuration: {}, ...extra });
const onSession = (id: string, extra: Record<string, unknown> = {}) => job({ auth_session: { id }, ...extra });

async function jobFileIn(dir: string, name: string, body: unknown): Promise<void> {
  const path = join(dir, 'intuned-resources', 'jobs', name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(body, null, 2));
}

/** The built CLI on a clone of `origin`, its state on the origin's state branch. */
function gitCli(p: Project, dir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return collect(spawn(process.execPath, [CLI, ...args, '--state', `git:${STATE_BRANCH}`, '--dir', dir], { env: { ...p.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

async function branchState(origin: Origin): Promise<StateDocument> {
  return parseStateDocument((await origin.state())!, 'state branch');
}

/** Every write the emulator answered, as `METHOD /path status`. */
const writes = (p: Project) =>
  p.emulator.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path.replace(/^.*\/projects\/[^/]+/, '')} ${request.status}`);
const changes = (stdout: string) => (JSON.parse(stdout) as { changes: { kind: string; id: string; action: string }[] }).changes.map((change) => `${change.kind} ${change.id} ${change.action}`);

function expectNoSecret(texts: readonly string[], secrets: readonly string[]): void {
  for (const secret of secrets) expect(texts.filter((text) => text.includes(secret)).map((text) => `${secret} in: ${text.slice(0, 200)}`)).toEqual([]);
}

const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'rival', GIT_AUTHOR_EMAIL: 'rival@example.test', GIT_COMMITTER_NAME: 'rival', GIT_COMMITTER_EMAIL: 'rival@example.test' };

/**
 * Another writer of the state branch (a hand edit, a script) commits a record of its own on top
 * of the branch. Synchronous on purpose: called from the emulator's request hook, it lands
 * before the emulator answers anything else, so before the apply can reach its push.
 */
function rivalCommit(clone: string, change: (state: Record<string, any>) => void): void {
  const run = (...args: string[]) => execFileSync('git', args, { cwd: clone, env: { ...process.env, ...GIT_IDENTITY }, stdio: 'pipe' });
  run('fetch', '--quiet', 'origin', STATE_BRANCH);
  run('checkout', '--quiet', '-B', 'rival', 'FETCH_HEAD');
  const path = join(clone, 'state.json');
  const state = JSON.parse(readFileSync(path, 'utf8'));
  change(state);
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
  run('commit', '--quiet', '-am', 'a record made by hand');
  run('push', '--quiet', 'origin', `HEAD:${STATE_BRANCH}`);
}

describe('promises that broke under attack, and hold since', () => {
  it('git: an apply whose push loses the race to another writer keeps its own records in the merge', async () => {
    const p = await open({ operationDurationMs: 300 });
    const origin = await bareOrigin();
    const [mine, rival] = [await origin.clone(), await origin.clone()];
    await writeResourceFile(mine.dir, 'crm-bot.auth-session.json', session({ username: 'bot' }));
    for (const id of ['nightly-orders', 'hourly-prices']) await jobFileIn(mine.dir, `${id}.job.json`, onSession('crm-bot'));
    expect((await gitCli(p, mine.dir, ['apply'])).code).toBe(0);

    // This apply creates a job, deletes one and updates the session; meanwhile someone else
    // commits a record for a job of theirs to the state branch.
    await jobFileIn(mine.dir, 'weekly-audit.job.json', onSession('crm-bot'));
    await rm(join(mine.dir, 'intuned-resources', 'jobs', 'hourly-prices.job.json'));
    await writeResourceFile(mine.dir, 'crm-bot.auth-session.json', session({ username: 'bot-2' }));
    let committed = false;
    const stop = p.onRequest((event) => {
      if (committed || event.method !== 'POST' || !event.path.includes('/auth-sessions/')) return;
      committed = true;
      rivalCommit(rival.dir, (state) => {
        state.jobs['rival-made'] = { file: 'intuned-resources/jobs/rival-made.job.json', applied: { job: 'hmac-sha256:00', secrets: {} }, appliedAt: '2026-01-01T00:00:00.000Z' };
      });
    });
    const applied = await gitCli(p, mine.dir, ['apply']);
    stop();
    expect(committed).toBe(true);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);

    const state = await branchState(origin);
    // Theirs is kept, and so is everything this run did.
    expect(Object.keys(state.jobs ?? {}).sort()).toEqual(['nightly-orders', 'rival-made', 'weekly-audit']);
    const plan = await gitCli(p, mine.dir, ['plan', '--output', 'json']);
    expect(changes(plan.stdout).filter((change) => !change.endsWith('noop'))).toEqual([]);
  });

  it('with no state, a plan that adopts only jobs does not warn that sessions re-run their logins', async () => {
    const p = await open();
    p.emulator.seedJob({ id: 'nightly-orders', definition: { payload: [{ apiName: 'orders/export', parameters: { since: 'last-week' } }], configuration: {} } });
    await p.jobFile('nightly-orders.job.json', job());
    const plan = JSON.parse((await p.run(['plan', '--output', 'json'])).stdout) as { changes: { kind: string; action: string }[]; warnings: string[] };
    expect(plan.changes.map((change) => `${change.kind} ${change.action}`)).toEqual(['job update']);
    // No session is adopted and no login runs.
    expect(plan.warnings.filter((warning) => /re-runs its login/.test(warning))).toEqual([]);
  });

  it('Ctrl-C with a session delete held behind a job delete: the count of changes left includes it', async () => {
    const p = await open({ operationDurationMs: 3_000 });
    for (const id of ['crm-bot', 'old-bot']) await p.file(`${id}.auth-session.json`, session({ username: id }));
    for (const [id, login] of [['nightly-orders', 'crm-bot'], ['weekly-audit', 'old-bot'], ['keep-job1', 'crm-bot'], ['keep-job2', 'crm-bot']] as const) await p.jobFile(`${id}.job.json`, onSession(login));
    expect((await p.reconcile()).code).toBe(0);

    await p.file('crm-bot.auth-session.json', session({ username: 'crm-bot-2' }));
    await p.removeJobFile('weekly-audit.job.json');
    await p.remove('old-bot.auth-session.json');
    const child = p.spawn(['apply']);
    const done = collect(child);
    const start = p.emulator.requests.length;
    while (!p.emulator.requests.slice(start).some((request) => request.method === 'POST' && request.path.endsWith('/update'))) await delay(10);
    child.kill('SIGINT');
    const interrupted = await done;
    expect(interrupted.code).toBe(1);
    // Left for the next run: the delete of job weekly-audit and, after it, that of session old-bot.
    expect(interrupted.stderr).toMatch(/error: interrupted: 1 started operations? keeps? running in Intuned .*and starts the 2 not started/);
  }, 30_000);

  it('import -- -dash-job (the only way to name an ID that starts with "-") imports exactly that job, not every unmanaged one', async () => {
    const p = await open();
    for (const id of ['-dash-job', 'other-job', 'third-job']) p.emulator.seedJob({ id });
    // As a shell passes it: the flags first, then `--` and the IDs (every word after `--` is an ID).
    const imported = await collect(spawn(process.execPath, [CLI, 'import', '--dir', p.dir, '--', '-dash-job'], { env: p.env, stdio: ['ignore', 'pipe', 'pipe'], cwd: p.dir }));
    expect(imported.code).toBe(0);
    expect((await readdir(join(p.dir, 'intuned-resources', 'jobs'))).sort()).toEqual(['-dash-job.job.jsonc']);
  });

  it('the markdown plan keeps a job file warning\'s path as it is (not "Intuned-resources/…")', async () => {
    const p = await open();
    await p.jobFile('ab.job.json', job());
    const markdown = (await p.run(['plan', '--output', 'markdown'])).stdout;
    expect(markdown).toContain('intuned-resources/jobs/ab.job.json: ID "ab" (from the file name) is shorter than 7 characters');
    expect(markdown).not.toContain('Intuned-resources/');
  });
});

describe('pinned plans when only jobs differ', () => {
  const MERGE = sha('merge commit of #41');
  const HEAD = sha('last commit of #41');
  const hookJob = (extra: Record<string, unknown> = {}) => ({
    payload: [{ apiName: 'orders/export', parameters: {} }],
    configuration: {},
    auth_session: { id: 'acme' },
    sink: { type: 'webhook', url: 'https://hooks.example.com/orders', headers: { Authorization: 'Bearer ${env:HOOK_TOKEN}', 'X-Team': 'orders' } },
    ...extra,
  });
  const HOURLY = { schedule: { intervals: [{ every: '1h' }] } };

  /** Applied by a direct push; then pull request #41 adds a schedule to alpha-job, and its comment shows that one update. */
  async function reviewed(): Promise<Workspace> {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await workspace.file('acme.auth-session.json', session({ username: 'acme', password: '${env:ACME_PASSWORD}' }));
    await workspace.jobFile('alpha-job.job.json', hookJob());
    for (const id of ['beta-job', 'gamma-job', 'delta-job']) await workspace.jobFile(`${id}.job.json`, job());
    expect((await fixture.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: sha('first'), HOOK_TOKEN: 'hook-token-one' } })).result).toEqual({ flow: 'apply' });
    await workspace.jobFile('alpha-job.job.json', hookJob(HOURLY));
    const plan = await fixture.run({ workspace, event: prEvent({ number: 41, headSha: HEAD }), env: { HOOK_TOKEN: 'hook-token-one' } });
    expect(JSON.parse(plan.io.outputs.plan!).changes.filter((change: { action: string }) => change.action !== 'noop').map((change: { id: string; action: string }) => `${change.action} ${change.id}`)).toEqual(['update alpha-job']);
    mergedPull(fixture.github, 41, MERGE, [HEAD]);
    return workspace;
  }

  const comparison = (outputs: Record<string, string>) => JSON.parse(outputs['plan-comparison']!) as { matches: boolean; refused: boolean; unseenDeletes: { kind: string; id: string }[]; differences: string[] };

  it('refuses a job delete that the reviewed plan did not show: nothing sent, the state branch untouched', async () => {
    const workspace = await reviewed();
    await rm(join(workspace.dir, 'intuned-resources', 'jobs', 'gamma-job.job.json'));
    const commits = await fixture!.origin.commits();
    const before = fixture!.emulator.requests.length;
    const { result, io } = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: MERGE, HOOK_TOKEN: 'hook-token-one' } });
    expect(result.failure).toMatch(/^the plan deletes 1 resource\(s\) that the reviewed plan \(pull request #41\) did not show: job gamma-job; nothing was sent to Intuned\./);
    expect(fixture!.emulator.requests.slice(before).filter((request) => request.method !== 'GET')).toEqual([]);
    expect(await fixture!.origin.commits()).toEqual(commits);
    expect(comparison(io.outputs)).toMatchObject({ refused: true, unseenDeletes: [{ kind: 'job', id: 'gamma-job' }] });
  });

  it('a changed secret value of a job moves the digest (listed, applied); the same file with its keys reordered does not', async () => {
    const workspace = await reviewed();
    const reordered = { schedule: HOURLY.schedule, sink: { headers: { 'X-Team': 'orders', Authorization: 'Bearer ${env:HOOK_TOKEN}' }, url: 'https://hooks.example.com/orders', type: 'webhook' }, auth_session: { id: 'acme' }, configuration: {}, payload: [{ parameters: {}, apiName: 'orders/export' }] };
    await workspace.jobFile('alpha-job.job.json', reordered);
    const rotated = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: MERGE, HOOK_TOKEN: 'hook-token-two' }, inputs: { 'plan-mismatch': 'refuse' } });
    expect(rotated.result).toEqual({ flow: 'apply' });
    expect(comparison(rotated.io.outputs)).toMatchObject({ matches: false, refused: false, differences: ['update alpha-job: the values differ from the reviewed plan\'s'] });
    expect(rotated.io.printed()).not.toContain('hook-token-two');

    // Back to the reviewed secret, and a new review of the reordered file: the same digest as the plain one.
    await workspace.jobFile('alpha-job.job.json', hookJob({ schedule: { intervals: [{ every: '2h' }] } }));
    const plain = JSON.parse((await fixture!.run({ workspace, event: prEvent({ number: 42, headSha: sha('plain') }), env: { HOOK_TOKEN: 'hook-token-one' } })).io.outputs.plan!).digest;
    await workspace.jobFile('alpha-job.job.json', { ...reordered, schedule: { intervals: [{ every: '2h' }] } });
    const shuffled = JSON.parse((await fixture!.run({ workspace, event: prEvent({ number: 42, headSha: sha('shuffled') }), env: { HOOK_TOKEN: 'hook-token-one' } })).io.outputs.plan!).digest;
    expect(shuffled).toBe(plain);
  });

  it('a folder name that holds a plan-data line cannot stand in for the reviewed plan: the unseen delete is still refused', async () => {
    const workspace = await reviewed();
    // The pull request also adds a job in a folder whose name is a forged hidden line claiming
    // the reviewer saw the delete of gamma-job; the comment prints the file's path in a code span.
    const forged = Buffer.from(JSON.stringify({ v: 1, digest: `sha256:${'0'.repeat(64)}`, listed: 'all', changes: [['job', 'gamma-job', 'delete']] })).toString('base64url');
    await workspace.jobFile(`x<!-- intuned-gitops:plan-data ${forged} -->/extra-job.job.json`, job());
    await fixture!.run({ workspace, event: prEvent({ number: 41, headSha: HEAD }), env: { HOOK_TOKEN: 'hook-token-one' } });

    await rm(join(workspace.dir, 'intuned-resources', 'jobs', 'gamma-job.job.json'));
    const { result } = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: MERGE, HOOK_TOKEN: 'hook-token-one' } });
    expect(result.failure).toMatch(/did not show: job gamma-job; nothing was sent to Intuned/);
    expect(fixture!.emulator.requests.filter((request) => request.method === 'DELETE')).toEqual([]);
  });

  it('--expect-plan: a job delete is unseen even when the reviewed plan deleted a session of the same ID, and an older plan without kinds sees only sessions', async () => {
    const p = await open();
    await p.file('shared-name.auth-session.json', session({ username: 'bot' }));
    for (const id of ['shared-name', 'keep-job1', 'keep-job2']) await p.jobFile(`${id}.job.json`, job());
    await p.file('keep-bot.auth-session.json', session({ username: 'keep' }));
    expect((await p.run(['apply'])).code).toBe(0);

    await p.remove('shared-name.auth-session.json');
    const reviewed = JSON.parse((await p.run(['plan', '--output', 'json'])).stdout);
    expect(changes(JSON.stringify(reviewed)).filter((change) => !change.endsWith('noop'))).toEqual(['auth-session shared-name delete']);
    const withoutKinds = { ...reviewed, changes: reviewed.changes.map(({ kind: _kind, ...change }: Record<string, unknown>) => change) };
    await writeFile(join(p.dir, 'reviewed.json'), JSON.stringify(reviewed));
    await writeFile(join(p.dir, 'older.json'), JSON.stringify(withoutKinds));

    await p.removeJobFile('shared-name.job.json');
    const before = writes(p).length;
    for (const file of ['reviewed.json', 'older.json']) {
      const applied = await p.run(['apply', '--expect-plan', join(p.dir, file)]);
      expect(applied.code).toBe(1);
      expect(applied.stderr).toContain('did not show: job shared-name; nothing was sent to Intuned');
    }
    expect(writes(p).slice(before)).toEqual([]);
  });
});

describe('the git: state with jobs', () => {
  it('two applies at once from two clones: one runs, one is refused at once; no job is created twice, and the branch knows each', async () => {
    const p = await open({ operationDurationMs: 1_000 });
    const origin = await bareOrigin();
    const clones = [await origin.clone(), await origin.clone()];
    for (const clone of clones) {
      await writeResourceFile(clone.dir, 'crm-bot.auth-session.json', session({ username: 'bot' }));
      for (const id of ['nightly-orders', 'hourly-prices', 'weekly-audit']) await jobFileIn(clone.dir, `${id}.job.json`, onSession('crm-bot'));
    }
    const pair = await Promise.all(clones.map((clone) => gitCli(p, clone.dir, ['apply'])));
    expect(pair.map((result) => result.code).sort()).toEqual([0, 1]);
    expect(pair.find((result) => result.code === 1)!.stderr).toMatch(/is locked by another apply since .*Nothing was changed\./);
    const creates = p.emulator.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/jobs')).map((request) => (request.body as { id: string }).id);
    expect(creates.sort()).toEqual(['hourly-prices', 'nightly-orders', 'weekly-audit']);
    expect(Object.keys((await branchState(origin)).jobs ?? {}).sort()).toEqual(['hourly-prices', 'nightly-orders', 'weekly-audit']);
    const plan = await gitCli(p, clones[1]!.dir, ['plan', '--detailed-exitcode']);
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('a state branch written before jobs: the first apply with job files records them beside the sessions, and the next plan is noop', async () => {
    const p = await open();
    const origin = await bareOrigin();
    const clone = await origin.clone();
    await writeResourceFile(clone.dir, 'crm-bot.auth-session.json', session({ username: 'bot' }));
    expect((await gitCli(p, clone.dir, ['apply'])).code).toBe(0);
    const before = JSON.parse((await origin.state())!);
    expect(Object.keys(before)).toEqual(['formatVersion', 'workspaceId', 'project', 'keyId', 'sessions']);

    await jobFileIn(clone.dir, 'nightly-orders.job.json', onSession('crm-bot', { sink: { type: 'webhook', url: 'https://hooks.example.com/x', headers: { Authorization: '${env:HOOK}' } } }));
    const env = { HOOK: 'hook-secret-Qa71Vn' };
    const applied = await gitCli(p, clone.dir, ['apply'], env);
    expect(applied.stdout).toContain('✓ create job nightly-orders succeeded');
    const after = await branchState(origin);
    expect(after.sessions['crm-bot']).toEqual(before.sessions['crm-bot']);
    expect(Object.keys(after.jobs ?? {})).toEqual(['nightly-orders']);
    expect(await origin.state()).not.toContain(env.HOOK);
    expect((await gitCli(p, clone.dir, ['plan', '--detailed-exitcode'], env)).code).toBe(0);
  });
});

describe('Ctrl-C while jobs wait for their sessions', () => {
  it('exits 1 with what was left; the branch records the logins it started and no job it did not write; the next run converges without a second create', async () => {
    const p = await open({ operationDurationMs: 2_500 });
    const origin = await bareOrigin();
    const clone = await origin.clone();
    await writeResourceFile(clone.dir, 'crm-bot.auth-session.json', session({ username: 'bot' }));
    await writeResourceFile(clone.dir, 'new-bot.auth-session.json', session({ username: 'new' }));
    for (const id of ['nightly-orders', 'hourly-prices']) await jobFileIn(clone.dir, `${id}.job.json`, onSession('crm-bot'));
    await jobFileIn(clone.dir, 'partner-sync.job.json', onSession('new-bot'));
    await jobFileIn(clone.dir, 'free-standing.job.json', job());

    const child = spawn(process.execPath, [CLI, 'apply', '--output', 'json', '--state', `git:${STATE_BRANCH}`, '--dir', clone.dir], { env: p.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const done = collect(child);
    // Interrupted once both logins started and the job without a session was written.
    while (p.emulator.operations().length < 2 || !p.emulator.requests.some((request) => request.method === 'POST' && request.path.endsWith('/jobs'))) await delay(10);
    child.kill('SIGINT');
    const interrupted = await done;
    expect(interrupted.code).toBe(1);
    expect(JSON.parse(interrupted.stdout).error.message).toMatch(/^interrupted: 2 started operations keep running in Intuned .* starts the 3 not started$/);

    const state = await branchState(origin);
    expect(Object.fromEntries(Object.entries(state.sessions).map(([id, record]) => [id, record.operation?.status]))).toEqual({ 'crm-bot': 'started', 'new-bot': 'started' });
    expect(Object.keys(state.jobs ?? {})).toEqual(['free-standing']);

    const next = await gitCli(p, clone.dir, ['apply']);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toContain('waiting for the create an earlier run started');
    expect(p.emulator.operations().filter((operation) => operation.kind === 'create').length).toBe(2);
    const creates = p.emulator.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/jobs') && request.status === 201).map((request) => (request.body as { id: string }).id);
    expect(creates.sort()).toEqual(['free-standing', 'hourly-prices', 'nightly-orders', 'partner-sync']);
    expect((await gitCli(p, clone.dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
  }, 30_000);
});

/** Every calendar form (value, range, range with step, arrays of those, "*", names), jitter and both interval forms. */
const EVERY_SCHEDULE = {
  jitter: '5m',
  intervals: [{ every: 3_600_000 }, { every: '30m' }],
  calendars: [
    { second: 0, minute: { start: 0, end: 30 }, hour: { start: 1, step: 2, end: 23 }, dayOfMonth: [1, { start: 10, end: 15 }, { start: 20, step: 2, end: 28 }], month: ['JANUARY', { start: 'MARCH', end: 'MAY' }], year: '*', dayOfWeek: { start: 'MONDAY', end: 'FRIDAY' }, comment: 'weekdays' },
    { month: '*', dayOfWeek: ['SUNDAY', 'SATURDAY'], hour: [], year: [2026, { start: 2027, step: 1, end: 2030 }] },
  ],
};

describe('import', () => {
  const SEEDED = { accessKeyId: 'AKIA-SEEDED-Zq41', secretAccessKey: 'seeded-s3-secret-Wq28', proxy: 'http://scraper:seeded-proxy-pw-Lp37@proxy.example.com:8080', authorization: 'Bearer seeded-hook-Tk45', apiKey: 'seeded-api-key-Rk52' };
  const ENV = {
    JOB_TO_BUCKET_JOB_SINK_ACCESS_KEY_ID: SEEDED.accessKeyId,
    JOB_TO_BUCKET_JOB_SINK_SECRET_ACCESS_KEY: SEEDED.secretAccessKey,
    JOB_TO_BUCKET_JOB_PROXY: SEEDED.proxy,
    JOB_TO_HOOK_JOB_SINK_HEADERS_AUTHORIZATION: SEEDED.authorization,
    JOB_TO_HOOK_JOB_SINK_HEADERS_X_API_KEY: SEEDED.apiKey,
  };

  function seed(p: Project): void {
    p.emulator.seedSession({ id: 'dash-login' });
    p.emulator.seedJob({
      id: 'to-bucket-job',
      authSessionId: 'dash-login',
      definition: {
        payload: [{ apiName: 'orders/export', parameters: { literal: '${env:NOT_A_REFERENCE}', nothing: null }, requestTimeout: 900, retry: { maximumAttempts: 5 } }],
        configuration: { maxConcurrentRequests: 2.5, retry: { maximumAttempts: 2 } },
        schedule: EVERY_SCHEDULE,
        sink: { type: 's3', bucket: 'exports', region: 'eu-west-1', accessKeyId: SEEDED.accessKeyId, secretAccessKey: SEEDED.secretAccessKey, prefix: 'jobs/', endpoint: 'https://minio.example.com:9000', forcePathStyle: true, apisToSend: ['orders/export'] },
        proxy: SEEDED.proxy,
      } as never,
    });
    p.emulator.seedJob({ id: 'to-hook-job', definition: { payload: [{ apiName: 'a/b', parameters: {} }], configuration: {}, sink: { type: 'webhook', url: 'https://hooks.example.com/x', headers: { Authorization: SEEDED.authorization, 'x-api-key': SEEDED.apiKey }, skipOnFail: true } } as never });
    for (const id of ['__proto__', 'constructor', 'ab']) p.emulator.seedJob({ id });
  }

  it.each([false, true])('round trip (Intuned masks secrets: %s): files with references only, validate passes, the plan adopts with updates or nothing, never a create', async (maskJobSecrets) => {
    const p = await open({ maskJobSecrets });
    seed(p);
    const imported = await p.run(['import']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.split('\n').filter((line) => /^ {2}JOB_/.test(line)).map((line) => line.trim()).sort()).toEqual(Object.keys(ENV).sort());
    const folder = join(p.dir, 'intuned-resources', 'jobs');
    const files = (await readdir(folder)).sort();
    expect(files).toEqual(['__proto__.job.jsonc', 'ab.job.jsonc', 'constructor.job.jsonc', 'to-bucket-job.job.jsonc', 'to-hook-job.job.jsonc']);
    const texts = await Promise.all(files.map((file) => readFile(join(folder, file), 'utf8')));
    expectNoSecret([...texts, imported.stdout, imported.stderr], Object.values(SEEDED));
    expect(texts[3]).toContain('"literal": "$${env:NOT_A_REFERENCE}"');

    expect((await p.run(['validate'], ENV)).code).toBe(0);
    const plan = await p.run(['plan', '--output', 'json'], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    const planned = changes(plan.stdout).filter((change) => change.startsWith('job '));
    expect(planned.filter((change) => !/ (update|noop)$/.test(change))).toEqual([]);
    expect(planned.filter((change) => change.endsWith(' update'))).toEqual(maskJobSecrets ? ['job to-bucket-job update', 'job to-hook-job update'] : []);

    const applied = await p.run(['apply'], ENV);
    expect(applied.code).toBe(0);
    expect(writes(p).filter((write) => write.startsWith('POST /jobs'))).toEqual([]);
    expect((await p.run(['plan', '--detailed-exitcode'], ENV)).code).toBe(0);
    expectNoSecret([applied.stdout, applied.stderr, await p.stateText()], Object.values(SEEDED));
    // What was imported with the seeded values is what Intuned still holds.
    expect((await p.api('GET', '/jobs/to-bucket-job')).body.schedule).toEqual(EVERY_SCHEDULE);

    // Twice: nothing more to write. Asked by ID while a file declares it: refused, nothing written.
    const again = await p.run(['import']);
    expect({ code: again.code, out: again.stdout }).toEqual({ code: 0, out: expect.stringContaining('Nothing to import') });
    const declared = await p.run(['import', 'to-hook-job', 'constructor']);
    expect(declared.code).toBe(1);
    expect(declared.stderr).toContain('Job "constructor": already declared by intuned-resources/jobs/constructor.job.jsonc; nothing to import');
    expect((await readdir(folder)).sort()).toEqual(files);
  });

  it('a file in a subfolder, or one that does not parse, declares its ID: neither is imported over', async () => {
    const p = await open();
    seed(p);
    await p.jobFile('nightly/to-hook-job.job.json', job());
    await p.jobFile('to-bucket-job.job.json', '{ "payload": [ broken');
    const imported = await p.run(['import', '--output', 'json']);
    const report = JSON.parse(imported.stdout) as { written: { id: string }[] };
    expect(report.written.map((entry) => entry.id).sort()).toEqual(['__proto__', 'ab', 'constructor']);
    const asked = await p.run(['import', 'to-bucket-job']);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('already declared by intuned-resources/jobs/to-bucket-job.job.json');
  });
});

describe('weird but valid job files', () => {
  const ENV = { API_PART: 'export', S3_ID: 'AKIA-env-Id-Xk17', S3_SECRET: 's3-secret-Gh73', PROXY_PW: 'proxy-pw-Kk29', HOOK_HOST: 'hooks.example.com', TOKEN: 'hook-token-Zz94' };
  const LITERAL_PROXY_PW = 'literal-proxy-pw-Q7m2';
  const everything = (): Record<string, any> => ({
    payload: [
      { apiName: 'orders/${env:API_PART}', parameters: { a: 1 }, requestTimeout: 900, retry: { maximumAttempts: 5 } },
      { apiName: 'b/c', parameters: {} },
    ],
    configuration: { maxConcurrentRequests: 2.5, retry: { maximumAttempts: 2 }, requestTimeout: 300 },
    schedule: structuredClone({ ...EVERY_SCHEDULE, jitter: 30_000 }),
    sink: { type: 's3', bucket: 'exports', region: 'eu-west-1', accessKeyId: '${env:S3_ID}', secretAccessKey: '${env:S3_SECRET}', prefix: 'jobs/', endpoint: 'https://minio.example.com:9000', forcePathStyle: true, skipOnFail: true, apisToSend: ['b/c'] },
    proxy: 'http://scraper:${env:PROXY_PW}@proxy.example.com:8080',
  });
  const hook = (): Record<string, any> => ({
    payload: [{ apiName: 'x/y', parameters: {} }],
    configuration: {},
    sink: { type: 'webhook', url: 'https://${env:HOOK_HOST}/intuned', headers: { Authorization: 'Bearer ${env:TOKEN}', 'X-Team': 'orders' }, apisToSend: ['x/y'] },
    proxy: `socks5://scraper:${LITERAL_PROXY_PW}@proxy.example.com:1080`,
  });

  /** An edit, and the reason the plan must give for it (`job ID: reason`). */
  const EDITS: [string, (every: Record<string, any>, webhook: Record<string, any>) => void, Record<string, string>, string][] = [
    ['${env:} inside apiName', () => {}, { API_PART: 'import' }, 'everything-job: payload[0].apiName changed'],
    ['${env:} inside a webhook url', () => {}, { HOOK_HOST: 'hooks-2.example.com' }, 'hook-job: sink.url changed'],
    ['a literal proxy password', (_, webhook) => void (webhook.proxy = webhook.proxy.replace(LITERAL_PROXY_PW, 'another-pw')), {}, 'hook-job: proxy changed'],
    ['an S3 key from ${env:}', () => {}, { S3_SECRET: 's3-secret-Gh74' }, 'everything-job: sink.secretAccessKey changed'],
    ['jitter', (every) => void (every.schedule.jitter = '30s'), {}, 'everything-job: schedule.jitter: 30000 → "30s"'],
    ['a range step', (every) => void (every.schedule.calendars[0].hour.step = 3), {}, 'everything-job: schedule.calendars[0].hour.step: 2 → 3'],
    ['a range in an array', (every) => void (every.schedule.calendars[0].dayOfMonth[2].end = 30), {}, 'everything-job: schedule.calendars[0].dayOfMonth[2].end: 28 → 30'],
    ['a month name', (every) => void (every.schedule.calendars[0].month[1].end = 'JUNE'), {}, 'everything-job: schedule.calendars[0].month[1].end: "MAY" → "JUNE"'],
    ['"*" to a value', (every) => void (every.schedule.calendars[0].year = 2026), {}, 'everything-job: schedule.calendars[0].year: "*" → 2026'],
    ['a day dropped from an array', (every) => void (every.schedule.calendars[1].dayOfWeek = ['SUNDAY']), {}, 'everything-job: schedule.calendars[1].dayOfWeek[1] removed (was "SATURDAY")'],
    ['maxConcurrentRequests', (every) => void (every.configuration.maxConcurrentRequests = 3), {}, 'everything-job: configuration.maxConcurrentRequests: 2.5 → 3'],
    ['apisToSend cleared', (_, webhook) => void (webhook.sink.apisToSend = []), {}, 'hook-job: sink.apisToSend[0] removed (was "x/y")'],
    ['endpoint', (every) => void (every.sink.endpoint = 'https://minio-2.example.com'), {}, 'everything-job: sink.endpoint: "https://minio.example.com:9000" → "https://minio-2.example.com"'],
    ['forcePathStyle left out', (every) => void delete every.sink.forcePathStyle, {}, 'everything-job: sink.forcePathStyle removed (was true)'],
    ['a literal header', (_, webhook) => void (webhook.sink.headers['X-Team'] = 'billing'), {}, 'hook-job: sink.headers["X-Team"] changed'],
  ];

  it.each([false, true])('every form round-trips (Intuned masks secrets: %s): apply, then noop; each edit names its path, and no secret shows', async (maskJobSecrets) => {
    const p = await open({ maskJobSecrets });
    await p.jobFile('everything-job.job.jsonc', everything());
    await p.jobFile('hook-job.job.json', hook());
    expect((await p.run(['apply'], ENV)).code).toBe(0);
    expect((await p.run(['plan', '--detailed-exitcode'], ENV)).code).toBe(0);

    const outputs: string[] = [];
    for (const [what, edit, env, reason] of EDITS) {
      const [every, webhook] = [everything(), hook()];
      edit(every, webhook);
      await p.jobFile('everything-job.job.jsonc', every);
      await p.jobFile('hook-job.job.json', webhook);
      const plan = await p.reconcile({ dryRun: true, env: { ...ENV, ...env }, flags: { output: 'json' } });
      const updates = (JSON.parse(plan.stdout).changes as { id: string; action: string; reason: string }[]).filter((change) => change.action === 'update');
      expect({ what, reasons: updates.map((change) => `${change.id}: ${change.reason}`) }).toEqual({ what, reasons: [reason] });
      outputs.push(plan.stdout, plan.stderr, (await p.reconcile({ dryRun: true, env: { ...ENV, ...env } })).stdout);
    }
    // Key order and header order are not changes.
    const [every, webhook] = [everything(), hook()];
    await p.jobFile('everything-job.job.jsonc', Object.fromEntries(Object.entries(every).reverse()));
    await p.jobFile('hook-job.job.json', { ...webhook, sink: { ...webhook.sink, headers: { 'X-Team': 'orders', Authorization: 'Bearer ${env:TOKEN}' } } });
    expect((await p.run(['plan', '--detailed-exitcode'], ENV)).code).toBe(0);
    outputs.push(await p.stateText(), (await p.run(['plan', '--output', 'markdown'], ENV)).stdout);
    expectNoSecret(outputs, [ENV.S3_ID, ENV.S3_SECRET, ENV.PROXY_PW, ENV.TOKEN, 's3-secret-Gh74', LITERAL_PROXY_PW]);
  }, 30_000);
});

describe('scale', () => {
  it('1,000 job files and 100 sessions in sync: the plan reads one session list and one job list, nothing per job', async () => {
    const p = await open({ operationDurationMs: 20, maxConcurrentOperations: 200 });
    const files: Promise<void>[] = [];
    for (let index = 0; index < 100; index += 1) files.push(p.file(`login-${index}.auth-session.json`, session({ username: `user-${index}` })));
    for (let index = 0; index < 1_000; index += 1) {
      const sink = { type: 'webhook', url: 'https://hooks.example.com/x', headers: { Authorization: 'Bearer ${env:HOOK}' } };
      files.push(p.jobFile(`batch-${Math.floor(index / 100)}/job-${String(index).padStart(4, '0')}.job.json`, onSession(`login-${index % 100}`, { schedule: { calendars: [{ hour: index % 24, minute: [0, 30] }] }, sink })));
    }
    await Promise.all(files);
    const env = { HOOK: 'hook-secret-Mw83Pd' };
    const applied = await p.run(['apply', '--concurrency', '100'], env);
    expect(applied.code, applied.stderr.slice(-500)).toBe(0);

    const before = p.emulator.requests.length;
    const plan = await p.run(['plan', '--detailed-exitcode'], env);
    expect(plan.code).toBe(0);
    const reads = p.emulator.requests.slice(before).map((request) => `${request.method} ${request.path.replace(/^.*\/projects\/[^/]+/, '')}`);
    expect(reads).toEqual(['GET /auth-sessions', 'GET /jobs']);
  }, 60_000);
});
