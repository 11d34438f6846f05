/**
 * Update and validate starts, results of all three kinds, and the older generation's resume.
 *
 * Concurrent operations on one session are accepted (the real API's answer is unconfirmed);
 * their ends apply in end order, so the last to end wins.
 */
import { json, sessionError } from '../http.js';
import type { Reply } from '../http.js';
import { phaseAt } from '../operations.js';
import type { Operation, OperationKind } from '../operations.js';
import { applyEnd, resultBody, WRONG_INPUT } from '../results.js';
import { checkResumeBody, checkSessionBody, checkValidateBody, isObject } from '../validation.js';
import { storeSettings } from './auth-sessions.js';
import { invalidBody, operationNotFound, param, sessionNotFound } from './context.js';
import type { RouteContext } from './context.js';
import { beginOperation } from './operation-start.js';

/** Current generation: `POST /auth-sessions/{id}/update`. */
export function startUpdate(context: RouteContext): Reply {
  return update(context, param(context, 'id'));
}

/** Older generation: `POST /auth-sessions/update` with the id in the body. */
export function startLegacyUpdate(context: RouteContext): Reply {
  const id = isObject(context.body) ? context.body.id : undefined;
  if (typeof id !== 'string') return invalidBody(['id is required']);
  return update(context, id);
}

function update(context: RouteContext, id: string): Reply {
  const session = context.project.sessions.get(id);
  if (!session) return sessionNotFound(id);
  const checked = checkSessionBody(context.body, { withId: false });
  if (!checked.ok) return invalidBody(checked.issues);
  const operation = beginOperation(context, {
    kind: 'update',
    session,
    body: context.body,
    sessionParameters: session.parameters,
  });
  storeSettings(session, checked.value);
  return json(201, { status: 'started', operationId: operation.id });
}

export function startValidate(context: RouteContext): Reply {
  const id = param(context, 'id');
  const session = context.project.sessions.get(id);
  if (!session) return sessionNotFound(id);
  const checked = checkValidateBody(context.body);
  if (!checked.ok) return invalidBody(checked.issues);
  const operation = beginOperation(context, {
    kind: 'validate',
    session,
    body: checked.value,
    sessionParameters: session.parameters,
  });
  return json(201, { status: 'pending', operationId: operation.id });
}

export function createResult(context: RouteContext): Reply {
  return result(context, 'create', undefined);
}

export function updateResult(context: RouteContext): Reply {
  return result(context, 'update', param(context, 'id'));
}

export function legacyUpdateResult(context: RouteContext): Reply {
  return result(context, 'update', undefined);
}

export function validateResult(context: RouteContext): Reply {
  return result(context, 'validate', param(context, 'id'));
}

function result(context: RouteContext, kind: OperationKind, sessionId: string | undefined): Reply {
  const operation = findOperation(context, kind, sessionId);
  if (!operation) return operationNotFound(param(context, 'operationId'));
  return json(200, resultBody(operation, phaseAt(operation, context.now), context.config.legacy));
}

export function resumeCreate(context: RouteContext): Reply {
  return resume(context, 'create');
}

export function resumeUpdate(context: RouteContext): Reply {
  return resume(context, 'update');
}

/**
 * A right answer ends the operation done at once, a wrong one ends it failed (the login's
 * check rejects the code). The rest of a real run after a resume is not emulated.
 */
function resume(context: RouteContext, kind: 'create' | 'update'): Reply {
  const operation = findOperation(context, kind, undefined);
  if (!operation) return operationNotFound(param(context, 'operationId'));
  const checked = checkResumeBody(context.body);
  if (!checked.ok) return invalidBody(checked.issues);
  const outcome = operation.outcome;
  if (phaseAt(operation, context.now) !== 'requested_more_info' || outcome.status !== 'requested_more_info') {
    return sessionError(400, `Operation ${operation.id} is not waiting for more information`);
  }
  if (checked.value.infoRequestId !== operation.infoRequestId) {
    return sessionError(400, `infoRequestId does not match the request of operation ${operation.id}`);
  }
  operation.final = checked.value.input === outcome.expectedInput ? { status: 'done' } : WRONG_INPUT;
  applyEnd(context.project, operation);
  return json(202, { status: 'resumed' });
}

function findOperation(context: RouteContext, kind: OperationKind, sessionId: string | undefined): Operation | undefined {
  const operation = context.project.book.get(param(context, 'operationId'));
  if (!operation || operation.kind !== kind) return undefined;
  if (sessionId !== undefined && operation.authSessionId !== sessionId) return undefined;
  return operation;
}
