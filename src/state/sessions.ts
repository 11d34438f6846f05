/**
 * The state's sessions, indexed by AuthSession ID. Every valid ID is an ordinary key:
 * `__proto__`, `constructor` and `valueOf` are IDs the API accepts, so no code may read a
 * record as `sessions[id]` or test `id in sessions` (which find what every object inherits),
 * nor write `sessions[id] = …` (which, for `__proto__`, replaces the object's prototype).
 * Records are made without a prototype, but a copy (structuredClone, a spread) gets one back:
 * these accessors hold whatever the object's prototype.
 */
import type { SessionState } from './types.js';

/** Records by resource ID (sessions, jobs): the same rules hold for every kind's IDs. */
export type Records<T> = Record<string, T>;
export type SessionRecords = Records<SessionState>;

/** An empty record map with no prototype. */
export function sessionRecords<T = SessionState>(entries: Iterable<readonly [string, T]> = []): Records<T> {
  const records = Object.create(null) as Records<T>;
  for (const [id, session] of entries) putSession(records, id, session);
  return records;
}

export function sessionOf<T>(records: Records<T>, id: string): T | undefined {
  return Object.hasOwn(records, id) ? records[id] : undefined;
}

export function putSession<T>(records: Records<T>, id: string, session: T): void {
  Object.defineProperty(records, id, { value: session, enumerable: true, writable: true, configurable: true });
}

export function removeSession<T>(records: Records<T>, id: string): void {
  if (Object.hasOwn(records, id)) delete records[id];
}

/** Whether the tool owns the resource this record is about (see `owned` in types.ts). */
export function isOwned<T extends { owned?: false }>(record: T | undefined): record is T {
  return record !== undefined && record.owned !== false;
}
