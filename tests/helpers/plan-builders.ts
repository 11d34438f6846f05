/**
 * In-memory plans and apply results, shaped like the engine's (same reasons, same order), for
 * tests of anything that consumes a plan: renderers, the CLI's output, the Action.
 */
import type {
  ApplyResult,
  ChangeAction,
  ChangeResult,
  CreateEntry,
  DeleteEntry,
  InUse,
  NoopEntry,
  Plan,
  PlanEntry,
  PlanError,
  ResumeEntry,
  SkipEntry,
  UnsafePlan,
  UpdateEntry,
} from '../../src/engine/types.js';
import type { DesiredSession } from '../../src/resources/types.js';
import { summarize } from '../../src/engine/apply.js';
import { desired as desiredSession, sessionFile } from './sessions.js';


/** What a create or update sends (no target: a digest of these plans covers actions and IDs). */
function sends(id: string, desired: DesiredSession = desiredSession(id)) {
  return { kind: 'auth-session', id, file: desired.file, desired } as const;
}

export function createEntry(id: string, overrides: Partial<Omit<CreateEntry, 'action'>> = {}): CreateEntry {
  return { ...sends(id, overrides.desired), action: 'create', reason: 'new file', ...overrides };
}

export function updateEntry(id: string, changedParameters: string[] = ['password'], overrides: Partial<Omit<UpdateEntry, 'action'>> = {}): UpdateEntry {
  const changedSettings = overrides.changedSettings ?? [];
  const reason = [
    ...(changedParameters.length > 0 ? [`parameters changed: ${changedParameters.join(', ')}`] : []),
    ...changedSettings.map((field) => `${field} changed`),
  ].join('; ');
  return { ...sends(id, overrides.desired), action: 'update', reason, changedParameters, ...overrides };
}

/** A create or update an earlier run started and that still runs, worded as the engine words it. */
export function resumeEntry(id: string, action: ResumeEntry['action'] = 'create', operationId = 'op-1'): ResumeEntry {
  return {
    ...sends(id),
    action,
    reason: `waiting for the ${action} an earlier run started (still running; nothing new is started)`,
    resumeOperationId: operationId,
  };
}

export function deleteEntry(id: string, overrides: Partial<Omit<DeleteEntry, 'action'>> = {}): DeleteEntry {
  return { kind: 'auth-session', id, action: 'delete', reason: 'file removed', ...overrides };
}

export function skipEntry(id: string, inUse: InUse = { jobId: 'nightly-sync', runId: 'r-123', runStatus: 'PENDING' }): SkipEntry {
  const run = inUse.runId ? ` (its run ${inUse.runId} is ${inUse.runStatus ?? 'unfinished'})` : '';
  return {
    kind: 'auth-session',
    id,
    action: 'skip',
    skipped: 'delete',
    inUse,
    reason: `file removed, but it is in use by job ${inUse.jobId}${run}; a later run deletes it`,
  };
}

export function noopEntry(id: string, overrides: Partial<Omit<NoopEntry, 'action'>> = {}): NoopEntry {
  return { kind: 'auth-session', id, action: 'noop', reason: 'up to date', file: sessionFile(id), ...overrides };
}

/** An entry of any action with the given reason and file, the rest as the builders above make it. */
export function entryOf(action: ChangeAction, id: string, fields: { reason: string; file?: string }): PlanEntry {
  const file = fields.file === undefined ? {} : { file: fields.file };
  switch (action) {
    case 'create':
      return { ...createEntry(id), ...file, reason: fields.reason };
    case 'update':
      return { ...updateEntry(id), ...file, reason: fields.reason };
    case 'skip':
      return { ...skipEntry(id), ...file, reason: fields.reason };
    case 'delete':
      return { kind: 'auth-session', id, action, ...file, reason: fields.reason };
    case 'noop':
      return { kind: 'auth-session', id, action, ...file, reason: fields.reason };
  }
}

export interface PlanExtras {
  unmanaged?: string[];
  unmanagedJobs?: string[];
  errors?: PlanError[];
  warnings?: string[];
  unsafe?: UnsafePlan;
}

/** A plan of these entries (its counts are derived by the engine's `summarizePlan`, as for any plan). */
export function buildPlan(entries: PlanEntry[], extras: PlanExtras = {}): Plan {
  const plan: Plan = {
    entries,
    unmanaged: extras.unmanaged ?? [],
    unmanagedJobs: extras.unmanagedJobs ?? [],
    errors: extras.errors ?? [],
    warnings: extras.warnings ?? [],
  };
  if (extras.unsafe) plan.unsafe = extras.unsafe;
  return plan;
}

export function succeeded(entry: PlanEntry, extra: Partial<ChangeResult> = {}): ChangeResult {
  return { entry, status: 'succeeded', operationId: `op-${entry.id}`, lastStatus: 'done', durationMs: 42_000, ...extra };
}

export function failed(entry: PlanEntry, message: string, code?: string): ChangeResult {
  return { entry, status: 'failed', operationId: `op-${entry.id}`, lastStatus: 'failed', message, ...(code ? { code } : {}) };
}

/** Worded as the engine words a timeout. */
export function timedOut(entry: PlanEntry, lastStatus = 'in_progress', after = '10m'): ChangeResult {
  return {
    entry,
    status: 'failed',
    timedOut: true,
    operationId: `op-${entry.id}`,
    lastStatus,
    message: `timed out after ${after} waiting for ${entry.action} (last status ${lastStatus}); it may still finish, and the next run picks it up`,
  };
}

export function skippedResult(entry: PlanEntry, message = entry.reason): ChangeResult {
  return { entry, status: 'skipped', message };
}

/**
 * An apply of `plan` as the engine reports it: every create, update and delete succeeds
 * unless `outcomes` says otherwise; skips are reported skipped; noops get no result.
 */
export function applyOf(plan: Plan, outcomes: Record<string, ChangeResult> = {}): ApplyResult {
  const results: ChangeResult[] = [];
  for (const entry of plan.entries) {
    if (entry.action === 'noop') continue;
    const given = Object.hasOwn(outcomes, entry.id) ? outcomes[entry.id] : undefined;
    results.push(given ?? (entry.action === 'skip' ? skippedResult(entry) : succeeded(entry)));
  }
  return summarize(plan, results);
}

/** `prefix-0001` … : IDs that sort in creation order. */
export function manyIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${String(index + 1).padStart(5, '0')}`);
}
