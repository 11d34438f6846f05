/**
 * The lock of a `file:` state: `<state>.lock` beside it. Taking it is one `link()` of a fully
 * written temp file, which fails if the lock exists, so a lock is never seen half written.
 * Taking over a stale lock L first claims `<state>.lock.takeover-<L's ID>` the same way: of
 * runs that all found L stale, exactly one claims it, checks L is still the lock, and replaces
 * it. Removing renames the lock away first and puts it back if it turned out not to be the one
 * meant, so a release or `--force-unlock` never removes a lock taken meanwhile.
 */
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { StateError } from '../errors.js';
import { checkForceUnlock, lockedError, lostLockMessage, newLock, parseLock, serializeLock, staleReason, wrongLockError, type AcquiredLock, type LockInfo, type LockRequest, type StateLocking } from './lock.js';
import { definedOnly } from '../engine/optional.js';

/** Rounds of "the lock changed while we looked" before giving up (each is a few file calls). */
const MAX_LOCK_ATTEMPTS = 5;

type Found = { kind: 'absent' } | { kind: 'lock'; info: LockInfo } | { kind: 'unreadable' };

export function fileLocking(options: { statePath: string; description: string }): StateLocking {
  const path = `${options.statePath}.lock`;
  const unreadable = () =>
    new StateError(`the lock file ${path} beside the state ${options.description} is not a lock intuned-gitops wrote; if no apply is running, delete that file and run again`);

  return {
    async lock(request) {
      const info = newLock(request);
      const text = serializeLock(info);
      await mkdir(dirname(path), { recursive: true });
      for (let attempt = 1; attempt <= MAX_LOCK_ATTEMPTS; attempt += 1) {
        if (await createExclusive(path, text)) return held(path, info, await removeMarkers(path));
        const found = await readLock(path);
        if (found.kind === 'absent') continue;
        if (found.kind === 'unreadable') throw unreadable();
        const reason = staleReason(found.info, request);
        if (!reason) throw lockedError({ description: options.description, holder: found.info, request, manual: `delete ${path}` });
        const successor = { ...info, tookOverFrom: found.info.id };
        if (await takeOver(path, found.info, serializeLock(successor), request)) return held(path, successor, await removeMarkers(path, { previous: found.info, reason }));
      }
      throw new StateError(`could not take the lock ${path}: it changed hands ${MAX_LOCK_ATTEMPTS} times while this run tried; run again`);
    },

    async forceUnlock(id, request) {
      const found = await readLock(path);
      if (found.kind === 'absent') return undefined;
      if (found.kind === 'unreadable') throw unreadable();
      checkForceUnlock({ description: options.description, asked: id, holder: found.info, request });
      const removed = await removeIf(path, id);
      if (removed.kind === 'lock' && removed.info.id !== id) throw wrongLockError({ description: options.description, asked: id, holder: removed.info });
      return removed.kind === 'lock' ? removed.info : undefined;
    },
  };
}

function held(path: string, info: LockInfo, tookOver?: AcquiredLock['tookOver']): AcquiredLock {
  return {
    info,
    ...definedOnly({ tookOver }),
    async renew(expiresAt) {
      const current = await readLock(path);
      if (current.kind !== 'lock' || current.info.id !== info.id) {
        throw new StateError(`${lostLockMessage({ what: `the lock ${path}`, mine: info, now: current.kind === 'lock' ? current.info : undefined })}; stopping before the apply`);
      }
      const temporary = temporaryName(path);
      await writeFile(temporary, serializeLock({ ...info, expiresAt }), { mode: 0o600 });
      await rename(temporary, path);
    },
    async release() {
      const removed = await removeIf(path, info.id);
      if (removed.kind === 'absent') throw new StateError(lostLockMessage({ what: `the lock ${path}`, mine: info, now: undefined }));
      if (removed.kind === 'lock' && removed.info.id !== info.id) throw new StateError(lostLockMessage({ what: `the lock ${path}`, mine: info, now: removed.info }));
    },
  };
}

async function takeOver(path: string, stale: LockInfo, text: string, request: LockRequest): Promise<boolean> {
  const marker = takeoverMarker(path, stale.id);
  if (!(await createExclusive(marker, text))) {
    // Another run is taking it over; unless that run died doing so, the next round sees its lock.
    const claim = await readLock(marker);
    if (claim.kind !== 'lock' || staleReason(claim.info, request)) await rm(marker, { force: true });
    return false;
  }
  const again = await readLock(path);
  if (again.kind !== 'lock' || again.info.id !== stale.id) {
    await rm(marker, { force: true });
    return false;
  }
  const temporary = temporaryName(path);
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, path);
  return true;
}

/** Creates `path` holding `text` unless it exists: all or nothing, never half written. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const temporary = temporaryName(path);
  try {
    await writeFile(temporary, text, { mode: 0o600 });
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StateError(`cannot write the lock file ${path}: ${(error as Error).message}`);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Moves the lock aside, and removes it only if it has this ID; a different one goes back. */
async function removeIf(path: string, id: string): Promise<Found> {
  const aside = `${path}.${randomBytes(4).toString('hex')}.removing`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw new StateError(`cannot remove the lock file ${path}: ${(error as Error).message}`);
  }
  const found = await readLock(aside);
  if (found.kind === 'lock' && found.info.id === id) {
    await rm(aside, { force: true });
  } else {
    // Not the lock meant: restore it unless a new one was taken in this instant.
    await link(aside, path).catch(() => {});
    await rm(aside, { force: true });
  }
  return found;
}

async function readLock(path: string): Promise<Found> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw new StateError(`cannot read the lock file ${path}: ${(error as Error).message}`);
  }
  const info = parseLock(text);
  return info ? { kind: 'lock', info } : { kind: 'unreadable' };
}

/**
 * Once this run holds the lock, every takeover claim is obsolete: one for another lock can no
 * longer pass its "still that lock" check, and one for ours is moot while we run. Returns `value`.
 */
async function removeMarkers<T>(path: string, value?: T): Promise<T | undefined> {
  const prefix = `${basename(path)}.takeover-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  // Claims only: a `.tmp` beside them is another run's claim being written, which must stay
  // until that run links it (it then finds this run's lock and is refused as locked).
  const claims = names.filter((name) => name.startsWith(prefix) && !name.endsWith('.tmp'));
  await Promise.all(claims.map((name) => rm(join(dirname(path), name), { force: true })));
  return value;
}

function takeoverMarker(path: string, id: string): string {
  return `${path}.takeover-${id}`;
}

/** Named like the state's temp files, so a kill mid-write leaves nothing a later run keeps. */
function temporaryName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}
