/** Reasons a person reads in a plan. Names only: never a value. */
import { SETTING_FIELDS, type Fingerprint, type FingerprintDiff } from './fingerprint.js';
import type { InUse } from './types.js';
import { shorten } from './words.js';

/** A run ID is cut to this many characters, its `…` included. */
const RUN_ID_SHOWN = 9;

/** An operation status as a person says it: `queued`, `running`, not the API's `pending`, `in_progress`. */
const STATUS_WORDS: Record<string, string> = {
  pending: 'queued',
  in_progress: 'running',
  requested_more_info: 'waiting for an answer',
};

export function statusWord(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

export function describeDiff(diff: FingerprintDiff, before: Fingerprint, after: Fingerprint): string {
  const parts: string[] = [];
  // Own names only: `name in` finds `constructor` and `toString` in every record.
  const changed = diff.parameters.filter((name) => Object.hasOwn(before.parameters, name) && Object.hasOwn(after.parameters, name));
  const added = diff.parameters.filter((name) => !Object.hasOwn(before.parameters, name));
  const removed = diff.parameters.filter((name) => !Object.hasOwn(after.parameters, name));
  if (changed.length > 0) parts.push(`parameters changed: ${changed.join(', ')}`);
  if (added.length > 0) parts.push(`parameters added: ${added.join(', ')}`);
  if (removed.length > 0) parts.push(`parameters removed: ${removed.join(', ')}`);
  for (const field of SETTING_FIELDS) {
    if (!diff.settings.includes(field)) continue;
    if (!Object.hasOwn(before.settings, field)) parts.push(`${field} set`);
    else if (!Object.hasOwn(after.settings, field)) parts.push(`${field} unset`);
    else parts.push(`${field} changed`);
  }
  return parts.join('; ');
}

/** Why a delete waits, as part of a plan reason: `it is in use by job j1 (its run 8f2c41d7… is PENDING)`. */
export function inUseReason(inUse: InUse): string {
  if (inUse.named) return `job ${inUse.jobId}, which intuned-gitops does not manage, names it as its AuthSession`;
  if (inUse.apiMessage !== undefined) return `Intuned refused to delete it while in use ("${inUse.apiMessage}")`;
  const run = inUse.runId ? ` (its run ${shorten(inUse.runId, RUN_ID_SHOWN)} is ${inUse.runStatus ?? 'unfinished'})` : '';
  return `it is in use by job ${inUse.jobId}${run}`;
}
