/**
 * The state lock's adapters in-process: many runs racing for one lock, or for one stale lock,
 * end with exactly one holder; removing never removes a lock other than the one meant.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateError } from '../../src/errors.js';
import { fileLocking } from '../../src/state/file-lock.js';
import { gitLocking, lockRef } from '../../src/state/git-lock.js';
import { GitRepo, runGit } from '../../src/state/git-repo.js';
import { renewForApply } from '../../src/state/lock-run.js';
import { LOCK_GRACE_MS, LockedError, staleReason, type LockInfo, type LockRequest, type StateLocking } from '../../src/state/lock.js';
import { Origin, STATE_BRANCH } from '../action/harness.js';

const RACERS = 8;
const DEAD_PID = 4242;
let root: string | undefined;

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

/** A run on this host with its own pid; only DEAD_PID's process is gone. */
function request(pid: number, overrides: Partial<LockRequest> = {}): LockRequest {
  return {
    timeoutMs: 60_000,
    env: {},
    unlockCommand: (id) => `intuned-gitops plan --force-unlock ${id}`,
    self: { pid, host: hostname() },
    isAlive: (candidate) => candidate !== DEAD_PID,
    ...overrides,
  };
}

/** A user on another machine: whether a holder on this host still runs, it cannot tell. */
const elsewhere = request(1, { self: { pid: 1, host: 'laptop-of-someone-else' } });

function staleLock(overrides: Partial<LockInfo> = {}): LockInfo {
  const now = Date.now();
  return { formatVersion: 1, id: 'deadbeef0001', host: hostname(), pid: DEAD_PID, acquiredAt: new Date(now - 5000).toISOString(), expiresAt: new Date(now + LOCK_GRACE_MS).toISOString(), ...overrides };
}

/** Every racer at once: exactly one holds the lock, every other one is told who does. */
async function race(locking: StateLocking) {
  const outcomes = await Promise.allSettled(Array.from({ length: RACERS }, (_, index) => locking.lock(request(10_000 + index))));
  const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  expect(won).toHaveLength(1);
  const winner = won[0]!;
  for (const error of lost) {
    if (!(error instanceof LockedError)) throw error;
    expect((error as LockedError).holder.id).toBe(winner.info.id);
  }
  return winner;
}

async function fileSetup() {
  root = await mkdtemp(join(tmpdir(), 'intuned-gitops-lock-unit-'));
  const statePath = join(root, 'state.json');
  return { statePath, lockPath: `${statePath}.lock`, locking: fileLocking({ statePath, description: 'file:state.json' }) };
}

describe('file: lock', () => {
  it(`gives one lock to ${RACERS} runs taking it at once, and removes it on release`, async () => {
    const { locking, lockPath } = await fileSetup();
    const winner = await race(locking);
    expect(winner.tookOver).toBeUndefined();
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toEqual(winner.info);
    await winner.release();
    expect(await readdir(root!)).toEqual([]);
  });

  it(`lets exactly one of ${RACERS} runs take over a lock whose process is gone`, async () => {
    const { locking, lockPath } = await fileSetup();
    await writeFile(lockPath, JSON.stringify(staleLock()));
    const winner = await race(locking);
    expect(winner.tookOver).toEqual({ previous: staleLock({ acquiredAt: winner.tookOver!.previous.acquiredAt, expiresAt: winner.tookOver!.previous.expiresAt }), reason: `its process ${DEAD_PID} on this host (${hostname()}) is gone` });
    await winner.release();
    expect(await readdir(root!)).toEqual([]);
  });

  it('gets past the takeover claim of a run that died taking over, and leaves no claim behind', async () => {
    const { locking, lockPath } = await fileSetup();
    await writeFile(lockPath, JSON.stringify(staleLock()));
    await writeFile(`${lockPath}.takeover-deadbeef0001`, JSON.stringify(staleLock({ id: 'bbbbbbbbbbbb' })));
    await writeFile(`${lockPath}.takeover-0ld0ld0ld0ld`, JSON.stringify(staleLock({ id: 'cccccccccccc' })));
    const lock = await locking.lock(request(10_001));
    expect(lock.tookOver?.previous.id).toBe('deadbeef0001');
    expect(await readdir(root!)).toEqual(['state.json.lock']);
  });

  it('removes stale takeover claims once it holds the lock, but not a claim another run is still writing', async () => {
    // A claim being written is a temp file linked into place a moment later; removed first, that
    // run's link failed with ENOENT and it reported an I/O error instead of "locked".
    const { locking, lockPath } = await fileSetup();
    await writeFile(`${lockPath}.takeover-0123456789ab`, 'a claim left by a run that died');
    const writing = `${lockPath}.takeover-0123456789ab.4242.deadbeef.tmp`;
    await writeFile(writing, 'a claim being written');
    const held = await locking.lock(request(process.pid));
    expect((await readdir(root!)).sort()).toEqual(['state.json.lock', 'state.json.lock.takeover-0123456789ab.4242.deadbeef.tmp']);
    await held.release();
  });

  it('release leaves a lock that another run took over, and says so', async () => {
    const { locking, lockPath } = await fileSetup();
    const mine = await locking.lock(request(10_001));
    const theirs = staleLock({ id: 'aaaaaaaaaaaa', pid: 10_002 });
    await writeFile(lockPath, JSON.stringify(theirs));
    await expect(mine.release()).rejects.toThrow(`(lock ID ${mine.info.id}) was removed by someone else while this run held it, and is now held under lock ID aaaaaaaaaaaa by pid 10002 on host`);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toEqual(theirs);
  });

  it('release tells a takeover of its lock as stale from a removal', async () => {
    const { locking, lockPath } = await fileSetup();
    const mine = await locking.lock(request(10_001));
    const successor = await locking.lock(request(10_002, { now: () => Date.parse(mine.info.expiresAt) + 1 }));
    expect(successor.tookOver?.previous.id).toBe(mine.info.id);
    expect(JSON.parse(await readFile(lockPath, 'utf8')).tookOverFrom).toBe(mine.info.id);
    await expect(mine.release()).rejects.toThrow(`(lock ID ${mine.info.id}) was taken over as stale by lock ${successor.info.id} of pid 10002 on host ${hostname()}`);
    await successor.release();
    await expect(mine.release()).rejects.toThrow(new RegExp(`\\(lock ID ${mine.info.id}\\) was removed by someone else while this run held it$`));
    expect(await readdir(root!)).toEqual([]);
  });

  it('--force-unlock refuses a lock whose holder provably runs on this host, and removes nothing', async () => {
    const { locking, lockPath } = await fileSetup();
    const held = await locking.lock(request(10_001));
    const before = await readFile(lockPath, 'utf8');
    expect(held.info.processStart).toBeDefined();
    await expect(locking.forceUnlock(held.info.id, request(10_002))).rejects.toThrow(
      new RegExp(`^--force-unlock ${held.info.id}: the lock is held by an apply that is running: pid 10001 on host .*; nothing was removed from file:state.json. Wait for it to end, or stop it \\(kill 10001\\) and run again.$`),
    );
    expect(await readFile(lockPath, 'utf8')).toBe(before);
    // Without a start time nothing proves the pid is still the holder's: force-unlock may remove it.
    await writeFile(lockPath, JSON.stringify({ ...held.info, processStart: undefined }));
    expect((await locking.forceUnlock(held.info.id, request(10_002)))?.id).toBe(held.info.id);
  });

  it('--force-unlock removes only the lock it names, and says when there is none', async () => {
    const { locking, lockPath } = await fileSetup();
    const held = await locking.lock(request(10_001));
    await expect(locking.forceUnlock('ffffffffffff', elsewhere)).rejects.toThrow(`--force-unlock ffffffffffff: the lock is held under lock ID ${held.info.id}`);
    expect(JSON.parse(await readFile(lockPath, 'utf8')).id).toBe(held.info.id);
    expect(await locking.forceUnlock(held.info.id, elsewhere)).toEqual(held.info);
    expect(await locking.forceUnlock(held.info.id, elsewhere)).toBeUndefined();
    expect(await readdir(root!)).toEqual([]);
  });

  it('moves the deadline before the wait once planning used more than half the grace, and only while the lock is its own', async () => {
    const { locking, lockPath } = await fileSetup();
    const lock = await locking.lock(request(10_001));
    const written = await readFile(lockPath, 'utf8');
    await renewForApply(lock, { timeoutMs: 60_000 });
    expect(await readFile(lockPath, 'utf8')).toBe(written);

    const later = Date.now() + LOCK_GRACE_MS * 0.6;
    await renewForApply(lock, { timeoutMs: 60_000, now: () => later });
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toEqual({ ...lock.info, expiresAt: new Date(later + 60_000 + LOCK_GRACE_MS).toISOString() });

    await writeFile(lockPath, JSON.stringify(staleLock({ id: 'aaaaaaaaaaaa' })));
    await expect(renewForApply(lock, { timeoutMs: 60_000, now: () => later + LOCK_GRACE_MS })).rejects.toThrow(`(lock ID ${lock.info.id}) was removed by someone else while this run held it, and is now held under lock ID aaaaaaaaaaaa`);
  });

  it('refuses a lock file it did not write, naming the file to delete', async () => {
    const { locking, lockPath } = await fileSetup();
    await writeFile(lockPath, 'held by me -- bob');
    await expect(locking.lock(request(10_001))).rejects.toThrow(new StateError(`the lock file ${lockPath} beside the state file:state.json is not a lock intuned-gitops wrote; if no apply is running, delete that file and run again`));
  });
});

describe('staleness', () => {
  it('is provable only from this host or past the holder\'s timeout', () => {
    const alive = request(10_001, { isAlive: () => true });
    expect(staleReason(staleLock(), alive)).toBeUndefined();
    expect(staleReason(staleLock({ host: 'elsewhere' }), request(10_001))).toBeUndefined();
    expect(staleReason(staleLock({ host: 'elsewhere', expiresAt: new Date(Date.now() - 1).toISOString() }), alive)).toMatch(/^it expired at /);
    expect(staleReason(staleLock(), request(10_001))).toBe(`its process ${DEAD_PID} on this host (${hostname()}) is gone`);
    // Our own pid in a lock we did not take: the pid was reused, its holder is gone.
    expect(staleReason(staleLock({ pid: 10_001 }), alive)).toMatch(/is gone$/);
  });

  it('tells a reused pid from its holder by the process start time', () => {
    const stat = (pid: number) => ({ pid, host: hostname() });
    const real = request(process.pid, { self: stat(1) });
    delete real.isAlive;
    expect(staleReason(staleLock({ pid: process.pid, processStart: 'another-boot:1' }), real)).toMatch(/is gone$/);
    expect(staleReason(staleLock({ pid: process.pid }), real)).toBeUndefined();
  });
});

describe('git: lock, through a real bare origin', () => {
  async function gitSetup() {
    root = await mkdtemp(join(tmpdir(), 'intuned-gitops-lock-unit-'));
    const origin = await Origin.create(root);
    const clones = await Promise.all([origin.clone(), origin.clone()]);
    const lockings = clones.map((clone) => {
      let repo: Promise<GitRepo> | undefined;
      return gitLocking({ repo: () => (repo ??= GitRepo.open({ dir: clone.dir, remote: 'origin', branch: STATE_BRANCH })), branch: STATE_BRANCH, remote: 'origin', description: `git:${STATE_BRANCH}` });
    });
    // Racers alternate between the two clones, as runners on two machines would.
    const locking: StateLocking = {
      lock: (() => {
        let next = 0;
        return (req: LockRequest) => lockings[(next += 1) % 2]!.lock(req);
      })(),
      forceUnlock: (id, req) => lockings[0]!.forceUnlock(id, req),
    };
    const remoteLock = async () => {
      const shown = await runGit(origin.path, ['show', `${lockRef(STATE_BRANCH)}:lock.json`]);
      return shown.code === 0 ? (JSON.parse(shown.stdout) as LockInfo) : undefined;
    };
    return { origin, locking, remoteLock };
  }

  it(`gives one lock to ${RACERS} runs from two clones at once, and removes it on release`, async () => {
    const { locking, remoteLock } = await gitSetup();
    const winner = await race(locking);
    expect(await remoteLock()).toEqual(winner.info);
    await winner.release();
    expect(await remoteLock()).toBeUndefined();
  });

  it('moves the deadline on the remote with a lease on its own lock commit', async () => {
    const { locking, remoteLock } = await gitSetup();
    const lock = await locking.lock(request(10_001));
    const later = Date.now() + LOCK_GRACE_MS * 0.6;
    await renewForApply(lock, { timeoutMs: 60_000, now: () => later });
    expect(await remoteLock()).toEqual({ ...lock.info, expiresAt: new Date(later + 60_000 + LOCK_GRACE_MS).toISOString() });
    await lock.release();
    expect(await remoteLock()).toBeUndefined();
  });

  it(`lets exactly one of ${RACERS} runs take over a stale lock ref`, async () => {
    const { origin, locking, remoteLock } = await gitSetup();
    const blob = (await runGit(origin.path, ['hash-object', '-w', '--stdin'], JSON.stringify(staleLock()))).stdout.trim();
    const tree = (await runGit(origin.path, ['mktree'], `100644 blob ${blob}\tlock.json\n`)).stdout.trim();
    const commit = (await runGit(origin.path, ['commit-tree', tree, '-m', 'lock'], undefined, { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' })).stdout.trim();
    expect((await runGit(origin.path, ['update-ref', lockRef(STATE_BRANCH), commit])).code).toBe(0);

    const winner = await race(locking);
    expect(winner.tookOver?.previous.id).toBe('deadbeef0001');
    expect(await remoteLock()).toEqual(winner.info);
    await expect(locking.forceUnlock('deadbeef0001', elsewhere)).rejects.toThrow(`the lock is held under lock ID ${winner.info.id}`);
    expect(await locking.forceUnlock(winner.info.id, elsewhere)).toEqual(winner.info);
    expect(await remoteLock()).toBeUndefined();
    // Its holder is told, and removes nothing.
    await expect(winner.release()).rejects.toThrow(`(lock ID ${winner.info.id}) was removed by someone else while this run held it`);
    expect(await remoteLock()).toBeUndefined();
  });
});
