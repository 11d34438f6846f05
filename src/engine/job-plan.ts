/**
 * The jobs' part of the plan. Pure, like the sessions' part: what Intuned holds (the job list,
 * with definitions), the state's records and the unfinished runs of jobs to delete are observed
 * before and passed in. Intuned returns job definitions, so a job is compared with its remote
 * value field by field (job-diff.ts); the fingerprints only cover what Intuned masks.
 */
import type { Job } from './port.js';
import type { DesiredJob } from '../resources/types.js';
import type { JobRecords, JobState } from '../state/types.js';
import { isOwned, sessionOf } from '../state/sessions.js';
import { JOB_KIND } from '../resources/kinds.js';
import { referencedId } from '../resources/graph.js';
import { pathKey } from '../resources/body.js';
import type { JobFingerprint } from './fingerprint.js';
import { diffJob } from './job-diff.js';
import { inUseReason } from './reasons.js';
import { definedOnly } from './optional.js';
import { compareIds } from './order.js';
import type { FieldChange, InUse, JobEntry, PlanError } from './types.js';

export interface JobPlanInput {
  desired: readonly DesiredJob[];
  remote: readonly Job[];
  records: JobRecords;
  fingerprints: ReadonlyMap<string, JobFingerprint>;
  /** False when the state's fingerprints were made with another key. */
  keyMatches: boolean;
  /** Unfinished runs of jobs whose file is gone, by job ID. */
  inUse: ReadonlyMap<string, InUse>;
  /** AuthSession IDs that files declare, and those Intuned holds: a job may name either. */
  sessionsDeclared: ReadonlySet<string>;
  sessionsInIntuned: ReadonlySet<string>;
}

export interface JobPlan {
  entries: JobEntry[];
  unmanaged: string[];
  errors: PlanError[];
}

/** Shown in reasons: more paths than this are counted, not named. */
const PATHS_SHOWN = 4;
const SESSION_REFERENCE = JOB_KIND.references[0]!;
/** Every key a job file can hold (`words.expected` names them all, for messages). */
const KNOWN_KEYS: ReadonlySet<string> = new Set(
  Object.keys(JOB_KIND.words.expected).filter((key) => /^[A-Za-z_]+$/.test(key)),
);

/**
 * Owned: a record the tool wrote. Every write records an operation before it is sent, and an
 * adoption records what was applied, so a record with neither was not written by the tool
 * (a hand edit): it owns nothing, and the job behind it is never deleted.
 */
export function ownsJob(record: JobState | undefined): record is JobState {
  return isOwned(record) && (record.applied !== undefined || record.operation !== undefined);
}

export function planJobs(input: JobPlanInput): JobPlan {
  const remote = new Map(input.remote.map((job) => [job.id, job]));
  const declared = new Set(input.desired.map((job) => job.id));
  const entries: JobEntry[] = [];
  const errors: PlanError[] = [];

  for (const desired of [...input.desired].sort((a, b) => compareIds(a.id, b.id))) {
    const session = referencedId(desired.spec, SESSION_REFERENCE);
    if (session !== undefined && !input.sessionsDeclared.has(session) && !input.sessionsInIntuned.has(session)) {
      const at = desired.referencePositions?.[pathKey(SESSION_REFERENCE.path)];
      errors.push({ kind: 'job', id: desired.id, file: desired.file, ...(at ? { line: at.line, column: at.column } : {}), message: missingSessionMessage(desired, session) });
      continue;
    }
    entries.push(planDesired(input, desired, remote.get(desired.id), session));
  }

  for (const id of Object.keys(input.records).sort(compareIds)) {
    if (declared.has(id)) continue;
    entries.push(planRemoved(id, sessionOf(input.records, id)!, remote.get(id), input.inUse.get(id)));
  }

  const unmanaged = input.remote
    .map((job) => job.id)
    .filter((id) => !declared.has(id) && !ownsJob(sessionOf(input.records, id)))
    .sort(compareIds);
  return { entries, unmanaged, errors };
}

function planDesired(input: JobPlanInput, desired: DesiredJob, found: Job | undefined, session: string | undefined): JobEntry {
  const fingerprint = input.fingerprints.get(desired.id)!;
  const paused = found?.state === 'PAUSED' ? ({ paused: true } as const) : {};
  const base = { kind: 'job', id: desired.id, file: desired.file, ...paused } as const;
  const sends = { ...base, desired, target: fingerprint.target, secretTargets: fingerprint.secretTargets, ...definedOnly({ session }) };
  const record = sessionOf(input.records, desired.id);
  const owned = ownsJob(record) ? record : undefined;

  if (!found) {
    const reason = owned?.applied ? 'missing in Intuned (deleted outside intuned-gitops); creating again' : (lastWrite(record) ?? 'new file');
    return { ...sends, action: 'create', reason };
  }

  const applied = owned && input.keyMatches && owned.operation?.status !== 'starting' ? owned.applied : undefined;
  const diff = diffJob({
    desired: desired.spec as unknown as Record<string, unknown>,
    remote: (found.definition ?? {}) as Record<string, unknown>,
    secretFields: JOB_KIND.secretFields,
    // Paths secret when last applied stay secret: their remote value may be an old `${env:}` one.
    substituted: new Set([...desired.secretPaths.map((path) => pathKey(path)), ...Object.keys(owned?.applied?.secrets ?? {})]),
    secretTargets: fingerprint.secretTargets,
    appliedSecrets: applied?.secrets,
    knownKeys: KNOWN_KEYS,
  });
  const pausedNote = found.state === 'PAUSED' ? ' (paused in Intuned, left paused)' : '';

  if (diff.changes.length === 0 && diff.unknown.length === 0) {
    const upToDate = { ...base, action: 'noop', reason: `up to date${pausedNote}` } as const;
    const known = owned && applied?.job === fingerprint.target && owned.file === desired.file;
    if (known) return upToDate;
    const adopt = { target: fingerprint.target, secretTargets: fingerprint.secretTargets };
    return { ...upToDate, reason: owned ? `up to date${pausedNote}` : `adopting the existing job: it already matches the file${pausedNote}`, adopt };
  }

  const changes = diff.changes;
  const described = describeChanges(changes, diff.unknown);
  if (!owned) return { ...sends, action: 'update', changes, reason: `adopting the existing job: ${described}${pausedNote}` };
  // The file is what was last applied, so Intuned is what changed: put it back.
  const drift = applied?.job === fingerprint.target && changes.length > 0;
  const reason = drift ? `changed in Intuned, put back: ${described}` : described;
  return { ...sends, action: 'update', changes, ...(drift ? { drift: true as const } : {}), reason: `${reason}${pausedNote}` };
}

function planRemoved(id: string, record: JobState, found: Job | undefined, inUse: InUse | undefined): JobEntry {
  const base = { kind: 'job', id, ...definedOnly({ file: record.file || undefined }) } as const;
  if (!ownsJob(record)) {
    return { ...base, action: 'noop', reason: 'file removed; intuned-gitops owns no job with this ID, so it deletes nothing and forgets it', forget: true };
  }
  if (!found) return { ...base, action: 'noop', reason: 'file removed and already gone from Intuned; forgetting it', forget: true };
  if (inUse) {
    const run = inUse.runId ? `its run ${inUse.runId} is ${inUse.runStatus ?? 'unfinished'}` : inUseReason(inUse);
    // A paused job's run waits for a resume that the tool never makes: say what ends it.
    const paused = found.state === 'PAUSED' || inUse.runStatus === 'PAUSED' || inUse.runStatus === 'PAUSING';
    const later = paused ? 'the job is paused in Intuned: resume it or terminate the run there, and a later run deletes it' : 'a later run deletes it';
    return { ...base, action: 'skip', skipped: 'delete', inUse, reason: `file removed, but ${run}; ${later}` };
  }
  return { ...base, action: 'delete', reason: found.state === 'PAUSED' ? 'file removed (the job is paused in Intuned)' : 'file removed' };
}

/** `schedule.intervals[0].every: "1h" → "30m"`; secret-bearing paths by name only. */
function describeChanges(changes: readonly FieldChange[], unknown: readonly string[] = []): string {
  const parts = changes.map((change) => {
    if (change.secret) return `${change.path} changed`;
    if (change.from === undefined) return `${change.path} set to ${change.to}`;
    if (change.to === undefined) return `${change.path} removed (was ${change.from})`;
    return `${change.path}: ${change.from} → ${change.to}`;
  });
  const shown = parts.slice(0, PATHS_SHOWN);
  if (parts.length > PATHS_SHOWN) shown.push(`and ${parts.length - PATHS_SHOWN} more`);
  if (unknown.length > 0) shown.push(`${unknown.join(', ')} not shown by Intuned and never applied by intuned-gitops; applying once`);
  return shown.join('; ');
}

function lastWrite(record: JobState | undefined): string | undefined {
  const operation = record?.operation;
  if (!operation || operation.kind === 'delete') return undefined;
  if (operation.status === 'failed') return `last ${operation.kind} failed: ${operation.message ?? 'no message'}${operation.code ? ` (${operation.code})` : ''}; creating again`;
  if (operation.status === 'starting') return `an earlier ${operation.kind} never got an answer, and Intuned holds no such job; creating again`;
  return undefined;
}

function missingSessionMessage(desired: DesiredJob, session: string): string {
  const fromEnv = desired.secretPaths.some((path) => pathKey(path) === pathKey(SESSION_REFERENCE.path));
  const named = fromEnv ? 'an AuthSession (from ${env:})' : `AuthSession ${JSON.stringify(session)}`;
  return `"auth_session.id" names ${named}, which no file declares and Intuned does not hold; add its file in intuned-resources/auth-sessions, or fix the ID (the job is not created or updated)`;
}
