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
import type { SessionState, StateDocument } from './types.js';
import { putSession, removeSession, sessionOf, sessionRecords } from './sessions.js';

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
  const sessions = sessionRecords(Object.entries(theirs.sessions));
  const ids = new Set([...Object.keys(base?.sessions ?? {}), ...Object.keys(ours.sessions)]);
  for (const id of ids) {
    const after = sessionOf(ours.sessions, id);
    if (sameRecord(base && sessionOf(base.sessions, id), after)) continue;
    if (after === undefined) removeSession(sessions, id);
    else putSession(sessions, id, after);
  }
  // keyId is ours: a record the other run made under another key then reads as changed, which
  // costs an update and never a wrong noop.
  return { ...ours, sessions };
}

function sameRecord(a: SessionState | undefined, b: SessionState | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonical(a) === canonical(b);
}

/** JSON with keys sorted and undefined dropped: records equal in content compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
