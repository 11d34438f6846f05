/**
 * The pull-request comments for when no plan ran: a fork (or no API key), where the files were
 * only validated; and a plan that failed, which must replace the last plan shown so nobody
 * merges on a stale one. Same marker, title and size limit as the plan comment.
 */
import type { Problem } from '../errors.js';
import { AUTH_SESSIONS_FOLDER } from '../resources/discover.js';
import { shorten } from '../engine/words.js';
import { codeSpan, escapeText } from './markdown-escape.js';
import { fitMarkdown, GITHUB_COMMENT_LIMIT, type Block, type Layout } from './markdown-fit.js';
import { APPLY_TITLE, COMMENT_MARKER, PLAN_TITLE } from './markdown.js';
import { headerBlock, truncationNote } from './markdown-sections.js';
import { formatCount, plural } from './summary.js';

export interface NoPlanOptions {
  /** Markdown written after everything (run link, target line). */
  footer: string;
  /** The path a reader finds the file at (relative to the repository root). */
  pathOf: (problem: Problem) => string;
  maxLength?: number;
}

export interface ValidateSummary {
  /** Why no plan ran, as a markdown sentence. */
  reason: string;
  /** What to do about it, as a markdown sentence. */
  next: string;
  /** Whether `intuned-resources/auth-sessions` exists in the directory. */
  folderFound: boolean;
  sessions: number;
  files: number;
  problems: readonly Problem[];
  /** Variables the files reference that are not set here. */
  unsetEnv: readonly string[];
}

export function renderValidateMarkdown(summary: ValidateSummary, options: NoPlanOptions): string {
  const { problems } = summary;
  let verdict = `✅ **The files are valid:** ${formatCount(summary.sessions)} ${plural(summary.sessions, 'AuthSession')} in ${formatCount(summary.files)} ${plural(summary.files, 'file')} (checked offline).`;
  if (!summary.folderFound) verdict = `⚠️ **No ${codeSpan(AUTH_SESSIONS_FOLDER)} folder** in the project directory: nothing to validate. Check the \`directory\` input.`;
  if (problems.length > 0) verdict = `❌ **${problemCount(problems)}**, found by checking the files offline:`;
  const unset = summary.unsetEnv.length > 0 ? [{ lines: [`Not set here, so values using them were not checked: ${summary.unsetEnv.map(codeSpan).join(', ')}.`] }] : [];
  const build = (layout: Layout): Block[] => [
    headerBlock(COMMENT_MARKER, PLAN_TITLE),
    { lines: [`**No plan ran:** ${summary.reason}`] },
    { lines: [verdict] },
    ...problemsBlock(problems, layout, options),
    ...unset,
    { lines: [summary.next] },
  ];
  return fit(build, options, 'Run `intuned-gitops validate` for every problem.');
}

export interface Failure {
  /** What could not run. */
  mode: 'plan' | 'apply';
  /** Already masked; each line is quoted as text. */
  message: string;
  problems: readonly Problem[];
}

export function renderFailureMarkdown(failure: Failure, options: NoPlanOptions): string {
  const { problems } = failure;
  let lead = '**❌ The apply could not run.** See the error below and the workflow log.';
  if (failure.mode === 'plan') lead = '**❌ The plan could not run.** Merging now would apply files that were not planned; see the error below and the workflow log.';
  if (problems.length > 0) lead = `**❌ No ${failure.mode}: ${problemCount(problems)}.** Nothing was sent to Intuned; fix ${plural(problems.length, 'it', 'them')} and push again.`;
  const quoted = failure.message.split('\n').filter((line) => line.trim() !== '');
  const build = (layout: Layout): Block[] => [
    headerBlock(COMMENT_MARKER, failure.mode === 'plan' ? PLAN_TITLE : APPLY_TITLE),
    { lines: [lead] },
    ...(problems.length > 0 ? problemsBlock(problems, layout, options) : [{ lines: quoted.map((line) => `> ${escapeText(shorten(line, layout.textLimit))}`) }]),
  ];
  return fit(build, options, 'See the workflow log for the rest.');
}

function problemsBlock(problems: readonly Problem[], layout: Layout, options: NoPlanOptions): Block[] {
  if (problems.length === 0) return [];
  const limit = layout.rowLimit ?? problems.length;
  const items = problems.slice(0, limit).map((problem) => {
    const where = `${options.pathOf(problem)}:${problem.line}:${problem.column}`;
    return `- ${codeSpan(where)}: ${escapeText(shorten(problem.message, layout.textLimit))}`;
  });
  const more = problems.length > limit ? [`- … and ${formatCount(problems.length - limit)} more`] : [];
  return [{ lines: [...items, ...more] }];
}

function problemCount(problems: readonly Problem[]): string {
  const files = new Set(problems.map((problem) => problem.file)).size;
  return `${formatCount(problems.length)} ${plural(problems.length, 'problem')} in ${formatCount(files)} ${plural(files, 'file')}`;
}

function fit(build: (layout: Layout) => Block[], options: NoPlanOptions, rest: string): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  return fitMarkdown(build, { maxLength, truncationNote: truncationNote(maxLength, rest), footer: options.footer });
}
