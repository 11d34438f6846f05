import { describe, expect, it } from 'vitest';
import { fingerprintOf, planOf, remote, stateWith, summaryOf } from './builders.js';
import { desired } from '../helpers/sessions.js';
import { hasChanges, summarizePlan } from '../../src/engine/summary.js';

const acme = desired('acme');
const beta = desired('beta');

describe('plan', () => {
  it.each([
    ['a new file is created', { desired: [acme] }, ['create acme: new file']],
    ['an applied, unchanged session is a noop', { desired: [acme], remote: [remote('acme')], state: stateWith([acme]) }, ['noop acme: up to date']],
    [
      'a remote session the state does not know is adopted by one update',
      { desired: [acme], remote: [remote('acme')] },
      ['update acme: adopting the existing session: its parameters are unknown, so they are applied once'],
    ],
    [
      'an owned session deleted outside the tool is created again',
      { desired: [acme], state: stateWith([acme]) },
      ['create acme: missing in Intuned (deleted outside intuned-gitops); creating again'],
    ],
    ['a removed file deletes an owned session', { remote: [remote('acme')], state: stateWith([acme]) }, ['delete acme: file removed']],
    [
      'a removed file whose session is already gone is forgotten',
      { state: stateWith([acme]) },
      ['noop acme: file removed and already gone from Intuned; forgetting it'],
    ],
    ['a session nobody declares and the state does not own is left alone', { remote: [remote('manual')] }, []],
    [
      'a changed key makes fingerprints incomparable',
      { desired: [acme], remote: [remote('acme')], state: stateWith([acme]), keyMatches: false },
      ['update acme: the state key changed, so the recorded fingerprint cannot be compared; applying once'],
    ],
  ])('%s', (_name, scenario, expected) => {
    expect(summaryOf(scenario)).toEqual(expected);
  });

  it('orders IDs naturally: batch-9 before batch-10, in changes, deletes and unmanaged alike', () => {
    const ids = ['batch-10', 'batch-9', 'batch-1', 'batch-09x', 'Batch-2'];
    const natural = ['Batch-2', 'batch-1', 'batch-9', 'batch-09x', 'batch-10'];
    expect(planOf({ desired: ids.map((id) => desired(id)) }).entries.map((entry) => entry.id)).toEqual(natural);
    const owned = ids.map((id) => desired(id));
    expect(planOf({ remote: ids.map((id) => remote(id)), state: stateWith(owned), force: true }).entries.map((entry) => entry.id)).toEqual(natural);
    expect(planOf({ remote: ids.map((id) => remote(id)) }).unmanaged).toEqual(natural);
  });

  it('names the parameters that changed, added and removed, never their values', () => {
    const before = desired('acme', { username: 'u', password: 'old-secret', pin: '1' }, { proxy: 'http://p:1' });
    const after = desired('acme', { username: 'u', password: 'new-secret', otp: 'x' }, { createAttempts: 5 });
    const result = planOf({ desired: [after], remote: [remote('acme')], state: stateWith([before]) });
    expect(result.entries[0]).toMatchObject({
      action: 'update',
      reason: 'parameters changed: password; parameters added: otp; parameters removed: pin; proxy unset; createAttempts set',
      changedParameters: ['otp', 'password', 'pin'],
      changedSettings: ['proxy', 'createAttempts'],
    });
    expect(JSON.stringify({ ...result, entries: result.entries.map((entry) => ('desired' in entry ? { ...entry, desired: undefined } : entry)) })).not.toContain('secret');
  });

  it('lists unmanaged sessions and orders entries with deletes last', () => {
    const gone = desired('gone');
    const result = planOf({
      desired: [beta, acme],
      remote: [remote('manual'), remote('gone'), remote('acme'), remote('busy')],
      state: stateWith([acme, gone, desired('busy')]),
      inUse: { busy: { jobId: 'nightly-export', runId: '8f2c41d7a9b3e1f0c2d4e', runStatus: 'PENDING' } },
    });
    expect(result.entries.map((entry) => `${entry.action} ${entry.id}`)).toEqual(['create beta', 'noop acme', 'skip busy', 'delete gone']);
    expect(result.entries[2]!.reason).toBe('file removed, but it is in use by job nightly-export (its run 8f2c41d7… is PENDING); a later run deletes it');
    expect(result.unmanaged).toEqual(['manual']);
    expect(summarizePlan(result)).toEqual({ create: 1, update: 0, delete: 1, skip: 1, noop: 1, resume: 0, unmanaged: 1, errors: 0 });
    expect(hasChanges(summarizePlan(result))).toBe(true);
  });

  it('refuses a session of another type with a file\'s ID', () => {
    const result = planOf({ desired: [acme], remote: [remote('acme', 'RECORDER')] });
    expect(result.entries).toEqual([]);
    expect(result.errors).toEqual([
      {
        kind: 'auth-session',
        id: 'acme',
        file: acme.file,
        message: 'a RECORDER session with this ID already exists in Intuned; only CREDENTIALS sessions can be managed from files: rename the file or remove that session in the dashboard',
      },
    ]);
  });

  describe('what an earlier run left', () => {
    const target = fingerprintOf(acme);
    const started = (kind: 'create' | 'update') => ({ file: acme.file, operation: { kind, status: 'started' as const, operationId: 'op-1', target, at: 'x' } });

    it('waits for its still-running operation instead of starting another', () => {
      const result = planOf({ desired: [acme], remote: [remote('acme', 'CREDENTIALS', 'PENDING')], state: stateWith([], { acme: started('create') }), pendingResults: { acme: { status: 'in_progress' } } });
      expect(result.entries[0]).toMatchObject({ action: 'create', resumeOperationId: 'op-1', reason: 'waiting for the create an earlier run started (still running; nothing new is started)' });
    });

    it('records an operation that ended done as applied', () => {
      const result = planOf({ desired: [acme], remote: [remote('acme')], state: stateWith([], { acme: started('create') }), pendingResults: { acme: { status: 'done' } } });
      expect(result.entries[0]).toMatchObject({ action: 'noop', recordApplied: true });
    });

    it('retries one that failed, with the API\'s message and code', () => {
      const failed = { status: 'failed' as const, message: 'Login check failed', error: { message: 'x', code: 'auth-check-failed' } };
      expect(summaryOf({ desired: [acme], remote: [remote('acme')], state: stateWith([], { acme: started('update') }), pendingResults: { acme: failed } })).toEqual([
        'update acme: last update failed: Login check failed (auth-check-failed); retrying',
      ]);
    });

    it('treats a create killed while starting as unknown: update if it exists, create if not', () => {
      const starting = { acme: { file: acme.file, operation: { kind: 'create' as const, status: 'starting' as const, target, at: 'x' } } };
      expect(summaryOf({ desired: [acme], remote: [remote('acme')], state: stateWith([], starting) })).toEqual([
        'update acme: the outcome of an earlier create is unknown (its run stopped while starting it); retrying',
      ]);
      expect(summaryOf({ desired: [acme], state: stateWith([], starting) })).toEqual([
        'create acme: the outcome of an earlier create is unknown (its run stopped while starting it); creating again',
      ]);
    });
  });

  describe('a missing state', () => {
    const where = 'file:.intuned-gitops/sate.json';

    it('warns that every existing session is adopted by one update, which re-runs its login', () => {
      const result = planOf({ desired: [acme, beta], remote: [remote('acme'), remote('beta')], missingState: where });
      expect(result.warnings).toEqual([
        `no state at ${where}: every existing session is adopted by one update, which re-runs its login (2 here); if the state is kept elsewhere, check --state`,
      ]);
    });

    it('says nothing where nothing is adopted: a fresh project, or a state that was read', () => {
      expect(planOf({ desired: [acme], remote: [remote('manual')], missingState: where }).warnings).toEqual([]);
      expect(planOf({ desired: [acme], remote: [remote('acme')] }).warnings).toEqual([]);
    });
  });

  describe('delete safety', () => {
    const many = Array.from({ length: 10 }, (_, index) => desired(`session-${index}`));
    const remotes = many.map((session) => remote(session.id));

    it('refuses to delete more than 30% of at least 10 managed sessions', () => {
      const result = planOf({ desired: many.slice(0, 6), remote: remotes, state: stateWith(many) });
      expect(result.unsafe).toMatchObject({ deletes: 4, managed: 10 });
      expect(result.unsafe!.message).toContain('refusing to delete 4 of 10 managed AuthSessions (40%, more than the safe 30%)');
      expect(result.unsafe!.message).toContain('--force');
    });

    it('allows it at the threshold, with --force, or for small projects', () => {
      expect(planOf({ desired: many.slice(0, 7), remote: remotes, state: stateWith(many) }).unsafe).toBeUndefined();
      expect(planOf({ desired: [], remote: remotes, state: stateWith(many), force: true }).unsafe).toBeUndefined();
      expect(planOf({ desired: many.slice(0, 4), remote: remotes.slice(0, 9), state: stateWith(many.slice(0, 9)) }).unsafe).toBeUndefined();
    });

    it('refuses to delete every managed session, however few (a moved folder, a wrong --dir)', () => {
      const result = planOf({ desired: [], remote: remotes.slice(0, 2), state: stateWith(many.slice(0, 2)) });
      expect(result.unsafe!.message).toMatch(/^refusing to delete all 2 managed AuthSessions\. If the files were removed on purpose, run again with --force/);
      expect(planOf({ desired: [], remote: remotes.slice(0, 2), state: stateWith(many.slice(0, 2)), force: true }).unsafe).toBeUndefined();
    });

    it('counts only managed sessions that exist in Intuned: a record with nothing behind it does not open the brake', () => {
      // A create that keeps failing, recorded by an earlier version as owned; and one whose outcome is unknown.
      const ghosts = {
        refused: { file: 'refused.auth-session.jsonc', operation: { kind: 'create' as const, status: 'failed' as const, message: 'proxy must be a valid URL', at: 'x' } },
        unanswered: { file: 'unanswered.auth-session.jsonc', operation: { kind: 'create' as const, status: 'starting' as const, at: 'x' } },
      };
      const result = planOf({ desired: [], remote: remotes.slice(0, 5), state: stateWith(many.slice(0, 5), ghosts) });
      expect(result.unsafe).toMatchObject({ deletes: 5, managed: 5 });
      expect(result.unsafe!.message).toMatch(/^refusing to delete all 5 managed AuthSessions\./);
    });
  });
});
