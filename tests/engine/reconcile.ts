/**
 * Whole engine runs against the fake API: read the state, observe, plan, apply. The state is
 * kept as the text a `file:` backend would write (serialized and parsed on every checkpoint),
 * so what a run leaves is exactly what the next one reads back.
 */
import { apply } from '../../src/engine/apply.js';
import { plan } from '../../src/engine/plan.js';
import { observe } from '../../src/engine/observe.js';
import { StateStore } from '../../src/state/store.js';
import { parseStateDocument, serializeState } from '../../src/state/document.js';
import { emptyState, type StateBackend, type StateDocument } from '../../src/state/types.js';
import type { DesiredSession } from '../../src/resources/types.js';
import { fingerprintOf, KEY } from './builders.js';
import { FakeApi } from './fake-api.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import { intunedPort } from '../../src/api/port.js';

export interface TextBackend extends StateBackend {
  /** The state as last written, undefined before the first write. */
  text: string | undefined;
  /** The state as the next run reads it. */
  current(): StateDocument | undefined;
}

export function textBackend(initial?: StateDocument): TextBackend {
  const backend: TextBackend = {
    description: 'file:memory.json',
    text: initial && serializeState(initial),
    current: () => (backend.text === undefined ? undefined : parseStateDocument(backend.text, 'memory')),
    read: async () => backend.current(),
    async write(document: StateDocument) {
      backend.text = serializeState(document);
    },
  };
  return backend;
}

export interface ReconcileOptions {
  force?: boolean;
  /** Plan only: nothing is applied. */
  dryRun?: boolean;
}

export async function reconcile(api: FakeApi, backend: TextBackend, files: DesiredSession[], options: ReconcileOptions = {}) {
  const stored = await backend.read();
  const state = stored ?? emptyState({ workspaceId: 'ws', project: 'proj', keyId: KEY.id });
  const fingerprints = new Map(files.map((file) => [file.id, fingerprintOf(file)]));
  const observation = await observe({ api: intunedPort(api), state, declared: new Set(files.map((file) => file.id)), concurrency: 4 });
  const result = plan({ desired: files, state, fingerprints, keyMatches: true, ...observation }, { force: options.force ?? false });
  if (options.dryRun || result.unsafe) return { plan: result, applied: undefined };
  const clock = new VirtualClock();
  const applied = await clock.run(apply(result, { api: intunedPort(api), store: new StateStore(backend, state), fingerprints, clock, concurrency: 4, timeoutMs: 60_000 }));
  return { plan: result, applied };
}

export { FakeApi };
