/**
 * The octoDNS-style brake: a plan that deletes more than a safe share of the managed sessions
 * is refused unless --force, and so is a plan that deletes every managed session, at any size.
 * A wrong `--dir`, a bad merge or a renamed folder then cannot wipe a project's sessions. Below
 * `minManaged` the share rule is off: there a single delete is already a large share.
 * `managed` counts the owned sessions that exist in Intuned, the ones a delete could reach.
 */
import type { KindName, Plan } from './types.js';
import { KIND_WORDS } from '../resources/kind.js';
import { summarizePlan } from './summary.js';
import { plural } from './words.js';

export interface DeleteThreshold {
  maxShare: number;
  minManaged: number;
}

export const DEFAULT_DELETE_THRESHOLD: DeleteThreshold = { maxShare: 0.3, minManaged: 10 };

/** Per kind: deleting every job is as suspicious as deleting every session. */
export function checkDeleteSafety(
  plan: Plan,
  { kind, managed }: { kind: KindName; managed: number },
  options: { force: boolean; threshold?: DeleteThreshold },
): void {
  if (plan.unsafe) return;
  const threshold = options.threshold ?? DEFAULT_DELETE_THRESHOLD;
  const summary = summarizePlan({ ...plan, entries: plan.entries.filter((entry) => entry.kind === kind) });
  const title = KIND_WORDS[kind].counted;
  const deletes = summary.delete + summary.skip;
  // Every managed session at once is what a moved folder or a wrong --dir looks like, at any size.
  const all = deletes > 0 && deletes === managed;
  const tooMany = managed >= threshold.minManaged && deletes > managed * threshold.maxShare;
  if (options.force || (!all && !tooMany)) return;
  const percent = Math.round((deletes / managed) * 100);
  plan.unsafe = {
    deletes,
    managed,
    maxShare: threshold.maxShare,
    message:
      (all
        ? `refusing to delete all ${managed} managed ${plural(managed, title)}. `
        : `refusing to delete ${deletes} of ${managed} managed ${plural(managed, title)} (${percent}%, more than the safe ${Math.round(threshold.maxShare * 100)}%). `) +
      'If the files were removed on purpose, run again with --force (Action input `force: true`); ' +
      'otherwise check --dir and that the resource files are where intuned-gitops looks for them.',
  };
}
