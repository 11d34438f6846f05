/**
 * Executes a plan in the kinds' order: AuthSession creates and updates; job creates and
 * updates, each once the session it runs with is done (skipped, saying why, if that failed);
 * then job deletes; then session deletes, so no session goes while a job still names it.
 * Within a stage, changes run in parallel (bounded). Every operation's progress is written to
 * the state before the next step depends on it, so a run killed at any point leaves a state
 * the next run converges from. A failure does not stop the others.
 */
import { UnsafePlanError } from '../errors.js';
import type { IntunedPort } from './port.js';
import type { StateStore } from '../state/store.js';
import type { Fingerprint } from './fingerprint.js';
import { mapLimit } from './pool.js';
import { summarizeApply } from './summary.js';
import { systemClock, type Clock } from './poll.js';
import { OperationTimes } from './poll-schedule.js';
import { runChange, runDelete, type ApplyEvent, type PromptForInfo } from './operation.js';
import { runJobChange, runJobDelete } from './job-apply.js';
import { isChange, isJobChange, type ApplyResult, type ChangeResult, type DeleteEntry, type JobDeleteEntry, type Plan, type PlanEntry } from './types.js';

import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from '../defaults.js';
import { definedOnly } from './optional.js';
export { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS };

export interface ApplyOptions {
  api: IntunedPort;
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
  /** Aborted on an interrupt: nothing more starts, waits end, and the state is written as usual. */
  signal?: AbortSignal;
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
    ...definedOnly({ signal: options.signal }),
  };

  await recordBookkeeping(plan.entries, options.store, clock);
  const changes = plan.entries.filter(isChange);
  // Each job waits for its own session's change only, not for the whole stage.
  const sessionResults = new Map<string, Promise<ChangeResult>>();
  const settle = new Map<string, (result: ChangeResult) => void>();
  for (const entry of changes) sessionResults.set(entry.id, new Promise((resolve) => settle.set(entry.id, resolve)));
  const jobChanges = plan.entries.filter(isJobChange);
  const [changed, jobsChanged] = await Promise.all([
    mapLimit(changes, concurrency, async (entry) => {
      const result = await runChange(entry, context);
      settle.get(entry.id)!(result);
      return result;
    }),
    mapLimit(jobChanges, concurrency, async (entry) => {
      const session = entry.session === undefined ? undefined : sessionResults.get(entry.session);
      return runJobChange(entry, context, session && (await session));
    }),
  ]);
  const jobDeletes = plan.entries.filter((entry): entry is JobDeleteEntry => entry.kind === 'job' && entry.action === 'delete');
  const jobsDeleted = await mapLimit(jobDeletes, concurrency, (entry) => runJobDelete(entry, context));
  const deletes = plan.entries.filter((entry): entry is DeleteEntry => entry.kind === 'auth-session' && entry.action === 'delete');
  const jobResults = new Map([...jobsChanged, ...jobsDeleted].map((result) => [result.entry.id, result]));
  const deleted = await mapLimit(deletes, concurrency, (entry) => {
    // A job still running with the session (its update or delete did not succeed) keeps it.
    const stuck = entry.after?.find((id) => jobResults.get(id)?.status !== 'succeeded');
    // Interrupted, it is left for the next run like any change not started.
    if (stuck === undefined || context.signal?.aborted) return runDelete(entry, context);
    const how = jobResults.get(stuck)?.status ?? 'not run';
    return Promise.resolve<ChangeResult>({ entry, status: 'skipped', code: 'job-still-uses', message: `not deleted: job ${stuck} still runs with it (its ${jobAction(plan, stuck)} ${how === 'failed' ? 'failed' : 'was not made'}); a later run deletes it` });
  });
  await options.store.finish();

  const skipped: ChangeResult[] = plan.entries
    .filter((entry) => entry.action === 'skip')
    .map((entry) => ({ entry, status: 'skipped', message: entry.reason }));
  const results = [...changed, ...jobsChanged, ...skipped, ...jobsDeleted, ...deleted];
  return summarize(plan, results);
}

function jobAction(plan: Plan, id: string): string {
  return plan.entries.find((entry) => entry.kind === 'job' && entry.id === id)?.action ?? 'change';
}

/** noops that only change the record: an earlier run's operation that ended done, a forgotten session, a moved file. */
async function recordBookkeeping(entries: readonly PlanEntry[], store: StateStore, clock: Clock): Promise<void> {
  let dirty = false;
  for (const entry of entries) {
    if (entry.action !== 'noop') continue;
    if (entry.kind === 'job') {
      dirty = recordJobBookkeeping(entry, store, clock) || dirty;
      continue;
    }
    const owned = store.session(entry.id);
    if ('forget' in entry) {
      store.forget(entry.id);
      dirty = true;
      continue;
    }
    if ('recordApplied' in entry && owned?.operation?.target) {
      const operation = owned.operation;
      store.update(entry.id, (session) => ({
        ...session,
        applied: operation.target,
        appliedAt: operation.at,
        operation: { ...operation, status: 'succeeded', target: undefined },
      }));
      dirty = true;
    }
    if (owned && entry.file && owned.file !== entry.file) {
      store.update(entry.id, (session) => ({ ...session, file: entry.file }));
      dirty = true;
    }
  }
  if (dirty) await store.flush();
}

/** A job found equal to its file is owned and applied from now on; a forgotten one leaves the state. */
function recordJobBookkeeping(entry: Extract<PlanEntry, { kind: 'job'; action: 'noop' }>, store: StateStore, clock: Clock): boolean {
  if (entry.forget) {
    store.forgetJob(entry.id);
    return true;
  }
  const adopt = entry.adopt;
  if (!adopt) return false;
  store.updateJob(entry.id, ({ owned: _owned, operation: _operation, ...job }) => ({
    ...job,
    ...definedOnly({ file: entry.file }),
    applied: { job: adopt.target, secrets: adopt.secretTargets },
    appliedAt: job.appliedAt ?? new Date(clock.now()).toISOString(),
  }));
  return true;
}

/** The apply result of a plan and its operations' results; counts are derived, never kept. */
export function summarize(plan: Plan, results: ChangeResult[]): ApplyResult {
  const summary = summarizeApply({ plan, results });
  return { plan, results, summary, failed: summary.failed > 0 || plan.errors.length > 0 };
}
