/**
 * What a run does with its state's lock: `--force-unlock` first, then (applies only) take it,
 * keep its deadline ahead of the wait, and tell a refused user the exact command to run.
 */
import { describeHolder, LOCK_GRACE_MS, markHeldHere, type AcquiredLock, type LockRequest, type StateLocking } from './lock.js';

export interface StateLockOptions {
  /** Only an apply takes the lock; a dry-run never waits for one and never holds one. */
  take: boolean;
  forceUnlock?: string;
  request: LockRequest;
  description: string;
  onNotice: (message: string) => void;
}

/** `--force-unlock` first (for a dry-run too: a safe way to clear a lock), then the lock of an apply. */
export async function lockState(locking: StateLocking | undefined, options: StateLockOptions): Promise<AcquiredLock | undefined> {
  if (!locking) return undefined;
  if (options.forceUnlock !== undefined) {
    const removed = await locking.forceUnlock(options.forceUnlock, options.request);
    options.onNotice(
      removed
        ? `removed the lock ${removed.id} of ${describeHolder(removed)}, held since ${removed.acquiredAt}, from ${options.description}`
        : `--force-unlock ${options.forceUnlock}: ${options.description} has no lock; nothing to remove`,
    );
  }
  if (!options.take) return undefined;
  const taken = await locking.lock(options.request);
  markHeldHere(taken.info.id, true);
  const lock: AcquiredLock = {
    ...taken,
    renew: (expiresAt) => taken.renew(expiresAt),
    release: () => taken.release().finally(() => markHeldHere(taken.info.id, false)),
  };
  if (lock.tookOver) {
    const { previous, reason } = lock.tookOver;
    options.onNotice(`took over the stale lock ${previous.id} of ${describeHolder(previous)}, held since ${previous.acquiredAt}: ${reason}. Its operations are in the state; this run picks them up`);
  }
  return lock;
}

/**
 * Before the wait begins: when planning used up more than half the grace, the deadline moves to
 * this moment plus the timeout and the grace, so a live holder is never past it while it waits.
 */
export async function renewForApply(lock: AcquiredLock | undefined, request: Pick<LockRequest, 'timeoutMs' | 'now'>): Promise<void> {
  if (!lock) return;
  const now = (request.now ?? Date.now)();
  if (Date.parse(lock.info.expiresAt) - now > request.timeoutMs + LOCK_GRACE_MS / 2) return;
  const expiresAt = new Date(now + request.timeoutMs + LOCK_GRACE_MS).toISOString();
  await lock.renew(expiresAt);
  lock.info = { ...lock.info, expiresAt };
}

/** The command a refused run tells its user to run, with the settings that find the same state. */
export function unlockCommand(options: { state: string; defaultState: string; dir: string; env: Readonly<Record<string, string | undefined>> }): (id: string) => string {
  const inCi = options.env.GITHUB_ACTIONS === 'true' || Boolean(options.env.GITHUB_RUN_ID);
  const state = options.state === options.defaultState ? '' : ` --state ${shellQuote(options.state)}`;
  // A runner's directory means nothing on the user's machine: they run it from a clone.
  const dir = inCi || options.dir === '.' ? '' : ` --dir ${shellQuote(options.dir)}`;
  return (id) => `intuned-gitops plan --force-unlock ${id}${state}${dir}${inCi ? ' (in a clone of this repository)' : ''}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
