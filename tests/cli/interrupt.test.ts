/**
 * A live apply's lock, and an apply stopped by SIGINT (Ctrl-C) or SIGTERM (what CI sends on
 * cancel): built CLIs as processes against the emulator, on a `file:` state and on a `git:`
 * state from two clones of one bare origin (a cancelled CI job re-run on another runner).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { runGit } from '../../src/state/git-repo.js';
import { Origin, STATE_BRANCH } from '../action/harness.js';
import { API_KEY, CLI, collect, Project, WORKSPACE } from '../helpers/project.js';
import { createRequests } from '../helpers/create-requests.js';
import { declareSessions as declare, LOCK_FILE, LOCK_REF, ONCE as once, SESSIONS, waitFor } from '../helpers/locks.js';

/** Long enough that an apply is still waiting when it is signalled. */
const SLOW_OPERATION_MS = 4000;

let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});



const readLockFile = (dir: string) => readFile(join(dir, LOCK_FILE), 'utf8');
const exists = (read: Promise<unknown>) => read.then(() => true, () => false);

describe('--force-unlock of a live apply on this host', () => {
  it('is refused naming the holder, removes nothing, and the holder ends as usual', async () => {
    const p = await Project.create({ operationDurationMs: 2000 });
    cleanup = () => p.close();
    await declare(p.dir);
    const child = p.spawn(['apply']);
    const done = collect(child);
    await waitFor(() => p.emulator.operations().length >= 1);
    const lock = await readLockFile(p.dir);
    const { id, pid } = JSON.parse(lock) as { id: string; pid: number };
    expect(pid).toBe(child.pid);

    const forced = await p.run(['apply', '--force-unlock', id]);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(new RegExp(`^error: --force-unlock ${id}: the lock is held by an apply that is running: pid ${pid} on host ${hostname()}.* since \\S+; nothing was removed from file:\\.intuned-gitops/state\\.json\\. Wait for it to end, or stop it \\(kill ${pid}\\) and run again\\.\\n$`));
    expect(await readLockFile(p.dir)).toBe(lock);

    const first = await done;
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain('taken over');
    expect(createRequests(p.emulator)).toEqual(once);
    expect(p.emulator.requests.filter((request) => request.method === 'POST' && request.path.includes('/update'))).toEqual([]);
  });
});

describe('--force-unlock of a lock whose holder cannot be proven to run', () => {
  it('removes it, and the holder says at release that its lock was removed, not taken over', async () => {
    const p = await Project.create({ operationDurationMs: 2000 });
    cleanup = () => p.close();
    await declare(p.dir);
    const child = p.spawn(['apply']);
    const done = collect(child);
    await waitFor(() => p.emulator.operations().length >= 1);
    // As if it ran on another machine sharing the folder: nothing here can tell whether it runs.
    const lock = JSON.parse(await readLockFile(p.dir)) as { id: string };
    await writeFile(join(p.dir, LOCK_FILE), JSON.stringify({ ...lock, host: 'build-agent-7' }));

    const forced = await p.run(['plan', '--force-unlock', lock.id]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain(`warning: removed the lock ${lock.id} of pid ${child.pid} on host build-agent-7`);

    const first = await done;
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`(lock ID ${lock.id}) was removed by someone else while this run held it`);
    expect(first.stderr).not.toContain('taken over');
    expect(first.stderr).not.toContain('timeout');
  });
});

/** Signals an apply once its first operations are under way; returns how it ended. */
async function interrupt(child: ChildProcess, emulator: EmulatorHandle, signal: NodeJS.Signals) {
  const done = collect(child);
  await waitFor(() => emulator.operations().length >= 2);
  const signalled = Date.now();
  child.kill(signal);
  const result = await done;
  return { ...result, afterSignalMs: Date.now() - signalled };
}

function expectInterrupted(result: Awaited<ReturnType<typeof interrupt>>): void {
  expect(result.signal).toBeNull();
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/error: interrupted: /);
  // It stops waiting rather than waiting for its operations to end.
  expect(result.afterSignalMs).toBeLessThan(SLOW_OPERATION_MS);
}

describe('file: state, an apply interrupted', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`by ${signal} releases its lock, and the next apply runs at once and converges without a second create`, async () => {
      const p = await Project.create({ operationDurationMs: SLOW_OPERATION_MS });
      cleanup = () => p.close();
      await declare(p.dir);
      const stopped = await interrupt(p.spawn(['apply', '--concurrency', '2']), p.emulator, signal);
      expectInterrupted(stopped);
      expect(await exists(readLockFile(p.dir))).toBe(false);
      // What it started is in the state, for the next run to pick up; what it did not start, it did not send.
      const recorded = Object.values(JSON.parse(await p.stateText()).sessions as Record<string, { operation?: { status: string; operationId?: string } }>);
      expect(recorded.filter((session) => session.operation?.status === 'started' && session.operation.operationId)).toHaveLength(2);
      expect(p.emulator.operations()).toHaveLength(2);

      const next = await p.run(['apply']);
      expect(next.stderr).not.toContain('lock');
      expect(next.code).toBe(0);
      expect(createRequests(p.emulator)).toEqual(once);
      expect(Object.keys(JSON.parse(await p.stateText()).sessions).sort()).toEqual(SESSIONS);
      expect(await exists(readLockFile(p.dir))).toBe(false);
    });
  }

  it('prints the error document with --output json', async () => {
    const p = await Project.create({ operationDurationMs: SLOW_OPERATION_MS });
    cleanup = () => p.close();
    await declare(p.dir);
    const stopped = await interrupt(p.spawn(['apply', '--output', 'json']), p.emulator, 'SIGTERM');
    expectInterrupted(stopped);
    expect((JSON.parse(stopped.stdout) as { error: { message: string } }).error.message).toMatch(/^interrupted: /);
    expect(await exists(readLockFile(p.dir))).toBe(false);
  });
});

describe('a second Ctrl-C', () => {
  it('stops at once while the first one winds down', async () => {
    // Every answer slow: the first signal comes while the run still reads Intuned.
    const p = await Project.create({ operationDurationMs: SLOW_OPERATION_MS, faults: { latencyMs: 3000 } });
    cleanup = () => p.close();
    await declare(p.dir);
    const child = p.spawn(['apply']);
    const done = collect(child);
    await waitFor(() => exists(readLockFile(p.dir)));
    // The lock is written a moment before the list is sent; a signal in between ends the run at
    // once ("had not started"). Half a second in, the run is inside the 3-second list.
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = Date.now();
    child.kill('SIGINT');
    const result = await done;
    expect(Date.now() - second).toBeLessThan(1500);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: interrupted again: stopped at once.');
  });
});

describe('git: state, an apply cancelled on one runner and re-run on another', () => {
  it('by SIGTERM leaves no lock ref, and the re-run applies at once without a second create', async () => {
    const root = await mkdtemp(join(tmpdir(), 'intuned-gitops-interrupt-'));
    const emulator = await startEmulator({ apiKey: API_KEY, operationDurationMs: SLOW_OPERATION_MS });
    cleanup = async () => {
      await emulator.close();
      await rm(root, { recursive: true, force: true });
    };
    const origin = await Origin.create(root);
    const clones = [await origin.clone(), await origin.clone()];
    for (const clone of clones) await declare(clone.dir);
    const env = { PATH: process.env.PATH ?? '', HOME: root, INTUNED_API_URL: emulator.url, INTUNED_API_KEY: API_KEY, INTUNED_WORKSPACE_ID: WORKSPACE, INTUNED_PROJECT: 'cli-tests', NO_COLOR: '1' };
    const cli = (dir: string, args: string[]) => spawn(process.execPath, [CLI, ...args, '--state', `git:${STATE_BRANCH}`, '--dir', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });

    const stopped = await interrupt(cli(clones[0]!.dir, ['apply', '--concurrency', '2']), emulator, 'SIGTERM');
    expectInterrupted(stopped);
    expect((await runGit(origin.path, ['rev-parse', '--verify', '--quiet', LOCK_REF])).code).not.toBe(0);

    const next = await collect(cli(clones[1]!.dir, ['apply']));
    expect(next.stderr).not.toContain('lock');
    expect(next.code).toBe(0);
    expect(createRequests(emulator)).toEqual(once);
    expect(Object.keys(JSON.parse((await origin.state())!).sessions).sort()).toEqual(SESSIONS);
  });
});
