/**
 * What an operation's end does to its session, and how its result looks on the wire in each
 * API generation.
 *
 * Session status decisions (the real API's are unconfirmed):
 * - A create that ends failed or canceled leaves the session EXPIRED rather than removing it:
 *   the ID was reserved when the create started (a second create answered 409), and EXPIRED
 *   is the API's only status for "exists but not usable", which an update can then repair.
 * - During an update or a validate the session keeps its status (a READY session stays
 *   usable while new credentials are tried). done makes it READY; failed makes it EXPIRED (its
 *   login was just found not to work); canceled leaves it as it was.
 * - An end never touches a session deleted (or deleted and created again) meanwhile.
 */
import type { FinalOutcome, Operation, OperationPhase } from './operations.js';
import type { ProjectState } from './store.js';
import type { EmulatedOutcome } from './types.js';

/** The outcome category when a custom `outcome` gives none. */
const DEFAULT_FAILURE_CATEGORY = 'execution';

/**
 * The current API generation cannot ask for a one-time code: a login that needs one fails
 * there (the run cannot finish), so clients see a final result instead of a status they
 * would not know.
 */
export const MORE_INFO_UNSUPPORTED: EmulatedOutcome = {
  status: 'failed',
  code: 'create-attempts-failed',
  message: 'The login asked for more information (a one-time code), which this API cannot supply',
  category: 'auth',
};

export const WRONG_INPUT: FinalOutcome = {
  status: 'failed',
  code: 'auth-check-failed',
  message: 'Login check failed: the one-time code was rejected',
  category: 'auth',
};

export function applyEnd(project: ProjectState, operation: Operation): void {
  const session = project.sessions.get(operation.authSessionId);
  if (!session || session.token !== operation.sessionToken || !operation.final) return;
  switch (operation.final.status) {
    case 'done':
      session.status = 'READY';
      return;
    case 'failed':
      session.status = 'EXPIRED';
      return;
    case 'canceled':
      if (operation.kind === 'create') session.status = 'EXPIRED';
      return;
  }
}

export function resultBody(operation: Operation, phase: OperationPhase, legacy: boolean): Record<string, unknown> {
  switch (phase) {
    case 'pending':
      return { status: 'pending' };
    case 'in_progress':
      return { status: 'in_progress', runId: operation.runId };
    case 'requested_more_info':
      return moreInfoBody(operation);
    case 'done':
      return { status: 'done', authSessionId: operation.authSessionId };
    case 'failed':
    case 'canceled':
      return finalBody(operation.final ?? operation.outcome, legacy);
  }
}

function moreInfoBody(operation: Operation): Record<string, unknown> {
  const outcome = operation.outcome;
  const messageToUser = outcome.status === 'requested_more_info' ? outcome.messageToUser : '';
  return {
    status: 'requested_more_info',
    id: operation.infoRequestId,
    details: { requestType: 'otp', action: 'request_more_info', messageToUser },
  };
}

function finalBody(outcome: EmulatedOutcome, legacy: boolean): Record<string, unknown> {
  if (outcome.status === 'canceled') {
    return { status: 'canceled', message: outcome.message, reason: { type: outcome.reasonType, message: outcome.message } };
  }
  if (outcome.status !== 'failed') return { status: outcome.status };
  if (legacy) return { status: 'failed', error: outcome.code, message: outcome.message };
  return {
    status: 'failed',
    message: outcome.message,
    error: {
      message: outcome.message,
      code: outcome.code,
      category: outcome.category ?? DEFAULT_FAILURE_CATEGORY,
      retirable: false,
    },
  };
}
