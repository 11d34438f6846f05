/**
 * One apply at a time per state: two built CLIs started together against the emulator, on a
 * `file:` state and on a `git:` state from two clones of one bare origin.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { runGit } from '../../src/state/git-repo.js';
import { git, Origin, STATE_BRANCH } from '../action/harness.js';
import { API_KEY, CLI, collect, Project, WORKSPACE, type CliResult } from '../helpers/project.js';
import { createRequests } from '../helpers/create-requests.js';
import { declareSessions as declare, LOCK_FILE, LOCK_REF, ONCE as once, SESSIONS } from '../helpers/locks.js';

/** Long enough that the first apply still holds the lock when the second one starts. */
const SLOW_OPERATION_MS = 1500;
const LOCKED = /is locked by another apply since \d{4}-\d\d-\d\dT[\d:.]+Z \([^)]*ago\): pid \d+ on host \S+/;

let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});




/** The loser of two applies started together: exit 1 with the holder named; the winner: 0. */
function expectOneLocked(results: CliResult[]): CliResult {
  expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
  const loser = results.find((result) => result.code === 1)!;
  expect(loser.stderr).toMatch(LOCKED);
  expect(loser.stderr).toContain('Nothing was changed');
  expect(loser.stderr).toMatch(/--force-unlock [0-9a-f]{12}/);
  return loser;
}

function fileLock(dir: string): Promise<string> {
  return readFile(join(dir, LOCK_FILE), 'utf8');
}

async function writeLock(dir: string, lock: Record<string, unknown>): Promise<void> {
  await mkdir(join(dir, '.intuned-gitops'), { recursive: true });
  await writeFile(join(dir, LOCK_FILE), JSON.stringify(lock));
}

function foreignLock(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const acquiredAt = new Date(Date.now() - 90_000);
  return {
    formatVersion: 1,
    id: '0123456789ab',
    host: 'build-agent-7',
    pid: 4242,
    user: 'alice',
    acquiredAt: acquiredAt.toISOString(),
    expiresAt: new Date(acquiredAt.getTime() + 20 * 60_000).toISOString(),
    ...overrides,
  };
}

describe('file: state, two applies at once', () => {
  it('lets one apply run and fails the other at once naming the holder; nothing is created twice and the state knows every session', async () => {
    const p = await Project.create({ operationDurationMs: SLOW_OPERATION_MS });
    cleanup = () => p.close();
    await declare(p.dir);

    const results = await Promise.all([p.run(['apply']), p.run(['apply'])]);
    const loser = expectOneLocked(results);
    expect(loser.stderr).toContain(`on host ${hostname()}`);
    expect(createRequests(p.emulator)).toEqual(once);
    expect(Object.keys(JSON.parse(await p.stateText()).sessions).sort()).toEqual(SESSIONS);
    await expect(fileLock(p.dir)).rejects.toThrow(/ENOENT/);

    const plan = await p.run(['plan', '--detailed-exitcode']);
    expect(plan.stdout).toContain('No changes');
    expect(plan.code).toBe(0);
  });

  it('never blocks a dry-run, which takes no lock', async () => {
    const p = await Project.create({ operationDurationMs: SLOW_OPERATION_MS });
    cleanup = () => p.close();
    await declare(p.dir);
    const lock = foreignLock();
    await writeLock(p.dir, lock);
    const plan = await p.run(['plan', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toBe('');
    const dryRun = await p.run(['reconcile', '--dry-run']);
    expect(dryRun.code).toBe(0);
    expect(JSON.parse(await fileLock(p.dir))).toEqual(lock);
  });

  it('refuses a lock held on another host, says exactly what to run, and --force-unlock with its ID removes it', async () => {
    const p = await Project.create();
    cleanup = () => p.close();
    await declare(p.dir);
    await writeLock(p.dir, foreignLock());

    const blocked = await p.run(['apply']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/is locked by another apply since \S+ \(1m 3\ds ago\): pid 4242 on host build-agent-7, user alice \(lock ID 0123456789ab\)/);
    expect(blocked.stderr).toContain(`intuned-gitops plan --force-unlock 0123456789ab --dir ${p.dir}`);
    expect(blocked.stderr.trim().split('\n')).toHaveLength(1);
    expect(p.emulator.requests).toEqual([]);

    const wrong = await p.run(['apply', '--force-unlock', 'ffffffffffff']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--force-unlock ffffffffffff: the lock is held under lock ID 0123456789ab');
    expect(p.emulator.requests).toEqual([]);

    const unlocked = await p.run(['apply', '--force-unlock', '0123456789ab']);
    expect(unlocked.stderr).toContain('warning: removed the lock 0123456789ab of pid 4242 on host build-agent-7');
    expect(unlocked.code).toBe(0);
    expect(createRequests(p.emulator)).toEqual(once);
    await expect(fileLock(p.dir)).rejects.toThrow(/ENOENT/);
  });

  it('takes over a lock past the holder\'s timeout, wherever it was taken', async () => {
    const p = await Project.create();
    cleanup = () => p.close();
    await declare(p.dir);
    const acquiredAt = Date.now() - 30 * 60_000;
    await writeLock(p.dir, foreignLock({ acquiredAt: new Date(acquiredAt).toISOString(), expiresAt: new Date(acquiredAt + 20 * 60_000).toISOString() }));
    const apply = await p.run(['apply']);
    expect(apply.stderr).toMatch(/warning: took over the stale lock 0123456789ab of pid 4242 on host build-agent-7, user alice, held since \S+: it expired at \S+ \(the holder's timeout\)/);
    expect(apply.code).toBe(0);
    expect(createRequests(p.emulator)).toEqual(once);
  });

  it('after a SIGKILL leaves its lock, the next run on the same host sees the process gone and takes it over', async () => {
    const p = await Project.create({ operationDurationMs: SLOW_OPERATION_MS });
    cleanup = () => p.close();
    await declare(p.dir);
    const child = p.spawn(['apply']);
    const done = collect(child);
    const operationStarted = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (p.emulator.operations().length > 0) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    await operationStarted;
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const left = JSON.parse(await fileLock(p.dir)) as { pid: number; host: string };
    expect(left).toMatchObject({ pid: child.pid, host: hostname() });

    const next = await p.run(['apply']);
    expect(next.stderr).toContain(`warning: took over the stale lock`);
    expect(next.stderr).toContain(`its process ${child.pid} on this host (${hostname()}) is gone`);
    expect(next.code).toBe(0);
    expect(createRequests(p.emulator)).toEqual(once);
    expect(Object.keys(JSON.parse(await p.stateText()).sessions).sort()).toEqual(SESSIONS);
    await expect(fileLock(p.dir)).rejects.toThrow(/ENOENT/);
  });
});

describe('git: state from two clones, two applies at once', () => {
  async function setup(operationDurationMs: number) {
    const root = await mkdtemp(join(tmpdir(), 'intuned-gitops-lock-'));
    const emulator = await startEmulator({ apiKey: API_KEY, operationDurationMs });
    cleanup = async () => {
      await emulator.close();
      await rm(root, { recursive: true, force: true });
    };
    const origin = await Origin.create(root);
    const clones = [await origin.clone(), await origin.clone()];
    for (const clone of clones) await declare(clone.dir);
    const env = { PATH: process.env.PATH ?? '', HOME: root, INTUNED_API_URL: emulator.url, INTUNED_API_KEY: API_KEY, INTUNED_WORKSPACE_ID: WORKSPACE, INTUNED_PROJECT: 'cli-tests', NO_COLOR: '1' };
    const cli = (dir: string, args: string[]) => collect(spawn(process.execPath, [CLI, ...args, '--state', `git:${STATE_BRANCH}`, '--dir', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    return { origin, clones, emulator, cli };
  }

  it('lets one apply run and fails the other at once; nothing is created twice and the branch knows every session', async () => {
    const { origin, clones, emulator, cli } = await setup(SLOW_OPERATION_MS);
    const results = await Promise.all(clones.map((clone) => cli(clone.dir, ['apply'])));
    expectOneLocked(results);
    expect(createRequests(emulator)).toEqual(once);
    expect(Object.keys(JSON.parse((await origin.state())!).sessions).sort()).toEqual(SESSIONS);
    expect((await runGit(origin.path, ['rev-parse', '--verify', '--quiet', LOCK_REF])).code).not.toBe(0);
  });

  it('refuses a lock ref of a run elsewhere, names it, and --force-unlock removes it through the remote', async () => {
    const { origin, clones, emulator, cli } = await setup(100);
    const lock = foreignLock({ run: 'https://github.com/acme/sessions/actions/runs/4242' });
    const sha = await writeLockRef(origin.path, lock);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);

    const blocked = await cli(clones[0]!.dir, ['apply']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('is locked by another apply since');
    expect(blocked.stderr).toContain('run https://github.com/acme/sessions/actions/runs/4242 (pid 4242 on host build-agent-7, user alice)');
    expect(blocked.stderr).toContain(`git push origin --delete ${LOCK_REF}`);
    expect(emulator.requests).toEqual([]);

    const plan = await cli(clones[1]!.dir, ['plan']);
    expect(plan.code).toBe(0);

    const unlocked = await cli(clones[1]!.dir, ['plan', '--force-unlock', '0123456789ab']);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stderr).toContain('warning: removed the lock 0123456789ab');
    expect((await runGit(origin.path, ['rev-parse', '--verify', '--quiet', LOCK_REF])).code).not.toBe(0);
    expect(emulator.operations()).toEqual([]);

    const apply = await cli(clones[0]!.dir, ['apply']);
    expect(apply.code).toBe(0);
    expect(createRequests(emulator)).toEqual(once);
  });
});

/** A lock commit made by hand in the bare origin, as another machine's run would leave it. */
async function writeLockRef(originPath: string, lock: Record<string, unknown>): Promise<string> {
  const blob = (await runGit(originPath, ['hash-object', '-w', '--stdin'], JSON.stringify(lock))).stdout.trim();
  const tree = (await runGit(originPath, ['mktree'], `100644 blob ${blob}\tlock.json\n`)).stdout.trim();
  const commit = await git(originPath, 'commit-tree', tree, '-m', 'intuned-gitops lock');
  await git(originPath, 'update-ref', LOCK_REF, commit);
  return commit;
}
