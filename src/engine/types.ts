/**
 * The plan: a value computed by `plan()` (pure), printed by the renderers and executed by the
 * applier. Nothing else decides what a run does.
 *
 * Counts are not kept in the plan: `summarizePlan` and `summarizeApply` (summary.ts) derive them.
 *
 * Secrets: a `PlanEntry` may point at the `DesiredSession` it came from (the applier needs the
 * body), but no renderer may read `desired.spec`. Reasons hold parameter *names*, never values.
 */
import type { DesiredJob, DesiredSession } from '../resources/types.js';
import type { KindName } from '../resources/kind.js';
import type { ApplySummary } from './summary.js';

export type { KindName };

export type ChangeAction = 'create' | 'update' | 'delete' | 'skip' | 'noop';

/** Why a session is in use (so a delete is skipped). */
export interface InUse {
  jobId: string;
  runId?: string;
  runStatus?: string;
  /** Set when the API itself refused the delete as in use. */
  apiMessage?: string;
  /**
   * Not in use: a job intuned-gitops does not manage names the session (with no unfinished
   * run). The delete goes ahead, and its reason says which job is left without a session.
   */
  named?: true;
}

interface EntryBase {
  kind: 'auth-session';
  id: string;
  /** For a person: "new file", "parameters changed: password", "file removed", ... */
  reason: string;
  /** The resource file, relative to --dir (absent for deletes of removed files). */
  file?: string;
}

/** What a create or update sends; never rendered. */
interface Sends extends EntryBase {
  file: string;
  /** What to send (secrets included): only the applier reads it. */
  desired: DesiredSession;
  /** The keyed fingerprint of what is sent (for the plan's digest); the planner always sets it. */
  target?: string;
}

export interface CreateEntry extends Sends {
  action: 'create';
}

export interface UpdateEntry extends Sends {
  action: 'update';
  /** Names of parameters whose fingerprint changed. */
  changedParameters?: string[];
  /** Names of other fields that changed: proxy, createAttempts, checkAttempts, saveTrace. */
  changedSettings?: string[];
}

/** A create or update an earlier run started with these values still runs: poll it, start nothing. */
export interface ResumeEntry extends Sends {
  action: 'create' | 'update';
  resumeOperationId: string;
}

/** An earlier run's operation on this session still runs with other values: wait, then update. */
export interface WaitThenUpdateEntry extends Sends {
  action: 'update';
  waitForOperationId: string;
}

export interface DeleteEntry extends EntryBase {
  action: 'delete';
  /**
   * Jobs Intuned runs with this session that this apply moves off it (updates or deletes):
   * the session goes only once each of those changes succeeded.
   */
  after?: string[];
}

/** A delete not made because the session is in use; a later run makes it. */
export interface SkipEntry extends EntryBase {
  action: 'skip';
  skipped: 'delete';
  inUse: InUse;
}

/** Up to date: nothing is sent (the state may still learn the file's new path). */
export interface NoopEntry extends EntryBase {
  action: 'noop';
}

/** Up to date because an earlier run's operation ended done: the state records it as applied. */
export interface RecordAppliedEntry extends EntryBase {
  action: 'noop';
  recordApplied: true;
  /** The earlier run's operation that ended done, when there was one: the apply counts it. */
  recordedKind?: 'create' | 'update';
}

/** A removed file whose session is gone or was never the tool's: the state forgets it. */
export interface ForgetEntry extends EntryBase {
  action: 'noop';
  forget: true;
}

/** What the applier starts or waits for: every entry that sends a file's values. */
export type ChangeEntry = CreateEntry | UpdateEntry | ResumeEntry | WaitThenUpdateEntry;

/** One AuthSession line of the plan, a union by what it does: each variant carries exactly its fields. */
export type SessionEntry = ChangeEntry | DeleteEntry | SkipEntry | NoopEntry | RecordAppliedEntry | ForgetEntry;

/**
 * One field of a job that differs between its file and Intuned. Values are shown only for
 * fields that are not secret-bearing.
 */
export interface FieldChange {
  /** Where, as a person writes it: `schedule.intervals[0].every`, `sink.headers.Authorization`. */
  path: string;
  /** Secret-bearing (a sink header, an S3 key, the proxy, a value from `${env:}`): no values. */
  secret: boolean;
  /** What Intuned holds, as JSON text; absent when secret or when Intuned holds nothing there. */
  from?: string;
  /** What the file says, as JSON text; absent when secret or when the file leaves it out. */
  to?: string;
}

interface JobBase {
  kind: 'job';
  id: string;
  reason: string;
  file?: string;
  /** Intuned has the job paused: the tool neither pauses nor resumes, it only says so. */
  paused?: true;
}

/** A job create or update: one request, made once its session is `done`. */
export interface JobChangeEntry extends JobBase {
  action: 'create' | 'update';
  file: string;
  /** What to send (secrets included): only the applier reads it. */
  desired: DesiredJob;
  /** Keyed fingerprint of the whole body (the plan's digest, and `applied` once done). */
  target: string;
  /** Keyed fingerprints of each secret-bearing value, by path: recorded once applied. */
  secretTargets: Record<string, string>;
  /** The AuthSession it runs with: a change of that session in this apply comes first. */
  session?: string;
  /** What differs from Intuned (updates only). */
  changes?: FieldChange[];
  /** Every difference was made in Intuned, not in the file: the update puts it back. */
  drift?: true;
}

export interface JobDeleteEntry extends JobBase {
  action: 'delete';
}

/** A job delete not made while the job has an unfinished run; a later run makes it. */
export interface JobSkipEntry extends JobBase {
  action: 'skip';
  skipped: 'delete';
  inUse: InUse;
}

/**
 * Up to date. `adopt`: what Intuned holds equals the file, so the state records the job as
 * owned and applied without sending anything; `forget`: a removed file whose job is gone or
 * was never the tool's.
 */
export interface JobNoopEntry extends JobBase {
  action: 'noop';
  adopt?: { target: string; secretTargets: Record<string, string> };
  forget?: true;
}

export type JobEntry = JobChangeEntry | JobDeleteEntry | JobSkipEntry | JobNoopEntry;

/** One line of the plan: a union by kind, then by what it does. */
export type PlanEntry = SessionEntry | JobEntry;

/** A create or update of an AuthSession (what the session applier runs). */
export function isChange(entry: PlanEntry): entry is ChangeEntry {
  return entry.kind === 'auth-session' && (entry.action === 'create' || entry.action === 'update');
}

export function isJobChange(entry: PlanEntry): entry is JobChangeEntry {
  return entry.kind === 'job' && (entry.action === 'create' || entry.action === 'update');
}

/** Sends something: a create or update of any kind (what the digest pins by target). */
export function sendsValues(entry: PlanEntry): entry is ChangeEntry | JobChangeEntry {
  return entry.action === 'create' || entry.action === 'update';
}

/** One key per resource: a session and a job may share an ID. */
export function entryKey(entry: Pick<PlanEntry, 'kind' | 'id'>): string {
  return `${entry.kind}\0${entry.id}`;
}

export function isResume(entry: PlanEntry): entry is ResumeEntry {
  return 'resumeOperationId' in entry;
}

export function isWaitThenUpdate(entry: PlanEntry): entry is WaitThenUpdateEntry {
  return 'waitForOperationId' in entry;
}

export interface PlanError {
  kind: KindName;
  id: string;
  file?: string;
  /** Where in `file` the error is, when it is about one value (1-based). */
  line?: number;
  column?: number;
  message: string;
}

export interface Plan {
  /** Creates and updates (by id), then noops, then skips, then deletes (deletes last). */
  entries: PlanEntry[];
  /** Remote sessions that no file declares and the state does not own: never touched. */
  unmanaged: string[];
  /** Remote jobs that no file declares and the state does not own: never touched. */
  unmanagedJobs: string[];
  /** Problems for one ID that stop it being planned (e.g. a RECORDER session with a file's ID). */
  errors: PlanError[];
  /** What a person should know before applying, though nothing stops the plan (no state was found). */
  warnings: string[];
  /** Set when the plan deletes more than the safe share and --force was not given: apply refuses. */
  unsafe?: UnsafePlan;
}

export interface UnsafePlan {
  /** Sessions the plan would delete (including deletes skipped while in use). */
  deletes: number;
  /** Sessions the state owns that exist in Intuned. */
  managed: number;
  /** The share above which a plan is refused, e.g. 0.3. */
  maxShare: number;
  /** What to tell the user, including how to proceed. */
  message: string;
}

export type ChangeStatus = 'succeeded' | 'failed' | 'skipped';

export interface ChangeResult {
  entry: PlanEntry;
  status: ChangeStatus;
  /** Failure or skip detail for a person (API message and code; "timed out after 10m (last status in_progress)"). */
  message?: string;
  code?: string;
  operationId?: string;
  /** The last result status seen while polling (pending, in_progress, done, failed, canceled). */
  lastStatus?: string;
  timedOut?: boolean;
  durationMs?: number;
}

export interface ApplyResult {
  plan: Plan;
  results: ChangeResult[];
  /** `summarizeApply` of the results (engine/summary.ts), as the apply reported them. */
  summary: ApplySummary;
  /** True when any operation failed or timed out (exit 1). */
  failed: boolean;
}
