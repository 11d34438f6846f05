/**
 * An apply result seen per planned change: each plan entry joined with the result the
 * applier reported for its ID. Every apply renderer reads this, so statuses and counts are
 * decided once.
 */
import type { ApplyResult, ChangeAction, ChangeResult, ChangeStatus, PlanEntry } from '../engine/types.js';
import type { ApplyCounts } from './summary.js';

export interface Outcome {
  /** The applier's entry when it reported one (it may add `inUse` to a refused delete), else the plan's. */
  entry: PlanEntry;
  result?: ChangeResult;
  /**
   * Unset for noops (nothing was run) and for a create, update or delete the applier did not
   * report (not started). A planned skip is `skipped` even when the applier reports nothing.
   */
  status?: ChangeStatus;
}

/** In plan order; results whose ID the plan does not hold are kept, at the end. */
export function outcomesOf(apply: ApplyResult): Outcome[] {
  const byId = new Map<string, ChangeResult>();
  for (const result of apply.results) byId.set(result.entry.id, result);
  const outcomes = apply.plan.entries.map((planned) => {
    const result = byId.get(planned.id);
    byId.delete(planned.id);
    return outcomeOf(result?.entry ?? planned, result);
  });
  for (const result of byId.values()) outcomes.push(outcomeOf(result.entry, result));
  return outcomes;
}

function outcomeOf(entry: PlanEntry, result: ChangeResult | undefined): Outcome {
  // An earlier run's operation that ended done, recorded by this apply: it succeeded.
  if (entry.action === 'noop') return entry.recordApplied ? { entry, status: 'succeeded' } : { entry };
  const status = result?.status ?? (entry.action === 'skip' ? 'skipped' : undefined);
  const outcome: Outcome = { entry };
  if (result) outcome.result = result;
  if (status) outcome.status = status;
  return outcome;
}

export function countOutcomes(outcomes: readonly Outcome[]): ApplyCounts {
  const counts: ApplyCounts = { created: 0, updated: 0, deleted: 0, skipped: 0, failed: 0 };
  const done: Partial<Record<ChangeAction, keyof ApplyCounts>> = {
    create: 'created',
    update: 'updated',
    delete: 'deleted',
  };
  for (const { entry, status } of outcomes) {
    if (status === 'failed') counts.failed += 1;
    if (status === 'skipped') counts.skipped += 1;
    const key = done[countedAction(entry)];
    if (status === 'succeeded' && key) counts[key] += 1;
  }
  return counts;
}

/** The action an outcome counts as: a recorded noop as the operation an earlier run started. */
function countedAction(entry: PlanEntry): ChangeAction {
  return entry.recordApplied && entry.recordedKind ? entry.recordedKind : entry.action;
}

/** Whether a change was made by an operation an earlier run started (waited for, or found done). */
export function isResumed(entry: PlanEntry): boolean {
  return entry.resumeOperationId !== undefined || entry.recordApplied === true;
}

/** How many succeeded changes were operations an earlier run started. */
export function countResumed(outcomes: readonly Outcome[]): number {
  return outcomes.filter(({ entry, status }) => status === 'succeeded' && isResumed(entry)).length;
}

/**
 * True when the apply left something to do: a change that did not succeed (a delete skipped
 * while in use, a failure, one not started). The after-apply form of `planPending`.
 */
export function applyPending(apply: ApplyResult): boolean {
  return outcomesOf(apply).some(({ entry, status }) => entry.action !== 'noop' && status !== 'succeeded');
}

/** The action a line names: a planned skip shows what it skipped (`delete`), a recorded noop its operation. */
export function shownAction(entry: PlanEntry): ChangeAction {
  if (entry.recordApplied && entry.recordedKind) return entry.recordedKind;
  return entry.action === 'skip' ? (entry.skipped ?? 'skip') : entry.action;
}
