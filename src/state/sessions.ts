/**
 * The state's sessions, indexed by AuthSession ID. Every valid ID is an ordinary key:
 * `__proto__`, `constructor` and `valueOf` are IDs the API accepts, so no code may read a
 * record as `sessions[id]` or test `id in sessions` (which find what every object inherits),
 * nor write `sessions[id] = …` (which, for `__proto__`, replaces the object's prototype).
 * Records are made without a prototype, but a copy (structuredClone, a spread) gets one back:
 * these accessors hold whatever the object's prototype.
 */
import type { SessionState } from './types.js';

export type SessionRecords = Record<string, SessionState>;

/** An empty record map with no prototype. */
export function sessionRecords(entries: Iterable<readonly [string, SessionState]> = []): SessionRecords {
  const records: SessionRecords = Object.create(null) as SessionRecords;
  for (const [id, session] of entries) putSession(records, id, session);
  return records;
}

export function sessionOf(records: SessionRecords, id: string): SessionState | undefined {
  return Object.hasOwn(records, id) ? records[id] : undefined;
}

export function putSession(records: SessionRecords, id: string, session: SessionState): void {
  Object.defineProperty(records, id, { value: session, enumerable: true, writable: true, configurable: true });
}

export function removeSession(records: SessionRecords, id: string): void {
  if (Object.hasOwn(records, id)) delete records[id];
}

/** Whether the tool owns the session this record is about (see `owned` in types.ts). */
export function isOwned(record: SessionState | undefined): record is SessionState {
  return record !== undefined && record.owned !== false;
}
