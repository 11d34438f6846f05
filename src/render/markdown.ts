/**
 * The pull-request comment (and job summary): what a merge will do, said in a sentence, then
 * a table of changes. Shrinks itself to fit `maxLength` (see markdown-fit.ts).
 */
import type { ApplyResult, Plan, PlanEntry } from '../engine/types.js';
import type { ReviewRefusal } from '../engine/review.js';
import { describeEntry, describeFailure, describeSkip, pausedJobs, resourceName } from './describe.js';
import { cellInline, cellCodeSpan, codeSpan, escapeProse, markdownInline } from './markdown-escape.js';
import { fitMarkdown, GITHUB_COMMENT_LIMIT, MIN_MARKDOWN_LENGTH, type Block, type Layout } from './markdown-fit.js';
import {
  ACTION_EMOJI,
  errorsBlock,
  headerBlock,
  idListBlock,
  skippedDeletesNote,
  tableBlock,
  truncationNote,
  unchangedBlock,
  unmanagedBlock,
} from './markdown-sections.js';
import { outcomesOf, shownAction, type ChangeOutcome } from './outcomes.js';
import { summarizeApply, summarizePlan } from '../engine/summary.js';
import {
  applyCountsPhrase,
  formatCount,
  hasJobs,
  planChangeList,
  plural,
  sortForDisplay,
  type ApplyCounts,
} from './summary.js';
import { definedOnly } from '../engine/optional.js';

export { GITHUB_COMMENT_LIMIT, MIN_MARKDOWN_LENGTH };

/** Hidden first line by which the Action finds its own comment to edit in place. */
export const COMMENT_MARKER = '<!-- intuned-gitops:plan -->';
export const PLAN_TITLE = 'Intuned AuthSessions plan';
export const APPLY_TITLE = 'Intuned AuthSessions apply';
/** A title where a plan holds jobs too: `Intuned AuthSessions and Jobs plan` (drift too). */
export function titleFor(title: string, mixed: boolean): string {
  return mixed ? title.replace('Intuned AuthSessions ', 'Intuned AuthSessions and Jobs ') : title;
}

export interface MarkdownOptions {
  /** Default `GITHUB_COMMENT_LIMIT`; at least `MIN_MARKDOWN_LENGTH`. */
  maxLength?: number;
  /** Markdown, written as given. */
  title?: string;
  /** Markdown, written as given after everything, even after a cut. */
  footer?: string;
  /** Default `COMMENT_MARKER` (for apply results too, so one comment can show either); `''` for none. */
  marker?: string;
  /** Markdown, in place of a plan's first sentence (what merging does): for a plan shown elsewhere than a pull request. */
  lead?: string;
  /** Why the plan is refused (by `--expect-plan`), so it is not applied. */
  refused?: ReviewRefusal;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const summary = summarizePlan(plan);
  const changes = sortForDisplay(
    plan.entries.filter((entry) => entry.action !== 'noop'),
    (entry) => entry.action,
  );
  const mixed = hasJobs(plan);
  const unchanged = plan.entries.filter((entry) => entry.action === 'noop');
  const skipped =
    summary.skip > 0
      ? [`${formatCount(summary.skip)} ${plural(summary.skip, 'delete is', 'deletes are')} skipped because the ${mixed ? plural(summary.skip, 'resource is', 'resources are') : plural(summary.skip, 'AuthSession is', 'AuthSessions are')} in use.`]
      : [];
  const paragraph = [options.lead ?? (options.refused ? REFUSED_LEAD : planLead(plan)), ...skipped, ...countSentences(unchanged.length, plan)].join(' ');
  const build = (layout: Layout): Block[] => [
    headerBlock(options.marker ?? COMMENT_MARKER, titleFor(options.title ?? PLAN_TITLE, mixed)),
    { lines: [paragraph] },
    ...(plan.unsafe ? [{ lines: [`> ⛔ ${escapeProse(capitalize(plan.unsafe.message))}`] }] : []),
    ...(options.refused ? [{ lines: [`> ⛔ Refused: ${escapeProse(options.refused.reason)}`] }] : []),
    ...plan.warnings.map((warning) => ({ lines: [`> ⚠️ ${escapeProse(capitalize(warning))}`] })),
    ...errorsBlock(plan.errors, layout, `These ${mixed ? 'resources' : 'AuthSessions'} cannot be planned and will not be changed; fix them before merging:`, mixed),
    ...(changes.length > 0 ? [planTable(changes, layout, mixed)] : []),
    ...(summary.skip > 0 ? [skippedDeletesNote(summary.skip, mixed)] : []),
    ...(layout.listNoops && unchanged.length > 0 ? [unchangedBlock(unchanged, layout, mixed)] : []),
    ...kindListBlocks(plan, layout),
  ];
  return fit(build, options, 'Run `intuned-gitops plan` or see the workflow log for the full plan.');
}

export function renderApplyMarkdown(apply: ApplyResult, options: MarkdownOptions = {}): string {
  const outcomes = outcomesOf(apply);
  const counts = summarizeApply(apply);
  const shown = sortForDisplay(
    outcomes.filter((outcome) => outcome.entry.action !== 'noop'),
    (outcome) => outcome.entry.action,
  );
  const mixed = hasJobs(apply.plan);
  const unchanged = outcomes.filter((outcome) => outcome.entry.action === 'noop').map((outcome) => outcome.entry);
  const failures = shown.filter((outcome) => outcome.status === 'failed');
  const skippedDeletes = shown.filter((outcome) => outcome.status === 'skipped' && shownAction(outcome.entry) === 'delete');
  const lead = applyLead(counts, shown.length === 0 && !outcomes.some((outcome) => 'recordApplied' in outcome.entry), apply.plan.errors.length > 0, hasJobs(apply.plan));
  const build = (layout: Layout): Block[] => [
    headerBlock(options.marker ?? COMMENT_MARKER, titleFor(options.title ?? APPLY_TITLE, mixed)),
    { lines: [[lead, ...countSentences(unchanged.length, apply.plan)].join(' ')] },
    ...failuresBlock(failures, layout, mixed),
    ...errorsBlock(apply.plan.errors, layout, `These ${mixed ? 'resources' : 'AuthSessions'} could not be planned and were not changed:`, mixed),
    ...(shown.length > 0 ? [applyTable(shown, layout, mixed)] : []),
    ...(skippedDeletes.length > 0 ? [skippedDeletesNote(skippedDeletes.length, mixed)] : []),
    ...(layout.listNoops && unchanged.length > 0 ? [unchangedBlock(unchanged, layout, mixed)] : []),
    ...kindListBlocks(apply.plan, layout),
  ];
  return fit(build, options, 'See the workflow log for the full result.');
}

const REFUSED_LEAD = '**⛔ Not applied: this plan is not the reviewed one.** Nothing was sent to Intuned.';

/** Exactly what merging does: an unsafe plan is refused by the apply, so nothing changes. */
function planLead(plan: Plan): string {
  if (plan.unsafe) {
    const changes = planChangeList(plan);
    const would = changes ? ` With \`force\` it would ${changes}.` : '';
    return `**⛔ Merging will change nothing: the apply refuses this plan.**${would}`;
  }
  const changes = planChangeList(plan);
  return changes ? `**Merging will ${changes}.**` : '**No changes.** Merging this pull request changes nothing in Intuned.';
}

function applyLead(counts: ApplyCounts, nothingRun: boolean, planErrors: boolean, mixed: boolean): string {
  if (counts.failed > 0) {
    return `**❌ ${formatCount(counts.failed)} ${plural(counts.failed, 'operation')} failed.** Applied: ${applyCountsPhrase(counts)}.`;
  }
  if (nothingRun) return planErrors ? '**Nothing to apply.**' : mixed ? '**No changes.** Intuned matches the files.' : '**No changes.** Remote sessions match the files.';
  return `**Apply complete: ${applyCountsPhrase(counts)}.**`;
}

/** A sentence's first letter, unless it starts with a file path, which is shown as written. */
function capitalize(text: string): string {
  if (/^[^\s:]*[/\\]/.test(text)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fit(build: (layout: Layout) => Block[], options: MarkdownOptions, rest: string): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  if (maxLength < MIN_MARKDOWN_LENGTH) {
    throw new RangeError(`maxLength must be at least ${MIN_MARKDOWN_LENGTH} (got ${maxLength})`);
  }
  const fitOptions = { maxLength, truncationNote: truncationNote(maxLength, rest) };
  return fitMarkdown(build, options.footer ? { ...fitOptions, footer: options.footer } : fitOptions);
}

function countSentences(unchanged: number, plan: Plan): string[] {
  const sentences: string[] = [];
  const mixed = hasJobs(plan);
  if (unchanged > 0) sentences.push(`${formatCount(unchanged)} unchanged.`);
  const unmanaged = plan.unmanaged.length + plan.unmanagedJobs.length;
  if (unmanaged > 0) sentences.push(`${formatCount(unmanaged)} not managed (left alone).`);
  const paused = pausedJobs(plan).length;
  if (paused > 0) sentences.push(`${formatCount(paused)} ${plural(paused, 'job is', 'jobs are')} paused in Intuned (left paused).`);
  if (plan.errors.length > 0) {
    const errors = plan.errors.length;
    const [one, many] = mixed ? ['resource has errors', 'resources have errors'] : ['AuthSession has errors', 'AuthSessions have errors'];
    sentences.push(`⚠️ ${formatCount(errors)} ${plural(errors, one, many)}.`);
  }
  return sentences;
}

/** Unmanaged sessions and jobs, each in its own collapsed list; paused jobs likewise. */
function kindListBlocks(plan: Plan, layout: Layout): Block[] {
  const paused = pausedJobs(plan);
  return [
    ...(plan.unmanaged.length > 0 ? [unmanagedBlock(plan.unmanaged, layout, 'AuthSession')] : []),
    ...(plan.unmanagedJobs.length > 0 ? [unmanagedBlock(plan.unmanagedJobs, layout, 'job')] : []),
    ...(paused.length > 0 ? [idListBlock(`${formatCount(paused.length)} ${plural(paused.length, 'job')} paused in Intuned`, paused, layout, 'Pausing and resuming is done in Intuned: intuned-gitops leaves a job paused or active as it finds it.')] : []),
  ];
}

/** The name cell: `job` and the ID where a plan holds jobs, the ID alone otherwise. */
function nameCell(entry: PlanEntry, mixed: boolean): string {
  return resourceName(entry, mixed, cellCodeSpan);
}

function planTable(changes: readonly PlanEntry[], layout: Layout, mixed: boolean): Block {
  const file = (entry: PlanEntry) => (layout.fileColumn ? [entry.file ? cellCodeSpan(entry.file) : ''] : []);
  return tableBlock({
    header: ['', mixed ? 'Resource' : 'AuthSession', 'Action', 'Reason', ...(layout.fileColumn ? ['File'] : [])],
    items: changes,
    actionOf: (entry) => entry.action,
    row: (entry) => [
      ACTION_EMOJI[entry.action],
      nameCell(entry, mixed),
      entry.action,
      describeEntry(entry, { inline: cellInline, textLimit: layout.textLimit }),
      ...file(entry),
    ],
    ...definedOnly({ rowLimit: layout.rowLimit }),
  });
}

const STATUS_CELL = {
  succeeded: ['✅', 'succeeded'],
  failed: ['❌', 'failed'],
  skipped: ['⏭️', 'skipped'],
} as const;

function applyTable(outcomes: readonly ChangeOutcome[], layout: Layout, mixed: boolean): Block {
  const options = { inline: cellInline, textLimit: layout.textLimit };
  const details = ({ entry, result, status }: ChangeOutcome): string => {
    if (status === 'failed' && result) return describeFailure(result, options);
    if (status === 'skipped') return describeSkip(entry, result, options);
    return describeEntry(entry, options);
  };
  return tableBlock({
    header: ['', mixed ? 'Resource' : 'AuthSession', 'Action', 'Result', 'Details', ...(layout.fileColumn ? ['File'] : [])],
    items: outcomes,
    actionOf: (outcome) => outcome.entry.action,
    row: (outcome) => {
      const [emoji, word] = outcome.result?.timedOut
        ? ['⏱️', 'timed out']
        : outcome.status
          ? STATUS_CELL[outcome.status]
          : ['⏸️', 'not started'];
      const file = outcome.entry.file ? cellCodeSpan(outcome.entry.file) : '';
      return [emoji, nameCell(outcome.entry, mixed), shownAction(outcome.entry), word, details(outcome), ...(layout.fileColumn ? [file] : [])];
    },
    ...definedOnly({ rowLimit: layout.rowLimit }),
  });
}

/** Failures come first, right after the summary, and are never dropped by count. */
function failuresBlock(failures: readonly ChangeOutcome[], layout: Layout, mixed: boolean): Block[] {
  if (failures.length === 0) return [];
  const items = failures.map(({ entry, result }) => {
    const emoji = result?.timedOut ? '⏱️' : '❌';
    const detail = result ? describeFailure(result, { inline: markdownInline, textLimit: layout.textLimit }) : 'failed';
    return `- ${emoji} **${shownAction(entry)}** ${resourceName(entry, mixed, codeSpan)}: ${detail}`;
  });
  const intro = 'These operations did not finish; the state records them so the next run retries them:';
  return [{ lines: ['### ❌ Failures', '', intro, '', ...items], minLines: 5 }];
}
