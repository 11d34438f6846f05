import { describe, expect, it } from 'vitest';
import { apply } from '../../src/engine/apply.js';
import { plan } from '../../src/engine/plan.js';
import { observe } from '../../src/engine/observe.js';
import { UnsafePlanError } from '../../src/errors.js';
import { StateStore } from '../../src/state/store.js';
import { emptyState, type StateBackend, type StateDocument } from '../../src/state/types.js';
import type { DesiredSession } from '../../src/resources/types.js';
import { fingerprintOf, KEY } from './builders.js';
import { desired } from '../helpers/sessions.js';
import { FakeApi } from './fake-api.js';
import { intunedPort } from '../../src/api/port.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

function memoryBackend(initial?: StateDocument): StateBackend & { writes: StateDocument[]; current?: StateDocument } {
  const backend = {
    description: 'memory',
    writes: [] as StateDocument[],
    current: initial,
    async read() {
      return backend.current && structuredClone(backend.current);
    },
    async write(document: StateDocument) {
      backend.writes.push(structuredClone(document));
      backend.current = structuredClone(document);
    },
  };
  return backend;
}

/** One whole run against the fake: read state, observe, plan, apply. */
async function reconcile(api: FakeApi, backend: ReturnType<typeof memoryBackend>, files: DesiredSession[], options: { timeoutMs?: number; force?: boolean; prompt?: () => Promise<string> } = {}) {
  const state = (await backend.read()) ?? emptyState({ workspaceId: 'ws', project: 'proj', keyId: KEY.id });
  const fingerprints = new Map(files.map((file) => [file.id, fingerprintOf(file)]));
  const observation = await observe({ api: intunedPort(api), state, declared: new Set(files.map((file) => file.id)), concurrency: 4 });
  const result = plan({ desired: files, state, fingerprints, keyMatches: true, ...observation }, { force: options.force ?? false });
  // Time moves to the next timer only when every poller waits, as it does for real: a clock
  // that each sleeper pushes forward on its own would age four concurrent polls four times over.
  const clock = new VirtualClock();
  const applied = await clock.run(apply(result, { api: intunedPort(api), store: new StateStore(backend, state), fingerprints, clock, concurrency: 4, timeoutMs: options.timeoutMs ?? 60_000, ...(options.prompt ? { prompt: options.prompt } : {}) }));
  return { plan: result, applied, clock };
}

describe('apply', () => {
  it('creates every session, waits for done and records what it applied', async () => {
    const api = new FakeApi();
    const backend = memoryBackend();
    const files = [desired('acme'), desired('beta')];
    const { applied } = await reconcile(api, backend, files);
    expect(applied.summary).toMatchObject({ created: 2, failed: 0 });
    expect(backend.current!.sessions.acme).toMatchObject({ applied: fingerprintOf(files[0]!), operation: { kind: 'create', status: 'succeeded', operationId: 'op-1' } });
    const again = await reconcile(api, backend, files);
    expect(again.plan.entries.map((entry) => entry.action)).toEqual(['noop', 'noop']);
  });

  it('records the operation as started before it polls it', async () => {
    const api = new FakeApi();
    const backend = memoryBackend();
    await reconcile(api, backend, [desired('acme')]);
    const statuses = backend.writes.map((write) => write.sessions.acme?.operation?.status);
    expect(statuses).toEqual(['starting', 'started', 'succeeded']);
  });

  it('keeps going after a failure, reports it, and the next run retries only the failed session', async () => {
    const api = new FakeApi();
    api.script = (id) => (id === 'beta' ? { status: 'failed', message: 'Login check failed', error: { message: 'Login check failed', code: 'auth-check-failed' } } : { status: 'done' });
    const backend = memoryBackend();
    const files = [desired('acme'), desired('beta'), desired('gamma')];
    const { applied } = await reconcile(api, backend, files);
    expect(applied.failed).toBe(true);
    expect(applied.summary).toMatchObject({ created: 2, failed: 1 });
    expect(applied.results.find((result) => result.entry.id === 'beta')).toMatchObject({ status: 'failed', message: 'Login check failed', code: 'auth-check-failed' });
    expect(backend.current!.sessions.beta!.operation).toMatchObject({ status: 'failed', code: 'auth-check-failed' });

    api.script = () => ({ status: 'done' });
    api.calls = [];
    const retry = await reconcile(api, backend, files);
    expect(retry.plan.entries.filter((entry) => entry.action !== 'noop').map((entry) => `${entry.action} ${entry.id}: ${entry.reason}`)).toEqual([
      'update beta: last create failed: Login check failed (auth-check-failed); retrying',
    ]);
    expect(api.calls.filter((call) => !call.startsWith('list'))).toEqual(['update beta']);
  });

  it('times out an operation that never ends, says so, and the next run picks it up without starting another', async () => {
    const api = new FakeApi();
    api.script = () => ({ status: 'hang' }) as never;
    const backend = memoryBackend();
    const { applied } = await reconcile(api, backend, [desired('acme')], { timeoutMs: 30_000 });
    expect(applied.results[0]).toMatchObject({ status: 'failed', timedOut: true, lastStatus: 'in_progress' });
    expect(applied.results[0]!.message).toBe(
      'timed out after 30s waiting for create (last status running); it may still finish, and the next run picks it up: it waits for the same operation instead of starting another ' +
        '(raise --timeout to wait longer); if it never ends, remove its file: the next apply then deletes the session',
    );
    expect(backend.current!.sessions.acme!.operation).toMatchObject({ status: 'started', operationId: 'op-1' });

    api.calls = [];
    const next = await reconcile(api, backend, [desired('acme')], { timeoutMs: 30_000 });
    expect(next.plan.entries[0]).toMatchObject({ action: 'create', resumeOperationId: 'op-1' });
    expect(api.calls.filter((call) => call.startsWith('create'))).toEqual([]);
  });

  it('skips a delete while a job run uses the session, then deletes once it finished', async () => {
    const api = new FakeApi();
    const backend = memoryBackend();
    await reconcile(api, backend, [desired('acme'), desired('busy')]);
    api.jobs = [{ id: 'nightly-export', auth_session: { id: 'busy' } }];
    api.runs.set('nightly-export', [{ id: 'run-1', status: 'PENDING' }]);
    const first = await reconcile(api, backend, [desired('acme')]);
    expect(first.applied.results.map((result) => `${result.entry.id} ${result.status}`)).toEqual(['busy skipped']);
    expect(first.applied.failed).toBe(false);
    expect(backend.current!.sessions.busy).toBeDefined();

    api.runs.set('nightly-export', [{ id: 'run-1', status: 'SUCCESS' }]);
    const later = await reconcile(api, backend, [desired('acme')]);
    expect(later.applied.summary.deleted).toBe(1);
    expect(backend.current!.sessions.busy).toBeUndefined();
    expect(api.sessions.has('busy')).toBe(false);
  });

  it('treats a delete the API refuses as in use as skipped, and keeps it owned', async () => {
    const api = new FakeApi();
    const backend = memoryBackend();
    await reconcile(api, backend, [desired('acme')]);
    api.refuseDeleteAsInUse.add('acme');
    const { applied } = await reconcile(api, backend, [], { force: true });
    expect(applied.results[0]).toMatchObject({ status: 'skipped' });
    expect(applied.failed).toBe(false);
    expect(backend.current!.sessions.acme!.operation).toMatchObject({ kind: 'delete', status: 'skipped' });
  });

  it('never deletes a session it does not own', async () => {
    const api = new FakeApi();
    api.sessions.set('manual', { id: 'manual', type: 'CREDENTIALS', status: 'READY' });
    const backend = memoryBackend();
    const { plan: result } = await reconcile(api, backend, []);
    expect(result.unmanaged).toEqual(['manual']);
    expect(api.sessions.has('manual')).toBe(true);
  });

  it('refuses an unsafe plan before any change is made', async () => {
    const api = new FakeApi();
    const backend = memoryBackend();
    const files = Array.from({ length: 10 }, (_, index) => desired(`s-${index}`));
    await reconcile(api, backend, files);
    api.calls = [];
    await expect(reconcile(api, backend, files.slice(0, 5))).rejects.toBeInstanceOf(UnsafePlanError);
    expect(api.calls.filter((call) => call.startsWith('delete'))).toEqual([]);
    const forced = await reconcile(api, backend, files.slice(0, 5), { force: true });
    expect(forced.applied.summary.deleted).toBe(5);
  });

  it('asks for a one-time code when it can, and fails clearly when it cannot', async () => {
    const api = new FakeApi();
    api.script = () => ({ status: 'requested_more_info', infoRequestId: 'info-1', requestType: 'otp', messageToUser: 'Enter the code sent to your phone' });
    api.pollsUntilDone = 0;
    const backend = memoryBackend();
    const without = await reconcile(api, backend, [desired('acme')]);
    expect(without.applied.results[0]!.status).toBe('failed');
    expect(without.applied.results[0]!.message).toContain('there is no terminal to ask');

    const api2 = new FakeApi();
    api2.script = api.script;
    api2.pollsUntilDone = 0;
    const withPrompt = await reconcile(api2, memoryBackend(), [desired('acme')], { prompt: async () => '123456' });
    expect(withPrompt.applied.results[0]!.status).toBe('succeeded');
    expect(api2.calls).toContain('resume create op-1 123456');
  });
});
