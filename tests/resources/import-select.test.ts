/** Which resources `import` writes: unmanaged ones, or exactly the IDs asked for, each refusal saying what to do. */
import { describe, expect, it } from 'vitest';
import { selectImports } from '../../src/resources/import-select.js';
import { AUTH_SESSION_KIND, JOB_KIND } from '../../src/resources/kinds.js';

const remote = ['nightly-sync', 'declared-job', 'owned-job', 'job-10', 'job-9', 'bad.name'].map((id) => ({ id }));
const base = {
  kind: JOB_KIND,
  remote,
  declared: new Map([['declared-job', 'intuned-resources/jobs/nested/declared-job.job.json']]),
  owned: new Set(['owned-job']),
  stateDescription: 'file:.intuned-gitops/state.json',
};

const brief = (selections: ReturnType<typeof selectImports>) => selections.map((entry) => (entry.action === 'import' ? `${entry.id} import` : `${entry.id} ${entry.action}: ${entry.reason}`));

describe('selectImports', () => {
  it('without IDs: every unmanaged resource, in ID order; one no file can be named for is skipped', () => {
    expect(brief(selectImports({ ...base, asked: [] }))).toEqual([
      'bad.name skip: Job "bad.name": its ID cannot be a file name (one of at least 1 of letters, digits, - and _), so no file can declare it; nothing was written',
      'job-9 import',
      'job-10 import',
      'nightly-sync import',
    ]);
  });

  it('with IDs: exactly those, once each; declared, owned, absent and unnameable ones fail with what to do', () => {
    expect(brief(selectImports({ ...base, asked: ['owned-job', 'nightly-sync', 'declared-job', 'missing-job', 'nightly-sync', 'bad.name'] }))).toEqual([
      'bad.name fail: Job "bad.name": its ID cannot be a file name (one of at least 1 of letters, digits, - and _), so no file can declare it; nothing was written',
      'declared-job fail: Job "declared-job": already declared by intuned-resources/jobs/nested/declared-job.job.json; nothing to import',
      'missing-job fail: Job "missing-job": Intuned holds none with this ID in this project; check the ID and --project',
      'nightly-sync import',
      'owned-job fail: Job "owned-job": intuned-gitops manages it (the state file:.intuned-gitops/state.json owns it) and no file declares it any more, so the next apply deletes it; to keep it, restore its file (from git history, say) instead of importing it',
    ]);
  });

  it('skips what can never be managed from a file unless it is asked for, then fails it', () => {
    const sessions = [{ id: 'crm-bot', type: 'CREDENTIALS' }, { id: 'recorded', type: 'RECORDER' }];
    const unmanageable = (session: { type: string }) => (session.type === 'CREDENTIALS' ? undefined : `it is a ${session.type} session`);
    const input = { ...base, kind: AUTH_SESSION_KIND, remote: sessions, declared: new Map(), owned: new Set<string>(), unmanageable };
    expect(brief(selectImports({ ...input, asked: [] }))).toEqual(['crm-bot import', 'recorded skip: AuthSession "recorded": it is a RECORDER session']);
    expect(brief(selectImports({ ...input, asked: ['recorded'] }))).toEqual(['recorded fail: AuthSession "recorded": it is a RECORDER session']);
  });

  it('treats __proto__ as an ID like any other', () => {
    const selections = selectImports({ ...base, remote: [{ id: '__proto__' }, { id: 'constructor' }], declared: new Map(), owned: new Set(), asked: [] });
    expect(brief(selections)).toEqual(['__proto__ import', 'constructor import']);
  });
});
