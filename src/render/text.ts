/**
 * The terminal renderers (`--output text`, the default): Terraform-like, a line per change,
 * unchanged sessions as one count, a summary line last. ANSI colour only when asked for.
 */
import type { ApplyResult, ChangeAction, Plan, PlanError } from '../engine/types.js';
import type { ReviewRefusal } from '../engine/review.js';
import {
  describeEntry,
  describeFailure,
  describeSkip,
  errorPlace,
  pausedJobs,
  resourceName,
  stripControl as clean,
  terminalInline as inline,
} from './describe.js';
import { formatDuration } from '../engine/duration.js';
import { countResumed, isResumed, outcomesOf, shownAction, type ChangeOutcome } from './outcomes.js';
import { summarizeApply, summarizePlan } from '../engine/summary.js';
import {
  applyCountsPhrase,
  formatCount,
  hasJobs,
  plural,
  planSummaryLine,
  sortForDisplay,
} from './summary.js';

export interface TextOptions {
  /** ANSI colours (the CLI turns them on for a terminal without NO_COLOR). */
  color?: boolean;
  /**
   * List only what did not succeed (the CLI printed each success live, as it happened); the
   * summary line still counts everything.
   */
  problemsOnly?: boolean;
  /** Why the plan is refused (by `--expect-plan`), so it is not applied. */
  refused?: ReviewRefusal;
}

/** IDs are padded to line reasons up, but a very long one must not push every line right. */
export const TEXT_ID_COLUMN_LIMIT = 32;
/** Unmanaged IDs listed before "… and N more": a terminal line, not an inventory. */
export const TEXT_UNMANAGED_LIMIT = 50;

type Style = 'green' | 'yellow' | 'red' | 'cyan' | 'dim' | 'bold';
const ANSI: Record<Style, string> = {
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  red: '\u001b[31m',
  cyan: '\u001b[36m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
};
const RESET = '\u001b[0m';
type Paint = (text: string, style: Style) => string;

const SYMBOL: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-', skip: '!', noop: ' ' };
const ACTION_STYLE: Record<ChangeAction, Style> = {
  create: 'green',
  update: 'yellow',
  delete: 'red',
  skip: 'cyan',
  noop: 'dim',
};

export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  const paint = painter(options.color);
  const summary = summarizePlan(plan);
  const changes = sortForDisplay(
    plan.entries.filter((entry) => entry.action !== 'noop'),
    (entry) => entry.action,
  );
  const mixed = hasJobs(plan);
  const sections: string[][] = [];
  if (changes.length > 0) {
    const names = changes.map((entry) => resourceName(entry, mixed, clean));
    const width = idWidth(names);
    const lines = ['intuned-gitops will perform these actions:', ''];
    changes.forEach((entry, index) => {
      const label = paint(`${SYMBOL[entry.action]} ${entry.action.padEnd(6)}`, ACTION_STYLE[entry.action]);
      const file = entry.file ? `  ${paint(`(${clean(entry.file)})`, 'dim')}` : '';
      lines.push(`  ${label} ${names[index]!.padEnd(width)}  ${describeEntry(entry, { inline })}${file}`);
    });
    if (summary.noop > 0) lines.push(paint(`  ${formatCount(summary.noop)} unchanged`, 'dim'));
    sections.push(lines);
  }
  sections.push(...unmanagedSections(plan, mixed));
  if (plan.errors.length > 0) sections.push(errorLines(plan.errors, 'not planned', paint, mixed));
  if (plan.unsafe) sections.push([paint(`This plan will not be applied: ${clean(plan.unsafe.message)}`, 'red')]);
  if (options.refused) sections.push([paint(`This plan will not be applied: ${clean(options.refused.reason)}`, 'red')]);
  if (plan.warnings.length > 0) sections.push(plan.warnings.map((warning) => paint(`Warning: ${clean(warning)}`, 'yellow')));
  sections.push([paint(recordedLine(plan) ?? planSummaryLine(summary, mixed), 'bold')]);
  return joinSections(sections);
}

export function renderApplyText(apply: ApplyResult, options: TextOptions = {}): string {
  const paint = painter(options.color);
  const outcomes = outcomesOf(apply);
  const changed = outcomes.filter((outcome) => outcome.entry.action !== 'noop' || 'recordApplied' in outcome.entry);
  const shown = sortForDisplay(
    options.problemsOnly ? changed.filter((outcome) => outcome.status !== 'succeeded') : changed,
    (outcome) => outcome.entry.action,
  );
  const counts = summarizeApply(apply);
  const noop = counts.noop;
  const mixed = hasJobs(apply.plan);
  const sections: string[][] = [];
  if (options.problemsOnly && changed.length > 0) {
    if (shown.length > 0) sections.push(shown.map((outcome) => `  ${outcomeLine(outcome, paint, mixed)}`));
  } else if (shown.length > 0) {
    const lines = shown.map((outcome) => `  ${outcomeLine(outcome, paint, mixed)}`);
    if (noop > 0) lines.push(paint(`  ${formatCount(noop)} unchanged`, 'dim'));
    sections.push(lines);
  } else {
    sections.push([apply.plan.errors.length > 0 ? 'Nothing to apply.' : mixed ? 'No changes. Intuned matches the files.' : 'No changes. Remote sessions match the files.']);
  }
  if (apply.plan.errors.length > 0) sections.push(errorLines(apply.plan.errors, 'not applied', paint, mixed));
  const resumed = countResumed(outcomes);
  const resumedNote = resumed > 0 ? ` (${formatCount(resumed)} ${plural(resumed, 'was an operation', 'were operations')} an earlier run started)` : '';
  sections.push([paint(`Apply complete: ${applyCountsPhrase(counts)}${resumedNote}.`, 'bold')]);
  return joinSections(sections);
}

/**
 * Nothing to start, but operations an earlier run started have ended done since: not "No
 * changes", which would hide that the files' values were applied by that run, now recorded.
 */
function recordedLine(plan: Plan): string | undefined {
  const recorded = plan.entries.filter((entry) => 'recordApplied' in entry).length;
  if (recorded === 0 || plan.entries.some((entry) => entry.action !== 'noop')) return undefined;
  return `Nothing to start: ${formatCount(recorded)} ${plural(recorded, 'operation')} an earlier run started ${plural(recorded, 'has', 'have')} finished, and the apply records ${plural(recorded, 'it', 'them')} as applied.`;
}

/** `✗ update acme-crm failed: Login check failed (auth-check-failed)` */
function outcomeLine({ entry, result, status }: ChangeOutcome, paint: Paint, mixed: boolean): string {
  const head = `${shownAction(entry)} ${resourceName(entry, mixed, clean)}`;
  if (status === 'succeeded') {
    const took = result?.durationMs !== undefined ? ` in ${formatDuration(result.durationMs)}` : '';
    const earlier = isResumed(entry) ? ' (started by an earlier run)' : '';
    return `${paint('✓', 'green')} ${head} succeeded${took}${earlier}`;
  }
  if (status === 'failed' && result) {
    const detail = describeFailure(result, { inline });
    return `${paint('✗', 'red')} ${head} ${result.timedOut ? detail : `failed: ${detail}`}`;
  }
  if (status === 'skipped') return `${paint('⏭', 'cyan')} ${head} skipped: ${describeSkip(entry, result, { inline })}`;
  return `${paint('·', 'dim')} ${head} not started`;
}

/** Unmanaged resources, one line per kind; paused jobs, which the tool leaves paused. */
function unmanagedSections(plan: Plan, mixed: boolean): string[][] {
  const sections: string[][] = [];
  if (plan.unmanaged.length > 0) sections.push([idLine(mixed ? 'AuthSessions not managed by intuned-gitops, left alone' : 'Not managed by intuned-gitops, left alone', plan.unmanaged)]);
  if (plan.unmanagedJobs.length > 0) sections.push([idLine('Jobs not managed by intuned-gitops, left alone', plan.unmanagedJobs)]);
  const paused = pausedJobs(plan);
  if (paused.length > 0) sections.push([idLine('Paused in Intuned (intuned-gitops neither pauses nor resumes jobs)', paused)]);
  return sections;
}

function idLine(lead: string, ids: readonly string[]): string {
  const listed = ids.slice(0, TEXT_UNMANAGED_LIMIT).map(clean).join(', ');
  const more = ids.length > TEXT_UNMANAGED_LIMIT ? ` … and ${formatCount(ids.length - TEXT_UNMANAGED_LIMIT)} more` : '';
  return `${lead}: ${listed}${more}`;
}

function errorLines(errors: readonly PlanError[], what: string, paint: Paint, mixed: boolean): string[] {
  return [
    paint(`Errors (${what}):`, 'red'),
    ...errors.map(
      (error) =>
        `  ${paint('✗', 'red')} ${resourceName(error, mixed, clean)}${errorPlace(error) ? ` (${clean(errorPlace(error)!)})` : ''}: ${clean(error.message)}`,
    ),
  ];
}

function idWidth(ids: readonly string[]): number {
  return Math.min(TEXT_ID_COLUMN_LIMIT, ids.reduce((widest, id) => Math.max(widest, id.length), 0));
}

function painter(color: boolean | undefined): Paint {
  return color ? (text, style) => `${ANSI[style]}${text}${RESET}` : (text) => text;
}

function joinSections(sections: readonly string[][]): string {
  return `${sections.map((lines) => lines.map((line) => line.trimEnd()).join('\n')).join('\n\n')}\n`;
}
