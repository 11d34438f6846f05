/**
 * What an earlier run left behind: an operation recorded as starting or started, whose result
 * was fetched during observation. A killed or timed-out run is picked up from here.
 */
import type { OperationResult } from './port.js';
import type { SessionState, StoredFingerprint } from '../state/types.js';

export function isRunning(result: OperationResult | undefined): boolean {
  return result?.status === 'pending' || result?.status === 'in_progress' || result?.status === 'requested_more_info';
}

/** What Intuned holds, counting an earlier run's operation that has since ended done. */
export function effectiveApplied(owned: SessionState, result: OperationResult | undefined): StoredFingerprint | undefined {
  const operation = owned.operation;
  if (operation?.status === 'started' && operation.kind !== 'delete' && result?.status === 'done') return operation.target;
  return owned.applied;
}

/** Why the last create or update must be repeated, or undefined when it needs nothing. */
export function describeLastOperation(owned: SessionState, result: OperationResult | undefined): string | undefined {
  const operation = owned.operation;
  if (!operation || operation.kind === 'delete') return undefined;
  const kind = operation.kind;
  const detail = (message: string | undefined, code: string | undefined) =>
    `${message ?? 'no message'}${code ? ` (${code})` : ''}`;
  switch (operation.status) {
    case 'failed':
      return `last ${kind} failed: ${detail(operation.message, operation.code)}`;
    case 'canceled':
      return `last ${kind} was canceled: ${detail(operation.message, operation.code)}`;
    case 'starting':
      return `the outcome of an earlier ${kind} is unknown (its run stopped while starting it)`;
    case 'started':
      if (result?.status === 'failed') return `last ${kind} failed: ${detail(result.message, result.error.code)}`;
      if (result?.status === 'canceled') return `last ${kind} was canceled: ${detail(result.message, result.reason.type)}`;
      if (result === undefined) return `the outcome of an earlier ${kind} (operation ${operation.operationId ?? '?'}) is unknown to Intuned`;
      return undefined;
    default:
      return undefined;
  }
}
