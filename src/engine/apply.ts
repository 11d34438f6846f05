/**
 * Executes a plan: creates and updates in parallel (bounded), then deletes. Every operation's
 * progress is written to the state before the next step depends on it, so a run killed at any
 * point leaves a state the next run converges from. A failure does not stop the others.
 */
import { UnsafePlanError } from '../errors.js';
import type { IntunedApi } from '../api/types.js';
import type { StateStore } from '../state/store.js';
import type { Fingerprint } from './fingerprint.js';
import { mapLimit } from './pool.js';
import { systemClock, type Clock } from './poll.js';
import { OperationTimes } from './poll-schedule.js';
import { runChange, runDelete, type ApplyEvent, type PromptForInfo } from './operation.js';
import type { ApplyResult, ChangeResult, Plan, PlanEntry } from './types.js';

import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from '../defaults.js';
export { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS };

export interface ApplyOptions {
  api: IntunedApi;
  store: StateStore;
  fingerprints: ReadonlyMap<string, Fingerprint>;
  concurrency?: number;
  /** For the whole wait, from the start of the apply. */
  timeoutMs?: number;
  /** When the wait must end (clock time), when the run set one for itself; wins over `timeoutMs`. */
  deadline?: number;
  clock?: Clock;
  /** Asks a person for a one-time code; absent where there is no terminal. */
  prompt?: PromptForInfo;
  onEvent?: (event: ApplyEvent) => void;
  /** Masks secrets in API messages before they reach the state or the result. */
  redact?: (text: string) => string;
}

export async function apply(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  if (plan.unsafe) throw new UnsafePlanError(plan.unsafe.message);
  const clock = options.clock ?? systemClock;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const context = {
    api: options.api,
    store: options.store,
    fingerprints: options.fingerprints,
    clock,
    times: new OperationTimes(),
    deadline: options.deadline ?? clock.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    prompt: options.prompt,
    emit: options.onEvent ?? (() => {}),
    redact: options.redact ?? ((text: string) => text),
  };

  await recordBookkeeping(plan.entries, options.store);
  const changes = plan.entries.filter((entry) => entry.action === 'create' || entry.action === 'update');
  const changed = await mapLimit(changes, concurrency, (entry) => runChange(entry, context));
  const deletes = plan.entries.filter((entry) => entry.action === 'delete');
  const deleted = await mapLimit(deletes, concurrency, (entry) => runDelete(entry, context));
  await options.store.finish();

  const skipped: ChangeResult[] = plan.entries
    .filter((entry) => entry.action === 'skip')
    .map((entry) => ({ entry, status: 'skipped', message: entry.reason }));
  const results = [...changed, ...skipped, ...deleted];
  return summarize(plan, results);
}

/** noops that only change the record: an earlier run's operation that ended done, a forgotten session, a moved file. */
async function recordBookkeeping(entries: readonly PlanEntry[], store: StateStore): Promise<void> {
  let dirty = false;
  for (const entry of entries) {
    if (entry.action !== 'noop') continue;
    const owned = store.session(entry.id);
    if (entry.forget) {
      store.forget(entry.id);
      dirty = true;
    } else if (entry.recordApplied && owned?.operation?.target) {
      const operation = owned.operation;
      store.update(entry.id, (session) => ({
        ...session,
        applied: operation.target,
        appliedAt: operation.at,
        operation: { ...operation, status: 'succeeded', target: undefined },
      }));
      dirty = true;
    }
    if (owned && entry.file && owned.file !== entry.file && !entry.forget) {
      store.update(entry.id, (session) => ({ ...session, file: entry.file }));
      dirty = true;
    }
  }
  if (dirty) await store.flush();
}

/** The apply result of a plan and its operations' results; counts are derived, never kept. */
export function summarize(plan: Plan, results: ChangeResult[]): ApplyResult {
  const succeeded = (action: string) => results.filter((r) => r.status === 'succeeded' && r.entry.action === action).length;
  const failedCount = results.filter((r) => r.status === 'failed').length;
  return {
    plan,
    results,
    summary: {
      created: succeeded('create'),
      updated: succeeded('update'),
      deleted: succeeded('delete'),
      skipped: results.filter((r) => r.status === 'skipped').length,
      failed: failedCount,
      noop: plan.summary.noop,
    },
    failed: failedCount > 0 || plan.errors.length > 0,
  };
}
