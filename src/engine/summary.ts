/**
 * The counts of a plan and of an apply, derived here once from the entries and results: every
 * renderer, the CLI's exit code, the Action's outputs and the tests read these functions, so a
 * table and its summary line can never disagree. Nothing stores a count beside its entries.
 */
import { entryKey, isResume, type ApplyResult, type ChangeAction, type ChangeResult, type ChangeStatus, type Plan, type PlanEntry } from './types.js';

/**
 * What a plan does, by action. A create or update an earlier run started and that still runs is
 * counted as `resume`, apart from new ones: the apply waits for it and starts nothing.
 */
export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  skip: number;
  noop: number;
  resume: number;
  unmanaged: number;
  errors: number;
}

export type PlanCounted = Pick<Plan, 'entries' | 'unmanaged' | 'errors'> & Partial<Pick<Plan, 'unmanagedJobs'>>;

export function summarizePlan(plan: PlanCounted): PlanSummary {
  const counts: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0, skip: 0, noop: 0 };
  let resume = 0;
  for (const entry of plan.entries) {
    if (isResume(entry)) resume += 1;
    else counts[entry.action] += 1;
  }
  return { ...counts, resume, unmanaged: plan.unmanaged.length + (plan.unmanagedJobs?.length ?? 0), errors: plan.errors.length };
}

/** Whether a plan touches jobs: then every line names its kind, and sentences count per kind. */
export function hasJobs(plan: Pick<Plan, 'entries' | 'errors'> & { unmanagedJobs?: readonly string[] }): boolean {
  return plan.entries.some((entry) => entry.kind === 'job') || plan.errors.some((error) => error.kind === 'job') || (plan.unmanagedJobs?.length ?? 0) > 0;
}

/** True when applying would change anything in Intuned (a skip changes nothing). */
export function hasChanges(summary: PlanSummary): boolean {
  return summary.create + summary.update + summary.delete + summary.resume > 0;
}

/**
 * True when something is left to do: a change, or a delete skipped while the session is in use
 * (a later run makes it). `--detailed-exitcode` exits 2 exactly when this holds (and nothing
 * failed); the JSON document's `pending` says the same.
 */
export function planPending(plan: PlanCounted): boolean {
  const summary = summarizePlan(plan);
  return hasChanges(summary) || summary.skip > 0;
}

/** What an apply did. */
export interface ApplySummary {
  created: number;
  updated: number;
  deleted: number;
  skipped: number;
  failed: number;
  noop: number;
}

/** What became of one planned change in an apply: its entry, what the applier reported, the status shown. */
export interface ChangeOutcome {
  /** The applier's entry when it reported one, else the plan's. */
  entry: PlanEntry;
  result?: ChangeResult;
  /**
   * Unset for noops (nothing was run) and for a create, update or delete the applier did not
   * report (not started). A planned skip is `skipped` even when the applier reports nothing.
   */
  status?: ChangeStatus;
}

export type ApplyCounted = Pick<ApplyResult, 'plan' | 'results'>;

/** Each planned change joined with its result (by kind and ID), in plan order; results the plan does not hold are kept, at the end. */
export function outcomesOf(apply: ApplyCounted): ChangeOutcome[] {
  const byId = new Map<string, ChangeResult>();
  for (const result of apply.results) byId.set(entryKey(result.entry), result);
  const outcomes = apply.plan.entries.map((planned) => {
    const result = byId.get(entryKey(planned));
    byId.delete(entryKey(planned));
    return outcomeOf(result?.entry ?? planned, result);
  });
  for (const result of byId.values()) outcomes.push(outcomeOf(result.entry, result));
  return outcomes;
}

function outcomeOf(entry: PlanEntry, result: ChangeResult | undefined): ChangeOutcome {
  // An earlier run's operation that ended done, recorded by this apply: it succeeded.
  if (entry.action === 'noop') return 'recordApplied' in entry && entry.recordedKind ? { entry, status: 'succeeded' } : { entry };
  const status = result?.status ?? (entry.action === 'skip' ? 'skipped' : undefined);
  const outcome: ChangeOutcome = { entry };
  if (result) outcome.result = result;
  if (status) outcome.status = status;
  return outcome;
}

const DONE: Partial<Record<ChangeAction, 'created' | 'updated' | 'deleted'>> = { create: 'created', update: 'updated', delete: 'deleted' };

export function summarizeApply(apply: ApplyCounted): ApplySummary {
  const counts: ApplySummary = { created: 0, updated: 0, deleted: 0, skipped: 0, failed: 0, noop: 0 };
  for (const { entry, status } of outcomesOf(apply)) {
    const action = countedAction(entry);
    if (action === 'noop') counts.noop += 1;
    if (status === 'failed') counts.failed += 1;
    if (status === 'skipped') counts.skipped += 1;
    const key = DONE[action];
    if (status === 'succeeded' && key) counts[key] += 1;
  }
  return counts;
}

/** The action an outcome counts as: a recorded noop as the operation an earlier run started. */
export function countedAction(entry: PlanEntry): ChangeAction {
  return 'recordApplied' in entry && entry.recordedKind ? entry.recordedKind : entry.action;
}

/** Whether a change was made by an operation an earlier run started (waited for, or found done). */
export function isResumed(entry: PlanEntry): boolean {
  return isResume(entry) || ('recordApplied' in entry && entry.recordedKind !== undefined);
}

/** How many succeeded changes were operations an earlier run started. */
export function countResumed(outcomes: readonly ChangeOutcome[]): number {
  return outcomes.filter(({ entry, status }) => status === 'succeeded' && isResumed(entry)).length;
}

/**
 * True when the apply left something to do: a change that did not succeed (a delete skipped
 * while in use, a failure, one not started). The after-apply form of `planPending`.
 */
export function applyPending(apply: ApplyCounted): boolean {
  return outcomesOf(apply).some(({ entry, status }) => entry.action !== 'noop' && status !== 'succeeded');
}

/** What an apply of `plan` would report if every change it starts succeeded (the Action's counts in plan mode). */
export function summarizeIfApplied(plan: Plan): ApplySummary {
  const results: ChangeResult[] = plan.entries
    .filter((entry) => entry.action !== 'noop' && entry.action !== 'skip')
    .map((entry) => ({ entry, status: 'succeeded' }));
  return summarizeApply({ plan, results });
}

/** The operations an apply of `plan` runs or waits for: one progress line each. */
export function changesToRun(plan: PlanCounted): number {
  const summary = summarizePlan(plan);
  return summary.create + summary.update + summary.delete + summary.resume;
}
