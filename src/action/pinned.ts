/**
 * Pinned plans: on a push, the pull request the commit came from (a merge, squash or rebase
 * commit) and the plan its comment showed. GitHub's commits→pulls endpoint names the merged
 * pull request that brought a commit to the branch; no merged pull request means a direct push.
 *
 * Whatever cannot be read counts as not shown: the reviewed plan is then empty (a pull request
 * with no plan comment, or whose comment says no plan ran) or unknown (GitHub could not be
 * asked), and any delete in the plan is unseen.
 */
import { isOurComment } from './comment.js';
import { readPlanData } from './plan-data.js';
import type { ReviewedPlan } from '../engine/review.js';
import type { GitHubApi } from './types.js';
import { definedOnly } from '../engine/optional.js';

export type PushReview =
  | { kind: 'direct'; sha: string }
  | { kind: 'reviewed'; reviewed: ReviewedPlan; pull?: { number: number; url?: string } };

export interface FindReviewOptions {
  /** Undefined when there is no token or no repository to ask. */
  api: GitHubApi | undefined;
  sha: string | undefined;
  /** The target line that tells our comment for this step from the others. */
  target: string;
  /** Why `api` is undefined, for the note. */
  unavailable?: string;
}

export async function findPushReview(options: FindReviewOptions): Promise<PushReview> {
  const { api, sha } = options;
  if (!api || !sha) return unknown(options.unavailable ?? 'the pushed commit is unknown (no GITHUB_SHA)');
  let pulls;
  try {
    pulls = (await api.pullsOfCommit(sha)).filter((pull) => pull.merged);
  } catch (error) {
    return unknown(`GitHub could not say which pull request ${sha.slice(0, 7)} came from (${errorText(error)})`);
  }
  // A merge, squash or rebase commit is its pull request's merge commit; else the one that brought it.
  const pull = pulls.find((item) => item.mergeCommitSha === sha) ?? pulls[0];
  if (!pull) return { kind: 'direct', sha };
  const source = `pull request #${pull.number}`;
  const where = { number: pull.number, ...definedOnly({ url: pull.url }) };
  try {
    for await (const comment of api.list(pull.number)) {
      if (!isOurComment(comment.body, options.target)) continue;
      const reviewed = readPlanData(comment.body, source);
      if (reviewed) return { kind: 'reviewed', reviewed: withStaleness(reviewed, pull.headSha), pull: where };
      return { kind: 'reviewed', pull: where, reviewed: { source, changes: [], listed: 'all', note: `The last comment on ${source} showed no plan (the plan failed, or the files were only validated), so no change was reviewed.` } };
    }
  } catch (error) {
    return { ...unknown(`the comments of ${source} could not be read (${errorText(error)})`), pull: where };
  }
  return { kind: 'reviewed', pull: where, reviewed: { source, changes: [], listed: 'all', note: `${source} has no plan comment from intuned-gitops for this project, so no change was reviewed.` } };
}

/** A comment made for an older commit than the one merged: its plan did not run before the merge. */
function withStaleness(reviewed: ReviewedPlan, headSha: string | undefined): ReviewedPlan {
  if (!reviewed.commit || !headSha || reviewed.commit === headSha) return reviewed;
  const note = `The comment on ${reviewed.source} shows the plan of commit ${reviewed.commit.slice(0, 7)}, not of its last commit ${headSha.slice(0, 7)} (whose plan had not run when it was merged).`;
  return { ...reviewed, note };
}

function unknown(why: string): Extract<PushReview, { kind: 'reviewed' }> {
  const note = `The reviewed plan is unknown: ${why}.`;
  return { kind: 'reviewed', reviewed: { source: 'the pull request of this push', changes: [], listed: 'none', note } };
}

function errorText(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  return `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${(error as Error).message}`;
}
