/**
 * The reviewed plan against the plan about to be applied. Pure: the Action reads the reviewed
 * plan from the pull request's comment, the CLI from `--expect-plan FILE`, and both refuse
 * the same thing: a delete the reviewer was not shown. Every other difference is listed and
 * applied (a create or update more or fewer, drift since the review).
 */
import { KIND_WORDS } from '../resources/kind.js';
import { changeKey, planChanges, planDigest, type PlanChange, type ReviewedAction } from './digest.js';
import { definedOnly } from './optional.js';
import type { Plan } from './types.js';

export type PlanMismatchMode = 'refuse' | 'warn';
export const PLAN_MISMATCH_MODES: readonly PlanMismatchMode[] = ['refuse', 'warn'];

export interface ReviewedPlan {
  /** Where it was read, for messages: `pull request #12`, `plan.json`. */
  source: string;
  /** Undefined when the reviewer was shown no plan (the last comment said none ran). */
  digest?: string;
  changes: readonly PlanChange[];
  /**
   * What `changes` lists: every change; only deletes and skipped deletes (the rest did not fit
   * the comment); or nothing (not even those fitted).
   */
  listed: 'all' | 'deletes' | 'none';
  /** Why the reviewed plan is what it is, when it is not a plain plan (no comment, no plan ran). */
  note?: string;
  /** The commit the reviewed plan was made for, when known. */
  commit?: string;
}

export interface PlanDifference {
  kind: string;
  /** Undefined for a difference that is not about one change (the digest alone). */
  id?: string;
  reviewed?: ReviewedAction;
  planned?: ReviewedAction;
  /** A sentence for people. */
  what: string;
}

export interface PlanComparison {
  source: string;
  reviewedDigest?: string;
  digest: string;
  /** The digests are equal: this is the reviewed plan. */
  matches: boolean;
  /** Deletes this plan makes that the reviewed plan did not show. */
  unseenDeletes: PlanChange[];
  /** Every difference, unseen deletes included. */
  differences: PlanDifference[];
  note?: string;
}

export function comparePlans(reviewed: ReviewedPlan, plan: Pick<Plan, 'entries'>): PlanComparison {
  const digest = planDigest(plan);
  const base = { source: reviewed.source, digest, ...definedOnly({ reviewedDigest: reviewed.digest || undefined, note: reviewed.note }) };
  if (reviewed.digest === digest) return { ...base, matches: true, unseenDeletes: [], differences: [] };

  const planned = planChanges(plan);
  const shown = new Map(reviewed.changes.map((change) => [changeKey(change), change]));
  const listsAll = reviewed.listed === 'all';
  const listsDeletes = reviewed.listed !== 'none';
  const unseenDeletes: PlanChange[] = [];
  const differences: PlanDifference[] = [];

  for (const change of planned) {
    const before = shown.get(changeKey(change));
    shown.delete(changeKey(change));
    if (change.action === 'delete' && !(listsDeletes && before && (before.action === 'delete' || before.action === 'skip'))) {
      unseenDeletes.push(change);
      const why = listsDeletes ? 'not in the reviewed plan' : 'the reviewed comment was too long to list its deletes';
      differences.push({ kind: change.kind, id: change.id, planned: 'delete', ...definedOnly({ reviewed: before?.action }), what: `delete ${change.id}: ${why}` });
      continue;
    }
    const listed = listsAll || change.action === 'delete' || change.action === 'skip';
    if (!listed) continue;
    if (!before) {
      differences.push({ kind: change.kind, id: change.id, planned: change.action, what: `${change.action} ${change.id}: not in the reviewed plan` });
    } else if (before.action !== change.action) {
      differences.push({ kind: change.kind, id: change.id, reviewed: before.action, planned: change.action, what: `${change.id}: ${before.action} in the reviewed plan, ${change.action} now` });
    } else if (before.target && change.target && before.target !== change.target) {
      differences.push({ kind: change.kind, id: change.id, reviewed: before.action, planned: change.action, what: `${change.action} ${change.id}: the values differ from the reviewed plan's` });
    }
  }
  for (const before of shown.values()) {
    differences.push({ kind: before.kind, id: before.id, reviewed: before.action, what: `${before.action} ${before.id}: in the reviewed plan, not in this one` });
  }
  // Nothing listed differs, yet the digests do: the difference is in what was not listed.
  if (differences.length === 0 && reviewed.digest) {
    const what = listsAll
      ? 'the same changes as the reviewed plan, but the values of some differ'
      : 'creates or updates differ from the reviewed plan (its comment was too long to list them)';
    differences.push({ kind: '', what });
  } else if (differences.length === 0 && !listsAll && planned.length > 0) {
    differences.push({ kind: '', what: 'the reviewed plan is unknown, so its creates and updates cannot be compared' });
  }
  return { ...base, matches: differences.length === 0, unseenDeletes, differences };
}

/** The step's or the command's error when unseen deletes refuse a plan; `next` says how to go on. */
export function refusalMessage(comparison: PlanComparison, next: string): string {
  // Sessions alone are named by ID, as before jobs; with jobs among them, each says its kind.
  const sessionsOnly = comparison.unseenDeletes.every((change) => change.kind !== 'job');
  const ids = comparison.unseenDeletes.map((change) => (sessionsOnly ? change.id : `${KIND_WORDS[change.kind === 'job' ? 'job' : 'auth-session'].short} ${change.id}`));
  const shown = ids.slice(0, REFUSAL_IDS_NAMED).join(', ') + (ids.length > REFUSAL_IDS_NAMED ? ` and ${ids.length - REFUSAL_IDS_NAMED} more` : '');
  return `the plan deletes ${ids.length} ${sessionsOnly ? 'AuthSession(s)' : 'resource(s)'} that the reviewed plan (${comparison.source}) did not show: ${shown}; nothing was sent to Intuned. ${next}`;
}

const REFUSAL_IDS_NAMED = 10;

/** A plan refused because of unseen deletes, as every output shows it (beside the plan it refused). */
export interface ReviewRefusal {
  reason: string;
  unseenDeletes: { kind: string; id: string }[];
}

export function reviewRefusal(comparison: PlanComparison, next: string): ReviewRefusal {
  return { reason: refusalMessage(comparison, next), unseenDeletes: comparison.unseenDeletes.map(({ kind, id }) => ({ kind, id })) };
}
