/**
 * Drift mode: while the plan of the default branch has changes, one issue stays open with the
 * plan and when it was seen; it is found by a label and a hidden marker (plus the step's target
 * line), created once and edited in place, and closed with a comment once the project is back
 * in sync. A plan that could not be made (an error) leaves the issue as it is.
 */
import type { Plan } from '../engine/types.js';
import { renderPlanMarkdown, titleFor } from '../render/markdown.js';
import { formatCount, planChangeList, plural } from '../render/summary.js';
import { hasJobs, planPending, summarizePlan } from '../engine/summary.js';
import type { GitHubApi } from './types.js';
import { definedOnly } from '../engine/optional.js';

export const DRIFT_LABEL = 'intuned-gitops-drift';
export const DRIFT_MARKER = '<!-- intuned-gitops:drift -->';
export const DRIFT_TITLE = 'Intuned AuthSessions drift';
const SINCE_PREFIX = '<!-- intuned-gitops:drift-since ';

/** Drift is anything an apply would do, deletes waiting for a session to be free included. */
export function hasDrift(plan: Plan): boolean {
  return planPending(plan);
}

export function inSync(plan: Plan): boolean {
  return !hasDrift(plan) && plan.errors.length === 0;
}

/** The plan's first sentence in the issue and the summary: what an apply of the files would do. */
export function driftLead(plan: Plan): string {
  const summary = summarizePlan(plan);
  const changes = planChangeList(plan);
  if (changes) return `**Intuned differs from the files: applying them would ${changes}.**`;
  const skip = summary.skip;
  if (skip > 0) return `**${formatCount(skip)} ${plural(skip, 'delete is', 'deletes are')} still to be made** once the AuthSessions are no longer in use.`;
  return '**No drift.** Intuned matches the files.';
}

export interface DriftOptions {
  api: GitHubApi;
  plan: Plan;
  /** The step's target line: two steps (staging, production) keep an issue each. */
  target: string;
  /** Run link and target line, for the end of the body. */
  footer: string;
  /** The `directory` input, in the title when not the root. */
  directory: string;
  now: Date;
  /** Masks the body before it leaves. */
  mask: (text: string) => string;
}

export type DriftAction = 'opened' | 'updated' | 'closed' | 'none';

export interface DriftResult {
  action: DriftAction;
  issue?: number;
  url?: string;
}

export async function keepDriftIssue(options: DriftOptions): Promise<DriftResult> {
  const { api, plan } = options;
  const open = await findDriftIssue(api, options.target);
  if (hasDrift(plan)) {
    const since = (open && sinceOf(open.body)) ?? options.now.toISOString();
    const body = options.mask(driftBody(options, since));
    if (open) {
      await api.updateIssue(open.number, { body });
      return { action: 'updated', issue: open.number, ...definedOnly({ url: open.url || undefined }) };
    }
    const named = titleFor(DRIFT_TITLE, hasJobs(options.plan));
    const title = options.directory === '.' ? named : `${named} (${options.directory})`;
    const created = await api.createIssue({ title, body, labels: [DRIFT_LABEL] });
    return { action: 'opened', issue: created.number, ...definedOnly({ url: created.url || undefined }) };
  }
  if (!open || !inSync(plan)) return { action: 'none', ...definedOnly({ issue: open?.number }) };
  const footer = options.footer.split('\n')[0] ?? '';
  await api.create(open.number, options.mask(`✅ **Back in sync** at ${stamp(options.now)}: the plan has no changes, so this issue is closed.\n\n${footer}`));
  await api.updateIssue(open.number, { close: true });
  return { action: 'closed', issue: open.number, ...definedOnly({ url: open.url || undefined }) };
}

async function findDriftIssue(api: GitHubApi, target: string) {
  for await (const issue of api.openIssues(DRIFT_LABEL)) {
    if (issue.body.startsWith(DRIFT_MARKER) && issue.body.includes(target)) return issue;
  }
  return undefined;
}

function driftBody(options: DriftOptions, since: string): string {
  const seen = since === options.now.toISOString() ? `Seen ${stamp(options.now)}.` : `First seen ${stamp(new Date(since))}; last seen ${stamp(options.now)}.`;
  const lead = `${driftLead(options.plan)} ${seen}`;
  const footer = `${options.footer}\n${SINCE_PREFIX}${since} -->`;
  return renderPlanMarkdown(options.plan, { marker: DRIFT_MARKER, title: DRIFT_TITLE, lead, footer });
}

function sinceOf(body: string): string | undefined {
  const match = /<!-- intuned-gitops:drift-since (\d{4}-\d\d-\d\dT[\d:.]+Z) -->/.exec(body);
  return match?.[1];
}

/** `2026-12-03 02:00 UTC`: minutes are enough, and every reader gets the same zone. */
function stamp(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
