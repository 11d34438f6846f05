/**
 * The engine's side of the run's deadline and of unreadable results: what the state says and
 * what the next run does when the API adapter cuts a call short or cannot read a result.
 */
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/engine/apply.js';
import { observe } from '../../src/engine/observe.js';
import { plan } from '../../src/engine/plan.js';
import { ApiError } from '../../src/errors.js';
import { OUTCOME_UNKNOWN_CODE, TIMED_OUT_CODE } from '../../src/api/failures.js';
import { StateStore } from '../../src/state/store.js';
import { emptyState, type StateBackend, type StateDocument } from '../../src/state/types.js';
import type { DesiredSession } from '../../src/resources/types.js';
import { fingerprintOf, KEY } from './builders.js';
import { desired } from '../helpers/sessions.js';
import { FakeApi } from './fake-api.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import { intunedPort } from '../../src/api/port.js';

function memoryBackend(): StateBackend & { current?: StateDocument } {
  const backend: StateBackend & { current?: StateDocument } = {
    description: 'memory',
    async read() {
      return backend.current && structuredClone(backend.current);
    },
    async write(document) {
      backend.current = structuredClone(document);
    },
  };
  return backend;
}

const timedOut = (path: string) => new ApiError("timed out: the run's timeout was reached before an answer", { method: 'GET', path, code: TIMED_OUT_CODE, retryable: true });

async function reconcile(api: FakeApi, backend: StateBackend, files: DesiredSession[], clock = new VirtualClock(), deadline?: number) {
  const state = (await backend.read()) ?? emptyState({ workspaceId: 'ws', project: 'proj', keyId: KEY.id });
  const fingerprints = new Map(files.map((file) => [file.id, fingerprintOf(file)]));
  const observation = await observe({ api: intunedPort(api), state, declared: new Set(files.map((file) => file.id)), concurrency: 4 });
  const planned = plan({ desired: files, state, fingerprints, keyMatches: true, ...observation }, { force: true });
  const applied = await clock.run(apply(planned, { api: intunedPort(api), store: new StateStore(backend, state), fingerprints, clock, timeoutMs: 10_000, ...(deadline !== undefined ? { deadline } : {}) }));
  return { plan: planned, applied };
}

describe('the deadline', () => {
  it('a poll the adapter cuts at the deadline is a timeout: the operation stays started and is resumed', async () => {
    const clock = new VirtualClock();
    const api = new FakeApi();
    api.pollsUntilDone = 1_000;
    const deadline = clock.now() + 5_000;
    const fetch = api.getCreateResult.bind(api);
    api.getCreateResult = async (operationId) => {
      if (clock.now() + 1_000 >= deadline) {
        await clock.sleep(deadline - clock.now());
        throw timedOut('/result');
      }
      return fetch(operationId);
    };
    const backend = memoryBackend();
    const { applied } = await reconcile(api, backend, [desired('acme')], clock, deadline);
    expect(applied.results[0]).toMatchObject({ status: 'failed', timedOut: true, lastStatus: 'in_progress', operationId: 'op-1' });
    expect(backend.current!.sessions.acme!.operation).toMatchObject({ status: 'started', operationId: 'op-1' });

    api.getCreateResult = fetch;
    api.pollsUntilDone = 0;
    const next = await reconcile(api, backend, [desired('acme')]);
    expect(next.plan.entries[0]).toMatchObject({ action: 'noop', recordApplied: true });
    expect(api.calls.filter((call) => call.startsWith('create'))).toEqual(['create acme']);
  });

  it('a start the adapter refused as timed out (never carried out) is recorded as not started, and the next run starts it', async () => {
    const api = new FakeApi();
    api.startCreate = async () => {
      throw timedOut('/auth-sessions/create');
    };
    const backend = memoryBackend();
    const { applied } = await reconcile(api, backend, [desired('acme')]);
    expect(applied.results[0]).toMatchObject({ status: 'failed', timedOut: true, message: 'not started: the timeout of 10s was reached' });
    expect(backend.current!.sessions.acme!.operation).toMatchObject({ kind: 'create', status: 'failed', code: 'timed-out' });

    const again = new FakeApi();
    const next = await reconcile(again, backend, [desired('acme')]);
    expect(next.plan.entries[0]).toMatchObject({ action: 'create' });
    expect(next.applied.summary).toMatchObject({ created: 1, failed: 0 });
  });

  it('a delete reached after the deadline is not sent', async () => {
    const api = new FakeApi();
    const backend = memoryBackend();
    await reconcile(api, backend, [desired('acme')]);
    api.calls = [];
    const clock = new VirtualClock();
    const { applied } = await reconcile(api, backend, [], clock, clock.now() - 1);
    expect(applied.results[0]).toMatchObject({ status: 'failed', timedOut: true });
    expect(api.calls).not.toContain('delete acme');
    expect(backend.current!.sessions.acme).toBeDefined();
  });
});

describe('a result that cannot be read', () => {
  it('is an unknown outcome to the plan, which adopts the session by one update', async () => {
    const api = new FakeApi();
    api.pollsUntilDone = 1_000;
    const backend = memoryBackend();
    const clock = new VirtualClock();
    await reconcile(api, backend, [desired('acme')], clock, clock.now() + 2_000);
    expect(backend.current!.sessions.acme!.operation).toMatchObject({ status: 'started' });

    api.getCreateResult = async () => {
      throw new ApiError('outcome unknown: the result of this operation cannot be read (HTTP 410: gone)', { method: 'GET', path: '/r', status: 410, code: OUTCOME_UNKNOWN_CODE, retryable: false });
    };
    api.pollsUntilDone = 0;
    const next = await reconcile(api, backend, [desired('acme')]);
    expect(next.plan.entries[0]).toMatchObject({ action: 'update' });
    expect(next.applied.summary).toMatchObject({ updated: 1, failed: 0 });
  });
});
