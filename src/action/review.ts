/**
 * What a push says about the reviewed plan: a section of the job summary, lines of the log, the
 * `plan-comparison` output, and the step's error when unseen deletes refused the plan.
 */
import { renderReviewMarkdown, renderReviewText } from '../render/review.js';
import type { RunResult } from '../run.js';
import type { PushReview } from './pinned.js';
import { definedOnly } from '../engine/optional.js';

/** What the job summary and the log say about the reviewed plan, on a push. */
export function reviewReport(found: PushReview | undefined, result: RunResult): { markdown: string; log?: string } {
  if (found?.kind === 'direct') {
    const sentence = `Direct push: no pull request brought commit ${found.sha.slice(0, 7)}, so there is no reviewed plan to compare with; applied as before.`;
    return { markdown: `\n### Reviewed plan\n\n${sentence}\n`, log: sentence };
  }
  if (!result.review) return { markdown: '' };
  const pull = found?.pull;
  const source = pull?.url ? `[pull request #${pull.number}](${pull.url})` : undefined;
  const markdown = renderReviewMarkdown(result.review.comparison, { refused: result.review.refused, ...definedOnly({ source }) });
  return { markdown: `\n${markdown}`, log: renderReviewText(result.review.comparison) };
}

/** What a push refused for unseen deletes can do next, in the step's error. */
export const REVIEW_REFUSAL_NEXT = 'Open a pull request whose plan shows them, apply by hand (workflow_dispatch with mode: apply), or set plan-mismatch: warn.';

/** The `plan-comparison` output: every fact of the comparison, IDs and sentences only. */
export function comparisonDocument({ comparison, refused }: NonNullable<RunResult['review']>): Record<string, unknown> {
  return {
    source: comparison.source,
    matches: comparison.matches,
    refused,
    digest: comparison.digest,
    ...definedOnly({ reviewedDigest: comparison.reviewedDigest }),
    unseenDeletes: comparison.unseenDeletes.map(({ kind, id }) => ({ kind, id })),
    differences: comparison.differences.map((difference) => difference.what),
    ...definedOnly({ note: comparison.note }),
  };
}
