/**
 * Ordering and the sentences built from counts, shared by the text, markdown and JSON
 * renderers so the three never disagree. The counts themselves come from the engine's
 * `summarizePlan` and `summarizeApply` (engine/summary.ts).
 */
import { KIND_NAMES, KIND_WORDS } from '../resources/kind.js';
import type { ChangeAction, KindName, Plan } from '../engine/types.js';
import { hasChanges, hasJobs, summarizePlan, type ApplySummary, type PlanCounted, type PlanSummary } from '../engine/summary.js';
import { formatCount, joinList, plural } from '../engine/words.js';

export { formatCount, hasJobs, joinList, plural };

/** Order in which changes are shown to people: what a merge does, then what it leaves. */
export const DISPLAY_ORDER: readonly ChangeAction[] = ['create', 'update', 'delete', 'skip', 'noop'];

/** Stable sort by `DISPLAY_ORDER`; within one action the plan's own order is kept. */
export function sortForDisplay<T>(items: readonly T[], actionOf: (item: T) => ChangeAction): T[] {
  const rank = (item: T) => DISPLAY_ORDER.indexOf(actionOf(item));
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

/** `2 to create, 1 to update, 1 to delete, 1 started earlier (waiting), 1 skipped (in use), 4 unchanged` */
export function planCountsPhrase(summary: PlanSummary): string {
  const parts = [
    `${formatCount(summary.create)} to create`,
    `${formatCount(summary.update)} to update`,
    `${formatCount(summary.delete)} to delete`,
  ];
  if (summary.resume > 0) parts.push(`${formatCount(summary.resume)} started by an earlier run (waiting)`);
  if (summary.skip > 0) parts.push(`${formatCount(summary.skip)} skipped (in use)`);
  if (summary.noop > 0) parts.push(`${formatCount(summary.noop)} unchanged`);
  return parts.join(', ');
}

/** The last line of a text plan. */
export function planSummaryLine(summary: PlanSummary, mixed = false): string {
  const [one, many] = mixed ? ['resource has errors', 'resources have errors'] : ['AuthSession has errors', 'AuthSessions have errors'];
  const errors = summary.errors > 0 ? ` ${formatCount(summary.errors)} ${plural(summary.errors, one, many)} and ${plural(summary.errors, 'is', 'are')} not planned.` : '';
  if (hasChanges(summary) || summary.skip > 0) {
    return `Plan: ${planCountsPhrase(summary)}.${errors}`;
  }
  if (summary.errors > 0) return `No changes planned.${errors}`;
  return mixed ? 'No changes. Intuned matches the files.' : 'No changes. Remote sessions match the files.';
}

/**
 * `create 2, update 1 and delete 1 AuthSessions`, then `and wait for 1 operation an earlier run
 * started` (undefined when nothing changes)
 */
export function changeList(summary: PlanSummary, noun: string = KIND_WORDS['auth-session'].counted): string | undefined {
  const changes = kindChanges(summary, noun);
  if (summary.resume === 0) return changes;
  const wait = `wait for ${formatCount(summary.resume)} ${plural(summary.resume, 'operation')} an earlier run started`;
  return changes ? `${changes}, and ${wait}` : wait;
}


function kindChanges(summary: PlanSummary, noun: string): string | undefined {
  const parts: string[] = [];
  if (summary.create > 0) parts.push(`create ${formatCount(summary.create)}`);
  if (summary.update > 0) parts.push(`update ${formatCount(summary.update)}`);
  if (summary.delete > 0) parts.push(`delete ${formatCount(summary.delete)}`);
  const total = summary.create + summary.update + summary.delete;
  return parts.length > 0 ? `${joinList(parts)} ${plural(total, noun)}` : undefined;
}

/**
 * `changeList` of a whole plan: `create 2 AuthSessions, create 3 and update 1 jobs` when it
 * holds jobs, in the apply's order of kinds.
 */
export function planChangeList(plan: Plan): string | undefined {
  const summary = summarizePlan(plan);
  if (!hasJobs(plan)) return changeList(summary);
  const byKind = (kind: KindName): PlanCounted => ({ ...plan, entries: plan.entries.filter((entry) => entry.kind === kind) });
  const parts = KIND_NAMES.map((kind) => kindChanges(summarizePlan(byKind(kind)), KIND_WORDS[kind].counted))
    .filter((part): part is string => part !== undefined);
  const changes = parts.length > 0 ? parts.join(', ') : undefined;
  if (summary.resume === 0) return changes;
  const wait = `wait for ${formatCount(summary.resume)} ${plural(summary.resume, 'operation')} an earlier run started`;
  return changes ? `${changes}, and ${wait}` : wait;
}

/** The outcome counts people read (the noop count is said apart). */
export type ApplyCounts = Omit<ApplySummary, 'noop'>;

/** `2 created, 1 updated, 0 deleted, 1 skipped, 1 failed` */
export function applyCountsPhrase(counts: ApplyCounts): string {
  return [
    `${formatCount(counts.created)} created`,
    `${formatCount(counts.updated)} updated`,
    `${formatCount(counts.deleted)} deleted`,
    `${formatCount(counts.skipped)} skipped`,
    `${formatCount(counts.failed)} failed`,
  ].join(', ');
}

/** The plural noun of an action for "… and 12 more updates". */
export function actionNoun(action: ChangeAction, count: number): string {
  const nouns: Record<ChangeAction, [string, string]> = {
    create: ['create', 'creates'],
    update: ['update', 'updates'],
    delete: ['delete', 'deletes'],
    skip: ['skipped delete', 'skipped deletes'],
    noop: ['unchanged AuthSession', 'unchanged AuthSessions'],
  };
  const [one, many] = nouns[action];
  return plural(count, one, many);
}
