/**
 * plan(): the one place that decides what a run does. Pure and synchronous: everything it
 * needs was observed before (remote sessions, in-use facts, results of operations an earlier
 * run left running) and is passed in.
 */
import type { OperationResult, RemoteAuthSession } from './port.js';
import type { DesiredSession } from '../resources/types.js';
import type { SessionState, StateDocument } from '../state/types.js';
import { isOwned, sessionOf } from '../state/sessions.js';
import { diffFingerprints, type Fingerprint } from './fingerprint.js';
import { describeLastOperation, effectiveApplied, isRunning } from './pending.js';
import type { CreateEntry, InUse, Plan, PlanEntry, PlanError, UpdateEntry } from './types.js';
import { checkDeleteSafety, type DeleteThreshold } from './safety.js';
import { describeDiff, inUseReason } from './reasons.js';
import { definedOnly } from './optional.js';
import { compareIds } from './order.js';
import { ownsJob, planJobs, type JobPlanInput } from './job-plan.js';
import { JOB_KIND } from '../resources/kinds.js';
import { referencedId } from '../resources/graph.js';

export interface PlanInput {
  desired: readonly DesiredSession[];
  remote: readonly RemoteAuthSession[];
  state: StateDocument;
  /** Fingerprint of each desired session under the current key. */
  fingerprints: ReadonlyMap<string, Fingerprint>;
  /** False when the state's fingerprints were made with another key: they cannot be compared. */
  keyMatches: boolean;
  inUse: ReadonlyMap<string, InUse>;
  /** Result of each operation the state says an earlier run started (undefined: unknown to the API). */
  pendingResults: ReadonlyMap<string, OperationResult | undefined>;
  /** Where the state was looked for, when none was found (`file:…`, `git:…`); unset when one was read. */
  missingState?: string;
  /** Warnings about the project's files that do not stop a plan (`Intuned.json` leaving AuthSessions off). */
  fileWarnings?: readonly string[];
  /** The jobs' side; absent when the project has no job files and the state records no job. */
  jobs?: Omit<JobPlanInput, 'sessionsDeclared' | 'sessionsInIntuned'>;
}

export interface PlanOptions {
  force: boolean;
  threshold?: DeleteThreshold;
}

const MANAGEABLE_TYPE = 'CREDENTIALS';
const ADOPTING = 'adopting the existing session: its parameters are unknown, so they are applied once';

export function plan(input: PlanInput, options: PlanOptions): Plan {
  const remote = new Map(input.remote.map((session) => [session.id, session]));
  const declared = new Set(input.desired.map((session) => session.id));
  const changes: PlanEntry[] = [];
  const errors: PlanError[] = [];

  for (const desired of [...input.desired].sort(byId)) {
    const found = remote.get(desired.id);
    if (found && found.type !== MANAGEABLE_TYPE) {
      errors.push({
        kind: 'auth-session',
        id: desired.id,
        file: desired.file,
        message: `a ${found.type} session with this ID already exists in Intuned; only ${MANAGEABLE_TYPE} sessions can be managed from files: rename the file or remove that session in the dashboard`,
      });
      continue;
    }
    changes.push(planDesired(input, desired, found));
  }

  const deletes: PlanEntry[] = [];
  for (const id of Object.keys(input.state.sessions).sort(compareIds)) {
    if (declared.has(id)) continue;
    const record = sessionOf(input.state.sessions, id)!;
    deletes.push(planRemoved(id, record, remote.get(id), input.inUse.get(id)));
  }

  const unmanaged = input.remote
    .map((session) => session.id)
    .filter((id) => !declared.has(id) && !isOwned(sessionOf(input.state.sessions, id)))
    .sort(compareIds);

  const jobs = input.jobs
    ? planJobs({ ...input.jobs, sessionsDeclared: declared, sessionsInIntuned: new Set(input.remote.map((session) => session.id)) })
    : { entries: [], unmanaged: [], errors: [] };
  const stillUsed = sessionsStillUsed(input, deletes, errors);
  const sessionDeletes = deletes.filter((entry) => !stillUsed.has(entry.id)).map((entry) => waitForJobs(entry, input, jobs.entries));
  errors.push(...jobs.errors);

  const byAction = (entries: readonly PlanEntry[], ...actions: PlanEntry['action'][]) => entries.filter((entry) => actions.includes(entry.action));
  const entries = [
    ...byAction(changes, 'create', 'update'),
    ...byAction(jobs.entries, 'create', 'update'),
    ...byAction(changes, 'noop', 'skip', 'delete'),
    ...byAction(jobs.entries, 'noop'),
    ...byAction(sessionDeletes, 'noop'),
    ...byAction(jobs.entries, 'skip'),
    ...byAction(sessionDeletes, 'skip'),
    ...byAction(jobs.entries, 'delete'),
    ...byAction(sessionDeletes, 'delete'),
  ];
  const result: Plan = { entries, unmanaged, unmanagedJobs: jobs.unmanaged, errors, warnings: warningsOf(input, entries) };
  // What a delete could reach: owned records with a resource behind them. A record of a create
  // that never answered or never succeeded has nothing to lose, and counted it would let a
  // wrong --dir delete every real session without being "all of them".
  const managed = Object.entries(input.state.sessions).filter(([id, record]) => isOwned(record) && remote.has(id)).length;
  checkDeleteSafety(result, { kind: 'auth-session', managed }, options);
  if (input.jobs) {
    const remoteJobs = new Set(input.jobs.remote.map((job) => job.id));
    const managedJobs = Object.entries(input.jobs.records).filter(([id, record]) => ownsJob(record) && remoteJobs.has(id)).length;
    checkDeleteSafety(result, { kind: 'job', managed: managedJobs }, options);
  }
  if (stillUsed.size > 0) result.unsafe = stillUsedRefusal(stillUsed.size, result);
  return result;
}

/**
 * A session whose file is gone while a job file still names it: deleting it would break that
 * job, so it is an error and the whole apply is refused (nothing is sent).
 */
function sessionsStillUsed(input: PlanInput, deletes: readonly PlanEntry[], errors: PlanError[]): Set<string> {
  const used = new Set<string>();
  if (!input.jobs) return used;
  const reference = JOB_KIND.references[0]!;
  for (const entry of deletes) {
    if (entry.action !== 'delete' && entry.action !== 'skip') continue;
    const users = input.jobs.desired.filter((job) => referencedId(job.spec, reference) === entry.id);
    if (users.length === 0) continue;
    used.add(entry.id);
    errors.push({
      kind: 'auth-session',
      id: entry.id,
      ...definedOnly({ file: entry.file }),
      message: `the file of this AuthSession was removed, but ${users.map((job) => job.file).join(', ')} still ${users.length === 1 ? 'names' : 'name'} it in "auth_session.id"; point ${users.length === 1 ? 'that job' : 'those jobs'} at another session or remove ${users.length === 1 ? 'it' : 'them'} in the same change, or restore the file`,
    });
  }
  return used;
}

/**
 * A session delete waits for the jobs Intuned runs with it: each must be moved off it by this
 * apply (an update to another session, or a delete). A job whose change is not planned (its
 * file has an error, or its delete waits for a run) keeps the session for a later run.
 */
function waitForJobs(entry: PlanEntry, input: PlanInput, jobEntries: readonly PlanEntry[]): PlanEntry {
  if (entry.kind !== 'auth-session' || entry.action !== 'delete' || !input.jobs) return entry;
  const managed = (id: string) => input.jobs!.desired.some((job) => job.id === id) || ownsJob(sessionOf(input.jobs!.records, id));
  const users = input.jobs.remote.filter((job) => job.auth_session?.id === entry.id && managed(job.id)).map((job) => job.id).sort(compareIds);
  if (users.length === 0) return entry;
  const moving = (id: string) => jobEntries.some((job) => job.id === id && (job.action === 'delete' || job.action === 'update'));
  const stuck = users.find((id) => !moving(id));
  if (stuck === undefined) return { ...entry, after: users };
  const why = input.jobs.inUse.has(stuck) ? 'its own delete waits for its run' : 'its change is not planned (see the errors)';
  return { ...entry, action: 'skip', skipped: 'delete', inUse: { jobId: stuck }, reason: `file removed, but job ${stuck} still runs with it and ${why}; a later run deletes it` };
}

function stillUsedRefusal(count: number, plan: Plan): NonNullable<Plan['unsafe']> {
  const deletes = plan.entries.filter((entry) => entry.action === 'delete' || entry.action === 'skip').length;
  return {
    deletes,
    managed: 0,
    maxShare: 0,
    message: `refusing to apply: ${count} removed AuthSession ${count === 1 ? 'file is' : 'files are'} still named by job files (see the errors); nothing is sent until the jobs stop naming ${count === 1 ? 'it' : 'them'}. --force does not override this.`,
  };
}

function planDesired(input: PlanInput, desired: DesiredSession, found: RemoteAuthSession | undefined): PlanEntry {
  const sends = { kind: 'auth-session', id: desired.id, file: desired.file, desired, target: input.fingerprints.get(desired.id)!.session } as const;
  const record = sessionOf(input.state.sessions, desired.id);
  const owned = isOwned(record) ? record : undefined;
  const fingerprint = input.fingerprints.get(desired.id)!;
  const result = input.pendingResults.get(desired.id);
  const operation = owned?.operation;
  const create = (reason: string): CreateEntry => ({ ...sends, action: 'create', reason });
  const update = (reason: string): UpdateEntry => ({ ...sends, action: 'update', reason });

  if (operation?.status === 'started' && operation.operationId && operation.kind !== 'delete' && isRunning(result)) {
    const sameTarget = input.keyMatches && operation.target?.session === fingerprint.session;
    if (sameTarget) {
      return { ...sends, action: operation.kind, reason: `waiting for the ${operation.kind} an earlier run started (still running; nothing new is started)`, resumeOperationId: operation.operationId };
    }
    return { ...sends, action: 'update', reason: `changed while an earlier ${operation.kind} was still running; will wait for it, then update`, waitForOperationId: operation.operationId };
  }

  if (!found) {
    if (!owned) {
      const refused = record && describeLastOperation(record, undefined);
      return create(refused ? `${refused}; creating again` : 'new file');
    }
    const last = describeLastOperation(owned, result);
    return create(last ? `${last}; creating again` : 'missing in Intuned (deleted outside intuned-gitops); creating again');
  }
  if (!owned) {
    const refused = record && describeLastOperation(record, undefined);
    return update(`${refused ? `${refused}; ` : ''}${ADOPTING}`);
  }
  if (!input.keyMatches) {
    return update('the state key changed, so the recorded fingerprint cannot be compared; applying once');
  }

  const applied = effectiveApplied(owned, result);
  const last = describeLastOperation(owned, result);
  if (last) return update(`${last}; retrying`);
  if (!applied) return update('what Intuned holds is unknown (no confirmed apply); applying once');
  const diff = diffFingerprints(applied, fingerprint);
  if (diff.parameters.length === 0 && diff.settings.length === 0) {
    // The whole body's fingerprint decides; the per-name ones only say what changed.
    if (applied.session !== fingerprint.session) return update('what is sent changed; applying once');
    const noop = { kind: 'auth-session', id: desired.id, file: desired.file, action: 'noop', reason: 'up to date' } as const;
    if (applied === owned.applied) return noop;
    const finished = operation && operation.kind !== 'delete' ? operation.kind : undefined;
    return finished
      ? { ...noop, reason: `the ${finished} an earlier run started has finished; recording it as applied`, recordApplied: true, recordedKind: finished }
      : { ...noop, recordApplied: true };
  }
  return {
    ...update(describeDiff(diff, applied, fingerprint)),
    changedParameters: diff.parameters,
    changedSettings: diff.settings,
  };
}

function planRemoved(id: string, record: SessionState, found: RemoteAuthSession | undefined, inUse: InUse | undefined): PlanEntry {
  const base = { kind: 'auth-session' as const, id, ...definedOnly({ file: record.file || undefined }) };
  if (!isOwned(record)) {
    const last = describeLastOperation(record, undefined);
    return { ...base, action: 'noop', reason: `file removed; intuned-gitops owns no session with this ID${last ? ` (${last})` : ''}, so it deletes nothing and forgets it`, forget: true };
  }
  if (!found) return { ...base, action: 'noop', reason: 'file removed and already gone from Intuned; forgetting it', forget: true };
  // In use means an unfinished run (SPEC); a job that only names it does not stop the delete,
  // but the reviewer is told which job it leaves without its session.
  if (inUse?.named) return { ...base, action: 'delete', reason: `file removed; note: ${inUseReason(inUse)}, so that job will have no session` };
  if (inUse) return { ...base, action: 'skip', skipped: 'delete', inUse, reason: `file removed, but ${inUseReason(inUse)}; a later run deletes it` };
  return { ...base, action: 'delete', reason: 'file removed' };
}

/**
 * A mistyped --state looks like a fresh start: every session a file names is adopted, each by
 * an update that re-runs its login. Said where it would happen, so a typo is caught before that.
 */
function warningsOf(input: PlanInput, entries: readonly PlanEntry[]): string[] {
  return [...(input.fileWarnings ?? []), ...stateWarnings(input, entries)];
}

function stateWarnings(input: PlanInput, entries: readonly PlanEntry[]): string[] {
  if (input.missingState === undefined) return [];
  const adopted = entries.filter((entry) => entry.kind === 'auth-session' && entry.action === 'update' && !isOwned(sessionOf(input.state.sessions, entry.id))).length;
  if (adopted === 0) return [];
  return [
    `no state at ${input.missingState}: every existing session is adopted by one update, which re-runs its login (${adopted} here); if the state is kept elsewhere, check --state`,
  ];
}

function byId(a: { id: string }, b: { id: string }): number {
  return compareIds(a.id, b.id);
}
