/**
 * Three-way merge of state documents, for a `git:` push that lost a race to another run.
 *
 * The state records facts (this session was created, that operation started, this one was
 * deleted), so two runs' records merge per session: what this run changed since it read the
 * state wins, everything else is taken from the newer remote state. A session this run deleted
 * stays deleted; one the other run added or deleted, and this run did not touch, keeps the
 * other run's record. Re-planning is not needed: the operations already ran, and the next
 * run's plan starts from Intuned as it is, so a record that raced ends in one extra update at
 * worst, never a duplicate or a lost session.
 */
import { StateError } from '../errors.js';
import { canonicalJson } from '../engine/canonical-json.js';
import type { StateDocument } from './types.js';
import { putSession, removeSession, sessionOf, sessionRecords, type Records } from './sessions.js';

export interface MergeInput {
  /** The state this run read (undefined: there was none). */
  base: StateDocument | undefined;
  /** The state this run ends with. */
  ours: StateDocument;
  /** The state on the remote now (undefined: there is none). */
  theirs: StateDocument | undefined;
}

export function mergeStates({ base, ours, theirs }: MergeInput): StateDocument {
  if (!theirs) return ours;
  if (theirs.workspaceId !== ours.workspaceId || theirs.project !== ours.project) {
    throw new StateError(
      `the state on the branch now belongs to workspace ${theirs.workspaceId}, project ${theirs.project}, not to workspace ${ours.workspaceId}, project ${ours.project}; use a separate state branch for each project`,
    );
  }
  // keyId is ours: a record the other run made under another key then reads as changed, which
  // costs an update and never a wrong noop.
  return {
    ...ours,
    sessions: mergeRecords(base?.sessions, ours.sessions, theirs.sessions),
    jobs: mergeRecords(base?.jobs, ours.jobs ?? sessionRecords(), theirs.jobs ?? sessionRecords()),
  };
}

/** Per ID, one kind's records: what this run changed wins, the rest is theirs. */
function mergeRecords<T>(base: Records<T> | undefined, ours: Records<T>, theirs: Records<T>): Records<T> {
  const merged = sessionRecords<T>(Object.entries(theirs));
  const ids = new Set([...Object.keys(base ?? {}), ...Object.keys(ours)]);
  for (const id of ids) {
    const after = sessionOf(ours, id);
    if (sameRecord(base && sessionOf(base, id), after)) continue;
    if (after === undefined) removeSession(merged, id);
    else putSession(merged, id, after);
  }
  return merged;
}

function sameRecord<T>(a: T | undefined, b: T | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}
