/**
 * Phrases about one change (why, in use by what, how it failed), written once and formatted
 * per output through an `Inline`: plain text for the terminal, escaped markdown for GitHub.
 * Only `id`, `reason`, names and API messages are read here, never `desired`.
 */
import { KIND_WORDS } from '../resources/kind.js';
import type { ChangeResult, InUse, KindName, Plan, PlanEntry } from '../engine/types.js';
import { statusWord } from '../engine/reasons.js';
import { shorten } from '../engine/words.js';

/** How a renderer writes an identifier and a piece of free text inline. */
export interface Inline {
  code(value: string): string;
  text(value: string): string;
}

export const plainInline: Inline = { code: (value) => value, text: (value) => value };

/**
 * Control characters (newlines, ANSI escapes) from API messages or file names would break a
 * line or drive the terminal; each becomes a space.
 */
export function stripControl(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

/** For the terminal: one line per change, nothing a terminal would interpret. */
export const terminalInline: Inline = { code: stripControl, text: stripControl };


/**
 * `job nightly-sync` where the plan holds jobs, the bare ID where it holds sessions only (as
 * every plan did before jobs).
 */
export function resourceName(resource: { kind: KindName; id: string }, mixed: boolean, code: (value: string) => string = (value) => value): string {
  return mixed ? `${KIND_WORDS[resource.kind].short} ${code(resource.id)}` : code(resource.id);
}

/** `file` or `file:line:col` of a plan error, where it has a file. */
export function errorPlace(error: { file?: string; line?: number; column?: number }): string | undefined {
  if (error.file === undefined) return undefined;
  return error.line !== undefined ? `${error.file}:${error.line}:${error.column ?? 1}` : error.file;
}

/** Jobs Intuned has paused: the plan says so, since the tool neither pauses nor resumes them. */
export function pausedJobs(plan: Pick<Plan, 'entries'>): string[] {
  return plan.entries.filter((entry) => entry.kind === 'job' && entry.paused && entry.action !== 'delete').map((entry) => entry.id);
}

export interface DescribeOptions {
  inline?: Inline;
  /** Longest free text (reasons, API messages) before it is cut with `…`. */
  textLimit?: number;
}

/** `in use by job j1, run r1 (PENDING)` */
export function describeInUse(inUse: InUse, options: DescribeOptions = {}): string {
  const { code, text } = options.inline ?? plainInline;
  const users = [
    inUse.jobId ? `job ${code(inUse.jobId)}` : '',
    inUse.runId ? `run ${code(inUse.runId)}` : '',
  ].filter(Boolean);
  let phrase = users.length > 0 ? `in use by ${users.join(', ')}` : 'in use';
  if (inUse.runStatus) phrase += ` (${text(inUse.runStatus)})`;
  if (inUse.apiMessage) phrase += `; the API refused the delete: ${text(shorten(inUse.apiMessage, options.textLimit))}`;
  return phrase;
}

/**
 * Why a change is planned. The engine's reason is already whole ("file removed, but it is in
 * use by job j1 …; a later run deletes it", "… still running; waiting for it"), so nothing is
 * added from `inUse` or the operation IDs here.
 */
export function describeEntry(entry: PlanEntry, options: DescribeOptions = {}): string {
  const { text } = options.inline ?? plainInline;
  return text(shorten(entry.reason, options.textLimit));
}

/**
 * What went wrong: `Login check failed (auth-check-failed)`. A timeout's message is the
 * engine's whole phrase ("timed out after 10m (last status running)").
 */
export function describeFailure(result: ChangeResult, options: DescribeOptions = {}): string {
  const { code, text } = options.inline ?? plainInline;
  if (result.timedOut) {
    if (result.message) return text(shorten(result.message, options.textLimit));
    return result.lastStatus ? `timed out (last status ${text(statusWord(result.lastStatus))})` : 'timed out';
  }
  const message = result.message ? text(shorten(result.message, options.textLimit)) : 'failed';
  return result.code ? `${message} (${code(result.code)})` : message;
}

/** Why a change was skipped at apply time. */
export function describeSkip(entry: PlanEntry, result: ChangeResult | undefined, options: DescribeOptions = {}): string {
  const { text } = options.inline ?? plainInline;
  if (result?.message) return text(shorten(result.message, options.textLimit));
  return entry.action === 'skip' ? describeInUse(entry.inUse, options) : 'skipped';
}

