/**
 * The hidden line of the plan comment that pins what was reviewed: the plan's digest and its
 * changes (kind, ID, action, short target), as base64url JSON inside an HTML comment. The push
 * after the merge reads it back. It holds no value: targets are hashes of keyed fingerprints.
 * Base64 because the comment is masked before it is written: an ID that equals a masked value
 * (a username `ops-bot` for the session `ops-bot`) must come back as it was, and no ID can end
 * the HTML comment.
 *
 * The comment must stay under GitHub's limit whatever the plan, so the line has a budget: past
 * it, creates and updates are left out (deletes and skipped deletes are what a refusal needs),
 * and past that, every change (the digest alone then pins the plan).
 */
import { planChanges, planDigest, type PlanChange, type ReviewedAction } from '../engine/digest.js';
import type { ReviewedPlan } from '../engine/review.js';
import type { Plan } from '../engine/types.js';

const PLAN_DATA_PREFIX = '<!-- intuned-gitops:plan-data ';
const PLAN_DATA_SUFFIX = ' -->';
const PLAN_DATA_VERSION = 1;
/** Characters of the hidden line at most: a fifth of GitHub's comment limit. */
export const PLAN_DATA_LIMIT = 13_000;

type Row = [kind: string, id: string, action: ReviewedAction, target?: string];

interface PlanData {
  v: typeof PLAN_DATA_VERSION;
  digest: string;
  /** The pull request's head commit the plan was made for. */
  commit?: string;
  listed: ReviewedPlan['listed'];
  changes: Row[];
}

export function planDataLine(plan: Plan, options: { commit?: string; limit?: number } = {}): string {
  const limit = options.limit ?? PLAN_DATA_LIMIT;
  const commit = options.commit ? { commit: options.commit } : {};
  const digest = planDigest(plan);
  const rows = planChanges(plan).map(rowOf);
  const deletes = rows.filter(([, , action]) => action === 'delete' || action === 'skip');
  for (const [listed, changes] of [['all', rows], ['deletes', deletes], ['none', []]] as const) {
    const line = encode({ v: PLAN_DATA_VERSION, digest, ...commit, listed, changes: [...changes] });
    if (line.length <= limit || listed === 'none') return line;
  }
  throw new Error('unreachable');
}

/** The reviewed plan in a comment body; undefined when the body has no (readable) plan data. */
export function readPlanData(body: string, source: string): ReviewedPlan | undefined {
  // The last one: the data line is the comment's footer, written after everything else, while a
  // file name or an ID shown earlier in the comment could hold a forged one.
  const start = body.lastIndexOf(PLAN_DATA_PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(PLAN_DATA_SUFFIX, start + PLAN_DATA_PREFIX.length);
  if (end < 0) return undefined;
  let data: Partial<PlanData>;
  try {
    data = JSON.parse(Buffer.from(body.slice(start + PLAN_DATA_PREFIX.length, end), 'base64url').toString('utf8')) as Partial<PlanData>;
  } catch {
    return undefined;
  }
  if (data.v !== PLAN_DATA_VERSION || typeof data.digest !== 'string' || !Array.isArray(data.changes)) return undefined;
  if (data.listed !== 'all' && data.listed !== 'deletes' && data.listed !== 'none') return undefined;
  const changes: PlanChange[] = [];
  for (const row of data.changes) {
    if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string' || typeof row[2] !== 'string') return undefined;
    changes.push({ kind: row[0], id: row[1], action: row[2] as ReviewedAction, ...(typeof row[3] === 'string' ? { target: row[3] } : {}) });
  }
  return { source, digest: data.digest, changes, listed: data.listed, ...(typeof data.commit === 'string' ? { commit: data.commit } : {}) };
}

function rowOf(change: PlanChange): Row {
  return change.target ? [change.kind, change.id, change.action, change.target] : [change.kind, change.id, change.action];
}

function encode(data: PlanData): string {
  return `${PLAN_DATA_PREFIX}${Buffer.from(JSON.stringify(data), 'utf8').toString('base64url')}${PLAN_DATA_SUFFIX}`;
}
