/**
 * An apply result seen per planned change: the engine joins each plan entry with the result the
 * applier reported for its ID (`outcomesOf`, engine/summary.ts), so statuses and counts are
 * decided once; this adds how a renderer names the action of a line.
 */
import type { ChangeAction, PlanEntry } from '../engine/types.js';

export { applyPending, countResumed, isResumed, outcomesOf, type ChangeOutcome } from '../engine/summary.js';

/** The action a line names: a planned skip shows what it skipped (`delete`), a recorded noop its operation. */
export function shownAction(entry: PlanEntry): ChangeAction {
  if ('recordApplied' in entry && entry.recordedKind) return entry.recordedKind;
  return entry.action === 'skip' ? entry.skipped : entry.action;
}
