/**
 * One apply at a time per state. A lock names its holder (host, pid, user, CI run) and since
 * when; a second apply fails at once with that. A lock is taken over only when provably stale:
 * its holder's process is gone from this very host, or the holder's own deadline (its timeout
 * plus a grace for planning and the final write) has passed. Anything else needs
 * `--force-unlock LOCK_ID`, with the ID the refused run printed, so a user never removes a lock
 * other than the one they looked at. The adapters (file-lock.ts, git-lock.ts) make taking,
 * taking over and removing atomic; this file decides what is stale and what the user reads.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { z } from 'zod';
import { formatDuration } from '../engine/duration.js';
import { StateError } from '../errors.js';
import { definedOnly } from '../engine/optional.js';

export const LOCK_FORMAT_VERSION = 1;
/** Beyond its `--timeout`, how long a holder may plan before and write after its wait. */
export const LOCK_GRACE_MS = 10 * 60_000;

export const lockInfoSchema = z.object({
  formatVersion: z.literal(LOCK_FORMAT_VERSION),
  /** What `--force-unlock` names. */
  id: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  user: z.string().optional(),
  /** The CI run holding it (GitHub Actions run URL). */
  run: z.string().optional(),
  /** Boot and start time of the holder's process (Linux): a reused pid is not the holder. */
  processStart: z.string().optional(),
  /** The ID of the stale lock this one took over, so its holder can tell a takeover from a removal. */
  tookOverFrom: z.string().optional(),
  acquiredAt: z.string(),
  /** After this the lock is stale wherever it was taken. */
  expiresAt: z.string(),
});

export type LockInfo = z.infer<typeof lockInfoSchema>;

export interface LockRequest {
  /** The holder's `--timeout`: its lock expires that long (plus the grace) after it is taken. */
  timeoutMs: number;
  env: Readonly<Record<string, string | undefined>>;
  /** What to run to remove a given lock (`intuned-gitops plan --force-unlock ID ...`). */
  unlockCommand: (id: string) => string;
  now?: () => number;
  /** Tests stand in for another host or a dead process. */
  self?: Partial<Holder>;
  isAlive?: (pid: number, processStart: string | undefined) => boolean;
}

export interface Holder {
  host: string;
  pid: number;
  user?: string;
  run?: string;
  processStart?: string;
}

export interface AcquiredLock {
  info: LockInfo;
  /** Set when a stale lock was taken over: whose, and why it was provably stale. */
  tookOver?: { previous: LockInfo; reason: string };
  /** Moves the deadline to `expiresAt` if the lock is still this run's (a StateError if not). */
  renew(expiresAt: string): Promise<void>;
  /** Removes the lock if it is still this run's; says so when it is not. */
  release(): Promise<void>;
}

/** What a state backend offers for locking; every method is atomic through its storage. */
export interface StateLocking {
  lock(request: LockRequest): Promise<AcquiredLock>;
  /** Removes the lock with this ID; undefined when there is none; a StateError when another ID holds it. */
  forceUnlock(id: string, request: LockRequest): Promise<LockInfo | undefined>;
}

/** A second apply, refused at once. Exits 1 like every StateError. */
export class LockedError extends StateError {
  constructor(
    readonly holder: LockInfo,
    message: string,
  ) {
    super(message);
  }
}

export function currentHolder(request: LockRequest): Holder {
  const env = request.env;
  const run = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const user = safeUser();
  const processStart = processStartOf(process.pid);
  return {
    host: hostname(),
    pid: process.pid,
    ...definedOnly({ user, run, processStart }),
    ...request.self,
  };
}

export function newLock(request: LockRequest): LockInfo {
  const now = (request.now ?? Date.now)();
  return {
    formatVersion: LOCK_FORMAT_VERSION,
    id: randomBytes(6).toString('hex'),
    ...currentHolder(request),
    acquiredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + request.timeoutMs + LOCK_GRACE_MS).toISOString(),
  };
}

export function serializeLock(info: LockInfo): string {
  return `${JSON.stringify(info, null, 2)}\n`;
}

/** undefined when the text is not a lock this tool wrote (the caller says what to remove). */
export function parseLock(text: string): LockInfo | undefined {
  try {
    const parsed = lockInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Why the lock is provably stale, or undefined when its holder may still be running. */
export function staleReason(info: LockInfo, request: LockRequest): string | undefined {
  const now = (request.now ?? Date.now)();
  const expires = Date.parse(info.expiresAt);
  if (Number.isFinite(expires) && now > expires) return `it expired at ${info.expiresAt} (the holder's timeout)`;
  const self = currentHolder(request);
  if (info.host !== self.host) return undefined;
  // Our own pid: a run in this process holds it (tests, or a library running two at once), or
  // the pid was reused and its holder is gone.
  if (info.pid === self.pid) return heldHere.has(info.id) ? undefined : `its process ${info.pid} on this host (${info.host}) is gone`;
  const alive = request.isAlive ?? isProcessAlive;
  if (!alive(info.pid, info.processStart)) return `its process ${info.pid} on this host (${info.host}) is gone`;
  return undefined;
}

/** IDs of the locks that runs in this process hold now. */
const heldHere = new Set<string>();

export function markHeldHere(id: string, held: boolean): void {
  if (held) heldHere.add(id);
  else heldHere.delete(id);
}

export function describeHolder(info: LockInfo): string {
  const process = `pid ${info.pid} on host ${info.host}${info.user ? `, user ${info.user}` : ''}`;
  return info.run ? `run ${info.run} (${process})` : process;
}

export function lockedError(options: { description: string; holder: LockInfo; request: LockRequest; manual?: string }): LockedError {
  const { holder, request } = options;
  const now = (request.now ?? Date.now)();
  const ago = formatDuration(Math.max(0, now - Date.parse(holder.acquiredAt)));
  const manual = options.manual ? `, or ${options.manual}` : '';
  return new LockedError(
    holder,
    `the state ${options.description} is locked by another apply since ${holder.acquiredAt} (${ago} ago): ${describeHolder(holder)} (lock ID ${holder.id}). ` +
      `Nothing was changed. If it is still running, wait for it to end; its lock is taken over once it is gone from its host, or after ${holder.expiresAt}. ` +
      `If it is not running (killed, or its machine is gone), remove the lock with: ${request.unlockCommand(holder.id)} (it changes nothing else)${manual}; then run the apply again.`,
  );
}

/**
 * Whether the lock's holder is provably running: on this host, its pid alive with the start
 * time it recorded (or a run in this very process). Another host, or no start time, proves
 * nothing either way.
 */
export function holderRunning(info: LockInfo, request: LockRequest): boolean {
  const self = currentHolder(request);
  if (info.host !== self.host) return false;
  if (info.pid === self.pid) return heldHere.has(info.id);
  if (info.processStart === undefined) return false;
  return (request.isAlive ?? isProcessRunning)(info.pid, info.processStart);
}

/** `--force-unlock ID` may remove only the lock with that ID, and not while its holder provably runs. */
export function checkForceUnlock(options: { description: string; asked: string; holder: LockInfo; request: LockRequest }): void {
  const { asked, holder } = options;
  if (holder.id !== asked) throw wrongLockError(options);
  if (!holderRunning(holder, options.request)) return;
  throw new StateError(
    `--force-unlock ${asked}: the lock is held by an apply that is running: ${describeHolder(holder)} since ${holder.acquiredAt}; nothing was removed from ${options.description}. ` +
      `Wait for it to end, or stop it (kill ${holder.pid}) and run again.`,
  );
}

/**
 * What a holder says when its lock is no longer its own at release or extension: taken over as
 * stale (the new lock names the one it replaced), or removed by someone else (`--force-unlock`,
 * or by hand: which, it cannot tell), and maybe taken since.
 */
export function lostLockMessage(options: { what: string; mine: LockInfo; now: LockInfo | undefined }): string {
  const { what, mine, now } = options;
  if (!now) return `${what} (lock ID ${mine.id}) was removed by someone else while this run held it`;
  if (now.tookOverFrom === mine.id) {
    return `${what} (lock ID ${mine.id}) was taken over as stale by lock ${now.id} of ${describeHolder(now)} while this run held it (this run's lock expired at ${mine.expiresAt}); it was left in place`;
  }
  return `${what} (lock ID ${mine.id}) was removed by someone else while this run held it, and is now held under lock ID ${now.id} by ${describeHolder(now)}; it was left in place`;
}

export function wrongLockError(options: { description: string; asked: string; holder: LockInfo }): StateError {
  return new StateError(
    `--force-unlock ${options.asked}: the lock is held under lock ID ${options.holder.id}, by ${describeHolder(options.holder)} since ${options.holder.acquiredAt}; nothing was removed from ${options.description}. ` +
      'Check that this is the run you mean to unlock, then give its ID.',
  );
}

/** Signal 0 probes without signalling: ESRCH means gone; EPERM means alive under another user. */
export function isProcessAlive(pid: number, processStart: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (processStart === undefined) return true;
  const now = processStartOf(pid);
  return now === undefined || now === processStart;
}

/** Alive with exactly this start time: the pid was not reused. */
function isProcessRunning(pid: number, processStart: string): boolean {
  return processStartOf(pid) === processStart;
}

/** `<boot id>:<start ticks>` from /proc (Linux); undefined elsewhere. */
function processStartOf(pid: number): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return ticks ? `${boot}:${ticks}` : undefined;
  } catch {
    return undefined;
  }
}

function safeUser(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}
