/** AuthSession list, get, delete and create-start. */
import { randomUUID } from 'node:crypto';
import { json, noContent, sessionError } from '../http.js';
import type { Reply } from '../http.js';
import { nextSessionToken } from '../store.js';
import type { SessionRecord } from '../store.js';
import { checkSessionBody } from '../validation.js';
import type { SessionFields } from '../validation.js';
import { invalidBody, param, sessionNotFound, sessionWire } from './context.js';
import type { RouteContext } from './context.js';
import { beginOperation } from './operation-start.js';

export function listSessions(context: RouteContext): Reply {
  return json(200, [...context.project.sessions.values()].map(sessionWire));
}

export function getSession(context: RouteContext): Reply {
  const id = param(context, 'id');
  const session = context.project.sessions.get(id);
  return session ? json(200, sessionWire(session)) : sessionNotFound(id);
}

/**
 * The real answer for a session in use is unconfirmed (409 or 400 are plausible), hence the
 * `inUseDeleteStatus` switch. Running create/update operations do not block a delete.
 */
export function deleteSession(context: RouteContext): Reply {
  const id = param(context, 'id');
  if (!context.project.sessions.has(id)) return sessionNotFound(id);
  const inUse = context.project.activeRunUsing(id);
  if (inUse) {
    return sessionError(context.config.inUseDeleteStatus, `Auth session ${id} is in use by an active job run`, {
      jobId: inUse.jobId,
      jobRunId: inUse.runId,
    });
  }
  context.project.sessions.delete(id);
  return noContent();
}

/** The session exists (PENDING, CREDENTIALS) from the moment its create starts. */
export function startCreate(context: RouteContext): Reply {
  const checked = checkSessionBody(context.body, { withId: true });
  if (!checked.ok) return invalidBody(checked.issues);
  const id = checked.value.id ?? randomUUID();
  if (context.project.sessions.has(id)) return sessionError(409, `Auth session ${id} already exists`);
  const session: SessionRecord = { id, type: 'CREDENTIALS', status: 'PENDING', parameters: {}, token: nextSessionToken() };
  storeSettings(session, checked.value);
  const operation = beginOperation(context, { kind: 'create', session, body: context.body, sessionParameters: undefined });
  context.project.sessions.set(id, session);
  return json(201, { status: 'started', operationId: operation.id });
}

/**
 * The session keeps what the last create or update sent (so tests can assert it), recorded
 * when the operation starts: the API accepted it then, whatever the login run does.
 */
export function storeSettings(session: SessionRecord, fields: SessionFields): void {
  session.parameters = structuredClone(fields.parameters);
  for (const key of ['proxy', 'createAttempts', 'checkAttempts', 'saveTrace'] as const) {
    if (fields[key] === undefined) delete session[key];
  }
  if (fields.proxy !== undefined) session.proxy = fields.proxy;
  if (fields.createAttempts !== undefined) session.createAttempts = fields.createAttempts;
  if (fields.checkAttempts !== undefined) session.checkAttempts = fields.checkAttempts;
  if (fields.saveTrace !== undefined) session.saveTrace = fields.saveTrace;
}
