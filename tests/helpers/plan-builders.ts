/**
 * In-memory plans and apply results, shaped like the engine's (same reasons, same order), for
 * tests of anything that consumes a plan: renderers, the CLI's output, the Action.
 */
import type { ApplyResult, ChangeResult, InUse, Plan, PlanEntry, PlanError, UnsafePlan } from '../../src/engine/types.js';
import type { AuthSessionSpec, DesiredSession } from '../../src/resources/types.js';
import { summarize } from '../../src/engine/apply.js';

export function sessionFile(id: string, folder = ''): string {
  return `intuned-resources/auth-sessions/${folder ? `${folder}/` : ''}${id}.auth-session.jsonc`;
}

export function desiredFor(id: string, spec: Partial<AuthSessionSpec> = {}, secrets: string[] = []): DesiredSession {
  return {
    id,
    file: sessionFile(id),
    spec: { parameters: { username: `${id}@example.com`, password: `${id}-password` }, ...spec },
    secrets,
  };
}

export function createEntry(id: string, overrides: Partial<PlanEntry> = {}): PlanEntry {
  const desired = overrides.desired ?? desiredFor(id);
  return { id, action: 'create', reason: 'new file', file: desired.file, desired, ...overrides };
}

export function updateEntry(id: string, changedParameters: string[] = ['password'], overrides: Partial<PlanEntry> = {}): PlanEntry {
  const desired = overrides.desired ?? desiredFor(id);
  const changedSettings = overrides.changedSettings ?? [];
  const reason = [
    ...(changedParameters.length > 0 ? [`parameters changed: ${changedParameters.join(', ')}`] : []),
    ...changedSettings.map((field) => `${field} changed`),
  ].join('; ');
  return { id, action: 'update', reason, file: desired.file, changedParameters, desired, ...overrides };
}

export function deleteEntry(id: string, overrides: Partial<PlanEntry> = {}): PlanEntry {
  return { id, action: 'delete', reason: 'file removed', ...overrides };
}

export function skipEntry(id: string, inUse: InUse = { jobId: 'nightly-sync', runId: 'r-123', runStatus: 'PENDING' }): PlanEntry {
  const run = inUse.runId ? ` (its run ${inUse.runId} is ${inUse.runStatus ?? 'unfinished'})` : '';
  return {
    id,
    action: 'skip',
    skipped: 'delete',
    inUse,
    reason: `file removed, but it is in use by job ${inUse.jobId}${run}; a later run deletes it`,
  };
}

export function noopEntry(id: string, overrides: Partial<PlanEntry> = {}): PlanEntry {
  return { id, action: 'noop', reason: 'up to date', file: sessionFile(id), ...overrides };
}

export interface PlanExtras {
  unmanaged?: string[];
  errors?: PlanError[];
  warnings?: string[];
  unsafe?: UnsafePlan;
}

/** A plan with its summary and `hasChanges` computed from the entries, as the engine does. */
export function buildPlan(entries: PlanEntry[], extras: PlanExtras = {}): Plan {
  const count = (action: PlanEntry['action']) => entries.filter((entry) => entry.action === action).length;
  const summary = {
    create: count('create'),
    update: count('update'),
    delete: count('delete'),
    skip: count('skip'),
    noop: count('noop'),
    unmanaged: extras.unmanaged?.length ?? 0,
    errors: extras.errors?.length ?? 0,
  };
  const plan: Plan = {
    entries,
    unmanaged: extras.unmanaged ?? [],
    errors: extras.errors ?? [],
    warnings: extras.warnings ?? [],
    summary,
    hasChanges: summary.create + summary.update + summary.delete > 0,
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
