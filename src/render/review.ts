/**
 * How a plan compares with the reviewed one: a few lines for the terminal, a section for the
 * Action's job summary. Pure functions of the comparison.
 */
import type { PlanComparison } from '../engine/review.js';
import { codeSpan, escapeText } from './markdown-escape.js';
import { formatCount, plural } from './summary.js';

/** Differences listed before "… and N more"; the outputs carry them all. */
export const DIFFERENCES_SHOWN = 50;

export function renderReviewText(comparison: PlanComparison): string {
  const head = `Compared with the reviewed plan (${comparison.source})`;
  if (comparison.matches) return `${head}: it is the same plan (${comparison.digest}).\n`;
  const lines = [`${head}: ${formatCount(comparison.differences.length)} ${plural(comparison.differences.length, 'difference')}.`];
  if (comparison.note) lines.push(`  ${comparison.note}`);
  for (const difference of comparison.differences.slice(0, DIFFERENCES_SHOWN)) lines.push(`  - ${difference.what}`);
  const more = comparison.differences.length - DIFFERENCES_SHOWN;
  if (more > 0) lines.push(`  … and ${formatCount(more)} more`);
  return `${lines.join('\n')}\n`;
}

export interface ReviewMarkdownOptions {
  /** The apply was refused for unseen deletes. */
  refused: boolean;
  /** Markdown naming where the reviewed plan is: `pull request #12` as a link. */
  source?: string;
}

export function renderReviewMarkdown(comparison: PlanComparison, options: ReviewMarkdownOptions): string {
  const source = options.source ?? escapeText(comparison.source);
  const lines = ['### Reviewed plan', ''];
  if (comparison.matches) {
    lines.push(`✅ This is the plan reviewed in ${source} (digest ${codeSpan(shortDigest(comparison.digest))}).`);
    return `${lines.join('\n')}\n`;
  }
  const deletes = comparison.unseenDeletes.length;
  if (deletes > 0 && options.refused) {
    lines.push(`⛔ **Refused: this plan deletes ${formatCount(deletes)} ${plural(deletes, 'AuthSession')} that the plan reviewed in ${source} did not show.** Nothing was sent to Intuned.`);
  } else if (deletes > 0) {
    lines.push(`⚠️ **Applied with ${formatCount(deletes)} ${plural(deletes, 'delete')} that the plan reviewed in ${source} did not show** (\`plan-mismatch: warn\`).`);
  } else {
    lines.push(`⚠️ This plan differs from the one reviewed in ${source}; it was applied.`);
  }
  if (comparison.note) lines.push('', escapeText(comparison.note));
  lines.push('');
  for (const difference of comparison.differences.slice(0, DIFFERENCES_SHOWN)) {
    const unseen = difference.planned === 'delete' && comparison.unseenDeletes.some((change) => change.id === difference.id && change.kind === difference.kind);
    lines.push(`- ${unseen ? '🗑️ ' : ''}${describe(difference.what, difference.id)}`);
  }
  const more = comparison.differences.length - DIFFERENCES_SHOWN;
  if (more > 0) lines.push(`- … and ${formatCount(more)} more (see the \`plan-comparison\` output)`);
  const reviewed = comparison.reviewedDigest ? codeSpan(shortDigest(comparison.reviewedDigest)) : 'none';
  lines.push('', `<sub>digest reviewed: ${reviewed} · now: ${codeSpan(shortDigest(comparison.digest))}</sub>`);
  if (deletes > 0 && options.refused) {
    lines.push(
      '',
      'To go on, open a pull request whose plan shows these deletes and merge it, or apply by hand (`workflow_dispatch` with `mode: apply`), or set `plan-mismatch: warn`.',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The ID as code, the rest as text: IDs are the user's, the sentence is ours. */
function describe(what: string, id: string | undefined): string {
  if (!id) return escapeText(what);
  const at = what.indexOf(id);
  if (at < 0) return escapeText(what);
  return `${escapeText(what.slice(0, at))}${codeSpan(id)}${escapeText(what.slice(at + id.length))}`;
}

function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
