/**
 * `--output json` and the Action's `plan` output: one document for a plan and for an apply.
 * Every field is copied by name (never by spreading an entry), so nothing the plan carries
 * for the applier (`desired`, with its secrets) can reach the document.
 */
import {
  isResume,
  isWaitThenUpdate,
  type ApplyResult,
  type ChangeAction,
  type ChangeStatus,
  type InUse,
  type KindName,
  type Plan,
  type PlanError,
  type UnsafePlan,
} from '../engine/types.js';
import { planDigest } from '../engine/digest.js';
import { applyPending, hasChanges, outcomesOf, planPending, summarizeApply, summarizePlan, type ChangeOutcome, type PlanSummary } from '../engine/summary.js';
import type { ApplyCounts } from './summary.js';
import type { ReviewRefusal } from '../engine/review.js';

export const PLAN_FORMAT_VERSION = 1;

export interface PlanDocumentChange {
  /** The resource kind: `auth-session` or `job`. */
  kind: KindName;
  id: string;
  action: ChangeAction;
  reason: string;
  file?: string;
  /** Apply only; unset for noops and for changes the applier did not start. */
  status?: ChangeStatus;
  changedParameters?: string[];
  changedSettings?: string[];
  /** Jobs: the paths that differ from Intuned (values are only in `reason`, and never secret ones). */
  changedFields?: string[];
  /** Jobs: every difference was made in Intuned; the update puts the file's values back. */
  drift?: boolean;
  /** Jobs: Intuned has it paused (the tool neither pauses nor resumes). */
  paused?: boolean;
  /** For a skip: the action it skipped (`delete`). */
  skipped?: 'delete';
  inUse?: { jobId: string; runId?: string; runStatus?: string; apiMessage?: string; named?: boolean };
  resumeOperationId?: string;
  waitForOperationId?: string;
  /** Apply only, from the applier: failure or skip detail, API error code, polling facts. */
  message?: string;
  code?: string;
  operationId?: string;
  lastStatus?: string;
  timedOut?: boolean;
}

/**
 * One shape for both modes: the planned counts (`create` … `errors`, as `PlanSummary`) are
 * always present; the outcome counts (`created` … `failed`) are present after an apply only.
 * `skipped` counts both planned skips and deletes the API refused as in use at apply time.
 */
export interface PlanDocumentSummary extends PlanSummary, Partial<ApplyCounts> {}

export interface PlanDocument {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  mode: 'plan' | 'apply';
  /** Whether the plan creates, updates or deletes anything. */
  hasChanges: boolean;
  /** `sha256:…` of the changes and their targets: equal for two plans that do the same (see engine/digest.ts). */
  digest: string;
  /**
   * Whether anything is left to do: before an apply, a change or a delete skipped while in use;
   * after one, a change that did not succeed. `--detailed-exitcode` exits 2 exactly when this
   * is true and nothing failed.
   */
  pending: boolean;
  /** Apply only: an operation failed or timed out, or the plan had errors (exit code 1). */
  failed?: boolean;
  /** In plan order: creates and updates, noops, skips, deletes. */
  changes: PlanDocumentChange[];
  /** Remote sessions no file declares and the state does not own; never touched. */
  unmanaged: string[];
  /** Remote jobs no file declares and the state does not own; never touched. */
  unmanagedJobs: string[];
  errors: PlanError[];
  /** What to know before applying, though nothing stops the plan (e.g. no state was found). */
  warnings: string[];
  /** Set when the plan deletes more than the safe share without --force: it is not applied. */
  unsafe?: UnsafePlan;
  /** Set when `--expect-plan` refused the plan (a delete the reviewed plan did not show): it is not applied. */
  refused?: ReviewRefusal;
  summary: PlanDocumentSummary;
}

export interface PlanDocumentOptions {
  refused?: ReviewRefusal;
}

export function planDocument(plan: Plan, options: PlanDocumentOptions = {}): PlanDocument {
  const summary = summarizePlan(plan);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    mode: 'plan',
    hasChanges: hasChanges(summary),
    digest: planDigest(plan),
    pending: planPending(plan),
    changes: plan.entries.map((entry) => changeOf({ entry })),
    unmanaged: [...plan.unmanaged],
    unmanagedJobs: [...plan.unmanagedJobs],
    errors: plan.errors.map(errorOf),
    warnings: [...plan.warnings],
    ...(plan.unsafe ? { unsafe: unsafeOf(plan.unsafe) } : {}),
    ...(options.refused ? { refused: { reason: options.refused.reason, unseenDeletes: options.refused.unseenDeletes.map(({ kind, id }) => ({ kind, id })) } } : {}),
    summary,
  };
}

export function applyDocument(apply: ApplyResult): PlanDocument {
  const outcomes = outcomesOf(apply);
  const { noop: _noop, ...counts } = summarizeApply(apply);
  const summary = summarizePlan(apply.plan);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    mode: 'apply',
    hasChanges: hasChanges(summary),
    digest: planDigest(apply.plan),
    pending: applyPending(apply),
    failed: apply.failed || counts.failed > 0,
    changes: outcomes.map(changeOf),
    unmanaged: [...apply.plan.unmanaged],
    unmanagedJobs: [...apply.plan.unmanagedJobs],
    errors: apply.plan.errors.map(errorOf),
    warnings: [...apply.plan.warnings],
    summary: { ...summary, ...counts },
  };
}

/** Pretty (2 spaces), one document, trailing newline. */
export function renderPlanJson(plan: Plan, options: PlanDocumentOptions = {}): string {
  return `${JSON.stringify(planDocument(plan, options), null, 2)}\n`;
}

export function renderApplyJson(apply: ApplyResult): string {
  return `${JSON.stringify(applyDocument(apply), null, 2)}\n`;
}

function changeOf({ entry, result, status }: ChangeOutcome): PlanDocumentChange {
  const change: PlanDocumentChange = { kind: entry.kind, id: entry.id, action: entry.action, reason: entry.reason };
  if (entry.file !== undefined) change.file = entry.file;
  if (status) change.status = status;
  if ('changedParameters' in entry && entry.changedParameters?.length) change.changedParameters = [...entry.changedParameters];
  if ('changedSettings' in entry && entry.changedSettings?.length) change.changedSettings = [...entry.changedSettings];
  if ('changes' in entry && entry.changes?.length) change.changedFields = entry.changes.map((field) => field.path);
  if ('drift' in entry && entry.drift) change.drift = true;
  if (entry.kind === 'job' && entry.paused) change.paused = true;
  if (entry.action === 'skip') {
    change.skipped = entry.skipped;
    change.inUse = inUseOf(entry.inUse);
  }
  if (isResume(entry)) change.resumeOperationId = entry.resumeOperationId;
  if (isWaitThenUpdate(entry)) change.waitForOperationId = entry.waitForOperationId;
  if (result?.message !== undefined) change.message = result.message;
  if (result?.code !== undefined) change.code = result.code;
  if (result?.operationId !== undefined) change.operationId = result.operationId;
  if (result?.lastStatus !== undefined) change.lastStatus = result.lastStatus;
  if (result?.timedOut) change.timedOut = true;
  return change;
}

function inUseOf({ jobId, runId, runStatus, apiMessage, named }: InUse): PlanDocumentChange['inUse'] {
  const inUse: NonNullable<PlanDocumentChange['inUse']> = { jobId };
  if (named) inUse.named = true;
  if (runId !== undefined) inUse.runId = runId;
  if (runStatus !== undefined) inUse.runStatus = runStatus;
  if (apiMessage !== undefined) inUse.apiMessage = apiMessage;
  return inUse;
}

function unsafeOf({ deletes, managed, maxShare, message }: UnsafePlan): UnsafePlan {
  return { deletes, managed, maxShare, message };
}

function errorOf({ kind, id, file, line, column, message }: PlanError): PlanError {
  return { kind, id, ...(file !== undefined ? { file } : {}), ...(line !== undefined ? { line, column: column ?? 1 } : {}), message };
}
