import { describe, expect, it } from 'vitest';
import { StateError } from '../../src/errors.js';
import { mergeStates } from '../../src/state/git-merge.js';
import type { SessionState, StateDocument } from '../../src/state/types.js';

const record = (mark: string): SessionState => ({ file: `${mark}.auth-session.json`, appliedAt: mark });

function doc(sessions: Record<string, string>, extra: Partial<StateDocument> = {}): StateDocument {
  return { formatVersion: 1, workspaceId: 'ws', project: 'p', keyId: 'k', sessions: Object.fromEntries(Object.entries(sessions).map(([id, mark]) => [id, record(mark)])), ...extra };
}

const marks = (document: StateDocument) => Object.fromEntries(Object.entries(document.sessions).map(([id, session]) => [id, session.appliedAt]));

type Marks = Record<string, string>;
interface Case {
  name: string;
  base: Marks | undefined;
  ours: Marks;
  theirs: Marks | undefined;
  merged: Marks;
}

describe('mergeStates', () => {
  it.each<Case>([
    { name: 'no remote state: ours as is', base: undefined, ours: { a: 'ours' }, theirs: undefined, merged: { a: 'ours' } },
    { name: 'both added different sessions', base: undefined, ours: { a: 'ours' }, theirs: { b: 'theirs' }, merged: { a: 'ours', b: 'theirs' } },
    { name: 'untouched by us: theirs', base: { a: '1' }, ours: { a: '1' }, theirs: { a: '2' }, merged: { a: '2' } },
    { name: 'changed by both: ours wins', base: { a: '1' }, ours: { a: 'ours' }, theirs: { a: 'theirs' }, merged: { a: 'ours' } },
    { name: 'deleted by us: stays deleted', base: { a: '1', b: '1' }, ours: { b: '1' }, theirs: { a: '2', b: '1' }, merged: { b: '1' } },
    { name: 'deleted by them, untouched by us: stays deleted', base: { a: '1', b: '1' }, ours: { a: '1', b: '1' }, theirs: { b: '1' }, merged: { b: '1' } },
    { name: 'deleted by them, changed by us: ours', base: { a: '1' }, ours: { a: 'ours' }, theirs: {}, merged: { a: 'ours' } },
  ])('$name', ({ base, ours, theirs, merged }) => {
    const result = mergeStates({ base: base && doc(base), ours: doc(ours), theirs: theirs && doc(theirs) });
    expect(marks(result)).toEqual(merged);
  });

  it('compares records by content, not by key order', () => {
    const base = doc({ a: '1' });
    const reordered: SessionState = { appliedAt: '1', file: '1.auth-session.json' };
    const result = mergeStates({ base, ours: { ...base, sessions: { a: reordered } }, theirs: doc({ a: '2' }) });
    expect(marks(result)).toEqual({ a: '2' });
  });

  it('keeps our key ID and refuses a state of another project', () => {
    expect(mergeStates({ base: undefined, ours: doc({}, { keyId: 'ours' }), theirs: doc({}, { keyId: 'theirs' }) }).keyId).toBe('ours');
    expect(() => mergeStates({ base: undefined, ours: doc({}), theirs: doc({}, { project: 'other' }) })).toThrow(StateError);
  });
});
