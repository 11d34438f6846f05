/**
 * The lock of a `git:BRANCH` state: the ref `refs/intuned-gitops/locks/BRANCH` on the remote,
 * pointing at a commit whose `lock.json` names the holder. Every change is one push with a
 * lease, so the remote decides atomically between runs on any machines: taking it pushes with
 * "must not exist", taking over a stale one and removing one push with "must still be that
 * commit". Outside refs/heads and refs/tags, the ref shows in no branch list and triggers no
 * workflow.
 */
import { randomBytes } from 'node:crypto';
import { StateError } from '../errors.js';
import type { GitRepo } from './git-repo.js';
import { checkForceUnlock, lockedError, lostLockMessage, newLock, parseLock, serializeLock, staleReason, type AcquiredLock, type LockInfo, type LockRequest, type StateLocking } from './lock.js';
import { definedOnly } from '../engine/optional.js';

export const LOCK_FILE = 'lock.json';
/** Rounds of "the lock changed while we looked" before giving up (each costs a push and a fetch). */
const MAX_LOCK_ATTEMPTS = 5;

export function lockRef(branch: string): string {
  return `refs/intuned-gitops/locks/${branch}`;
}

interface Found {
  sha: string;
  info: LockInfo;
}

export function gitLocking(options: { repo: () => Promise<GitRepo>; branch: string; remote: string; description: string }): StateLocking {
  const ref = lockRef(options.branch);
  const what = `the lock ${ref}`;
  const manual = `run \`git push ${options.remote} --delete ${ref}\` in a clone`;

  const fetchLock = async (repo: GitRepo): Promise<Found | undefined> => {
    // One tracking ref per look: two runs in one clone must not race on updating it.
    const tracking = `refs/intuned-gitops/fetched-locks/${encodeURIComponent(options.remote)}/${options.branch}/${process.pid}-${randomBytes(4).toString('hex')}`;
    const sha = await repo.fetchRef({ ref, tracking, what, transient: true });
    if (!sha) return undefined;
    const info = parseLock((await repo.readFile(sha, LOCK_FILE)) ?? '');
    if (!info) throw new StateError(`${ref} on ${options.remote} is not a lock intuned-gitops wrote; if no apply is running, ${manual} and run again`);
    return { sha, info };
  };

  const held = (repo: GitRepo, first: string, info: LockInfo, tookOver?: AcquiredLock['tookOver']): AcquiredLock => {
    let sha = first;
    return {
      info,
      ...definedOnly({ tookOver }),
      async renew(expiresAt) {
        const commit = await repo.commitFile({ path: LOCK_FILE, text: serializeLock({ ...info, expiresAt }), message: `intuned-gitops lock ${info.id}` });
        if ((await repo.pushRef({ commit, ref, expected: sha, what })) === 'moved') {
          throw new StateError(`${lostLockMessage({ what: `${ref} on ${options.remote}`, mine: info, now: (await fetchLock(repo))?.info })}; stopping before the apply`);
        }
        sha = commit;
      },
      async release() {
        if ((await repo.pushRef({ ref, expected: sha, what })) === 'pushed') return;
        // Removed meanwhile needs nothing more; a lock taken since is left to its new holder.
        const now = await fetchLock(repo);
        throw new StateError(lostLockMessage({ what: `${ref} on ${options.remote}`, mine: info, now: now?.info }));
      },
    };
  };

  return {
    async lock(request: LockRequest) {
      const repo = await options.repo();
      const info = newLock(request);
      const commit = await repo.commitFile({ path: LOCK_FILE, text: serializeLock(info), message: `intuned-gitops lock ${info.id}` });
      for (let attempt = 1; attempt <= MAX_LOCK_ATTEMPTS; attempt += 1) {
        if ((await repo.pushRef({ commit, ref, what })) === 'pushed') return held(repo, commit, info);
        const found = await fetchLock(repo);
        if (!found) continue;
        const reason = staleReason(found.info, request);
        if (!reason) throw lockedError({ description: options.description, holder: found.info, request, manual });
        const successor = { ...info, tookOverFrom: found.info.id };
        const replacing = await repo.commitFile({ path: LOCK_FILE, text: serializeLock(successor), message: `intuned-gitops lock ${info.id}` });
        if ((await repo.pushRef({ commit: replacing, ref, expected: found.sha, what })) === 'pushed') return held(repo, replacing, successor, { previous: found.info, reason });
      }
      throw new StateError(`could not take ${what} on ${options.remote}: it changed hands ${MAX_LOCK_ATTEMPTS} times while this run tried; run again`);
    },

    async forceUnlock(id: string, request: LockRequest) {
      const repo = await options.repo();
      const found = await fetchLock(repo);
      if (!found) return undefined;
      checkForceUnlock({ description: options.description, asked: id, holder: found.info, request });
      if ((await repo.pushRef({ ref, expected: found.sha, what })) === 'moved') {
        throw new StateError(`--force-unlock ${id}: ${ref} on ${options.remote} changed while removing it; nothing was removed. Run again to see who holds it now`);
      }
      return found.info;
    },
  };
}
