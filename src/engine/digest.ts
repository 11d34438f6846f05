/**
 * The digest of a plan: one short value that is equal for two plans exactly when they make the
 * same changes to the same targets. It pins the plan a pull request showed, so the apply after
 * the merge can tell whether it is still the reviewed plan.
 *
 * Per change it covers the kind, the ID, the action and the target: for a create or update the
 * keyed fingerprint of what would be sent (an HMAC under the state key, so neither the digest
 * nor a per-change target reveals or lets anyone confirm a secret). Noops change nothing and are
 * left out, so a plan's digest does not move when an unrelated file is added and applied.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { sendsValues, type ChangeAction, type Plan, type PlanEntry } from './types.js';
import { definedOnly } from './optional.js';

export const DIGEST_PREFIX = 'sha256:';
/** Hex characters of a per-change target: enough to tell two values apart, short in a comment. */
const TARGET_HEX = 16;

export type ReviewedAction = Exclude<ChangeAction, 'noop'>;

/** One change as a reviewer saw it. `target` is absent where it is unknown or there is none. */
export interface PlanChange {
  kind: string;
  id: string;
  action: ReviewedAction;
  target?: string;
}

/** The changes a plan makes, in a fixed order (kind, then ID), each with its short target. */
export function planChanges(plan: Pick<Plan, 'entries'>): PlanChange[] {
  return plan.entries
    .filter((entry): entry is PlanEntry & { action: ReviewedAction } => entry.action !== 'noop')
    .map((entry) => {
      const target = sendsValues(entry) && entry.target ? shortTarget(entry.target) : undefined;
      return { kind: entry.kind, id: entry.id, action: entry.action, ...definedOnly({ target }) };
    })
    .sort(byKindAndId);
}

export function planDigest(plan: Pick<Plan, 'entries'>): string {
  const rows = planChanges(plan).map((change) => [change.kind, change.id, change.action, change.target ?? '']);
  return DIGEST_PREFIX + createHash('sha256').update(`intuned-gitops/plan/v1\0${canonicalJson(rows)}`, 'utf8').digest('hex');
}

export function changeKey(change: Pick<PlanChange, 'kind' | 'id'>): string {
  return `${change.kind}\0${change.id}`;
}

/** A hash of the fingerprint, not the fingerprint: a comment needs to compare, not to match the state. */
function shortTarget(fingerprint: string): string {
  return createHash('sha256').update(`intuned-gitops/target/v1\0${fingerprint}`, 'utf8').digest('hex').slice(0, TARGET_HEX);
}

function byKindAndId(a: PlanChange, b: PlanChange): number {
  const left = changeKey(a);
  const right = changeKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
