/**
 * The plan: a value computed by `plan()` (pure), printed by the renderers and executed by the
 * applier. Nothing else decides what a run does.
 *
 * Secrets: a `PlanEntry` may point at the `DesiredSession` it came from (the applier needs the
 * body), but no renderer may read `desired.spec`. Reasons hold parameter *names*, never values.
 */
import type { DesiredSession } from '../resources/types.js';

export type ChangeAction = 'create' | 'update' | 'delete' | 'skip' | 'noop';

/** Why a session is in use (so a delete is skipped). */
export interface InUse {
  jobId: string;
  runId?: string;
  runStatus?: string;
  /** Set when the API itself refused the delete as in use. */
  apiMessage?: string;
}

export interface PlanEntry {
  id: string;
  action: ChangeAction;
  /** For a person: "new file", "parameters changed: password", "file removed", ... */
  reason: string;
  /** The resource file, relative to --dir (absent for deletes of removed files). */
  file?: string;
  /** Names of parameters whose fingerprint changed (update only). */
  changedParameters?: string[];
  /** Names of other fields that changed: proxy, createAttempts, checkAttempts, saveTrace. */
  changedSettings?: string[];
  /** For skip: what was skipped. */
  skipped?: 'delete';
  inUse?: InUse;
  /** An operation started by an earlier run that is still running: poll it, start nothing. */
  resumeOperationId?: string;
  /** An earlier run's operation on this session still runs with other values: wait, then start. */
  waitForOperationId?: string;
  /** noop whose state must record an earlier run's operation as applied (it ended done). */
  recordApplied?: boolean;
  /** With recordApplied: what that earlier operation was, so the apply counts it (resumed). */
  recordedKind?: 'create' | 'update';
  /** noop for a removed file whose session is already gone: drop it from the state. */
  forget?: boolean;
  /** Create and update: the keyed fingerprint of what is sent (for the plan's digest). */
  target?: string;
  /** Set for create and update: what to send. Never rendered. */
  desired?: DesiredSession;
}

export interface PlanError {
  id: string;
  file?: string;
  message: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  skip: number;
  noop: number;
  unmanaged: number;
  errors: number;
}

export interface Plan {
  /** Creates and updates (by id), then noops, then skips, then deletes (deletes last). */
  entries: PlanEntry[];
  /** Remote sessions that no file declares and the state does not own: never touched. */
  unmanaged: string[];
  /** Problems for one ID that stop it being planned (e.g. a RECORDER session with a file's ID). */
  errors: PlanError[];
  /** What a person should know before applying, though nothing stops the plan (no state was found). */
  warnings: string[];
  summary: PlanSummary;
  /** True when applying would change anything (create, update or delete entries). */
  hasChanges: boolean;
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
  summary: {
    created: number;
    updated: number;
    deleted: number;
    skipped: number;
    failed: number;
    noop: number;
  };
  /** True when any operation failed or timed out (exit 1). */
  failed: boolean;
}
