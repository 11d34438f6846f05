/** Starting an operation: ask the outcome hook how it will end, then take a slot. */
import type { Operation, OperationKind } from '../operations.js';
import { MORE_INFO_UNSUPPORTED } from '../results.js';
import type { SessionRecord } from '../store.js';
import { isObject } from '../validation.js';
import type { RouteContext } from './context.js';

export interface BeginRequest {
  kind: OperationKind;
  session: SessionRecord;
  body: unknown;
  /** The parameters before this operation (undefined for a create). */
  sessionParameters: Record<string, unknown> | undefined;
}

export function beginOperation(context: RouteContext, request: BeginRequest): Operation {
  const { project, config } = context;
  const body = isObject(request.body) ? request.body : {};
  let outcome = config.outcome({
    kind: request.kind,
    workspaceId: project.workspaceId,
    project: project.project,
    authSessionId: request.session.id,
    body,
    ...(request.sessionParameters ? { sessionParameters: request.sessionParameters } : {}),
  });
  if (outcome.status === 'requested_more_info' && !config.legacy) outcome = MORE_INFO_UNSUPPORTED;
  return project.book.start({
    kind: request.kind,
    authSessionId: request.session.id,
    sessionToken: request.session.token,
    outcome,
    now: context.now,
  });
}
