import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { remote } from './builders.js';
import { desired } from '../helpers/sessions.js';
import { FakeApi, reconcile, textBackend } from './reconcile.js';

/**
 * Ownership comes only from a create or an update the API accepted, or from one whose outcome
 * is unknown (sent, no answer). A refusal, or a failure that left no session, gives none: a
 * session someone else then makes with that ID is theirs, never deleted when the file goes.
 */
const acme = desired('acme');
const beta = desired('beta');
const refusal = (status: number, message: string) => new ApiError(message, { method: 'POST', path: '/auth-sessions/create', status, retryable: false });

/** Removes acme's file (beta stays, so the brake never decides the case) and returns that run. */
async function removeAcme(api: FakeApi, backend: ReturnType<typeof textBackend>) {
  api.calls = [];
  return reconcile(api, backend, [beta]);
}

describe('ownership', () => {
  it('takes none from a create answered "already exists": the dashboard session is never deleted', async () => {
    const api = new FakeApi();
    // Someone makes acme in the dashboard after the plan listed the sessions, before the create.
    api.beforeStart = (kind, id) => {
      if (kind === 'create' && id === 'acme') api.sessions.set('acme', remote('acme'));
    };
    const backend = textBackend();
    const first = await reconcile(api, backend, [acme, beta]);
    expect(first.applied!.results.find((result) => result.entry.id === 'acme')).toMatchObject({ status: 'failed', message: 'An auth session with this ID already exists' });
    api.beforeStart = () => {};

    const removed = await removeAcme(api, backend);
    expect(removed.plan.entries.filter((entry) => entry.action !== 'noop' || entry.id === 'acme').map((entry) => `${entry.action} ${entry.id}`)).toEqual(['noop acme']);
    expect(removed.plan.unmanaged).toEqual(['acme']);
    expect(api.calls.filter((call) => call.startsWith('delete'))).toEqual([]);
    expect(api.sessions.has('acme')).toBe(true);
    expect(Object.keys(backend.current()!.sessions)).toEqual(['beta']);
  });

  it('says why when the file stays: the refused create is reported, and the session is adopted by one update', async () => {
    const api = new FakeApi();
    api.beforeStart = (kind, id) => {
      if (kind === 'create') api.sessions.set(id, remote(id));
    };
    const backend = textBackend();
    await reconcile(api, backend, [acme]);
    api.beforeStart = () => {};
    const next = await reconcile(api, backend, [acme]);
    expect(next.plan.entries.map((entry) => `${entry.action} ${entry.id}: ${entry.reason}`)).toEqual([
      'update acme: last create failed: An auth session with this ID already exists; adopting the existing session: its parameters are unknown, so they are applied once',
    ]);
    expect(next.applied!.summary).toMatchObject({ updated: 1, failed: 0 });
    // Adopted now: removing the file deletes it.
    const removed = await reconcile(api, backend, [], { force: true });
    expect(removed.plan.entries.map((entry) => `${entry.action} ${entry.id}`)).toEqual(['delete acme']);
  });

  it('takes none from a create refused outright: a session made by hand later is left alone', async () => {
    const api = new FakeApi();
    api.refuseStart.set('acme', refusal(400, 'proxy must be a valid URL'));
    const backend = textBackend();
    const first = await reconcile(api, backend, [acme, beta]);
    expect(first.applied!.summary).toMatchObject({ created: 1, failed: 1 });
    expect(api.sessions.has('acme')).toBe(false);
    api.refuseStart.clear();

    api.sessions.set('acme', remote('acme'));
    const removed = await removeAcme(api, backend);
    expect(removed.plan.entries.find((entry) => entry.id === 'acme')).toMatchObject({ action: 'noop', forget: true });
    expect(removed.plan.unmanaged).toEqual(['acme']);
    expect(api.calls.filter((call) => call.startsWith('delete'))).toEqual([]);
    expect(api.sessions.has('acme')).toBe(true);
  });

  it('takes none from a create whose operation failed and left no session', async () => {
    const api = new FakeApi();
    api.failedCreatesLeaveNothing = true;
    api.script = (id) => (id === 'acme' ? { status: 'failed', message: 'Login failed', error: { message: 'Login failed', code: 'create-attempts-failed' } } : { status: 'done' });
    const backend = textBackend();
    await reconcile(api, backend, [acme, beta]);
    expect(api.sessions.has('acme')).toBe(false);

    api.sessions.set('acme', remote('acme'));
    const removed = await removeAcme(api, backend);
    expect(removed.plan.unmanaged).toEqual(['acme']);
    expect(api.calls.filter((call) => call.startsWith('delete'))).toEqual([]);
    expect(api.sessions.has('acme')).toBe(true);
  });

  it('keeps a create whose operation failed but left its session: that session is the tool\'s', async () => {
    const api = new FakeApi();
    api.script = (id) => (id === 'acme' ? { status: 'failed', message: 'Login failed', error: { message: 'Login failed', code: 'create-attempts-failed' } } : { status: 'done' });
    const backend = textBackend();
    await reconcile(api, backend, [acme, beta]);
    expect(api.sessions.get('acme')).toMatchObject({ status: 'EXPIRED' });
    const removed = await removeAcme(api, backend);
    expect(removed.plan.entries.map((entry) => `${entry.action} ${entry.id}`)).toEqual(['noop beta', 'delete acme']);
    expect(api.sessions.has('acme')).toBe(false);
  });

  it('keeps a create whose outcome is unknown (sent, no answer): the session it may have made is deleted with its file', async () => {
    const api = new FakeApi();
    api.loseStartAnswer.add('acme');
    const backend = textBackend();
    await reconcile(api, backend, [acme, beta]);
    expect(backend.current()!.sessions.acme!.operation).toMatchObject({ kind: 'create', status: 'starting' });
    api.loseStartAnswer.clear();
    const removed = await removeAcme(api, backend);
    expect(removed.plan.entries.map((entry) => `${entry.action} ${entry.id}`)).toEqual(['noop beta', 'delete acme']);
    expect(api.sessions.has('acme')).toBe(false);
  });

  it('takes none from an adopting update that was refused, and keeps an owned session whose update was refused', async () => {
    const api = new FakeApi();
    api.sessions.set('acme', remote('acme'));
    const backend = textBackend();
    await reconcile(api, backend, [beta]);
    api.refuseStart.set('acme', refusal(400, 'checkAttempts must be at most 10'));
    api.refuseStart.set('beta', refusal(400, 'checkAttempts must be at most 10'));
    const changedBeta = desired('beta', { username: 'beta-user', password: 'rotated' });
    const refused = await reconcile(api, backend, [acme, changedBeta]);
    expect(refused.applied!.summary).toMatchObject({ updated: 0, failed: 2 });
    api.refuseStart.clear();

    api.calls = [];
    const removed = await reconcile(api, backend, [], { force: true });
    expect(removed.plan.unmanaged).toEqual(['acme']);
    expect(api.calls.filter((call) => call.startsWith('delete'))).toEqual(['delete beta']);
    expect(api.sessions.has('acme')).toBe(true);
  });

  it('owns a session adopted by an update that was accepted, even when its login then failed', async () => {
    const api = new FakeApi();
    api.sessions.set('acme', remote('acme'));
    api.script = () => ({ status: 'failed', message: 'Login failed', error: { message: 'Login failed', code: 'auth-check-failed' } });
    const backend = textBackend();
    await reconcile(api, backend, [acme, beta]);
    api.script = () => ({ status: 'done' });
    const removed = await removeAcme(api, backend);
    expect(removed.plan.entries.map((entry) => `${entry.action} ${entry.id}`)).toEqual(['update beta', 'delete acme']);
  });
});

describe('the brake', () => {
  it('is not opened by a state record with nothing behind it: a wrong --dir deletes nothing and sends nothing', async () => {
    const api = new FakeApi();
    const files = ['s-1', 's-2', 's-3', 's-4', 's-5'].map((id) => desired(id));
    // A create that keeps failing without an answer: recorded, owned, and nothing in Intuned.
    api.loseStartAnswer.add('ghost');
    const backend = textBackend();
    await reconcile(api, backend, [...files, desired('ghost')]);
    api.sessions.delete('ghost');
    expect(Object.keys(backend.current()!.sessions)).toContain('ghost');
    const before = backend.text;

    api.calls = [];
    const wrongDir = await reconcile(api, backend, []);
    expect(wrongDir.plan.unsafe).toMatchObject({ deletes: 5, managed: 5 });
    expect(wrongDir.applied).toBeUndefined();
    expect(api.calls.filter((call) => call !== 'list' && call !== 'jobs' && !call.startsWith('runs'))).toEqual([]);
    expect(api.sessions.size).toBe(5);
    expect(backend.text).toBe(before);
  });
});
