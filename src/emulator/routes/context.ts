/** What every route handler receives, and the small helpers they share. */
import { sessionError } from '../http.js';
import type { Reply } from '../http.js';
import type { ProjectState, SessionRecord } from '../store.js';
import type { EmulatedOutcome, JobRunOutcome, JobRunOutcomeRequest, OutcomeRequest } from '../types.js';

export interface RouteConfig {
  legacy: boolean;
  inUseDeleteStatus: 409 | 400;
  outcome: (request: OutcomeRequest) => EmulatedOutcome;
  jobRunDurationMs: number;
  jobRunOutcome: (request: JobRunOutcomeRequest) => JobRunOutcome;
  maskJobSecrets: boolean;
}

export interface RouteContext {
  project: ProjectState;
  /** Decoded path parameters (`:id` → `params.id`). */
  params: Record<string, string>;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  query: URLSearchParams;
  now: number;
  config: RouteConfig;
}

export type Handler = (context: RouteContext) => Reply;

export function param(context: RouteContext, name: string): string {
  return context.params[name] ?? '';
}

export function invalidBody(issues: string[]): Reply {
  return sessionError(
    400,
    `Invalid request body: ${issues.join('; ')}`,
    issues.map((message) => ({ message })),
  );
}

export function sessionNotFound(id: string): Reply {
  return sessionError(404, `Auth session ${id} not found`);
}

export function operationNotFound(id: string): Reply {
  return sessionError(404, `Operation ${id} not found`);
}

export function sessionWire(session: SessionRecord): { id: string; type: string; status: string } {
  return { id: session.id, type: session.type, status: session.status };
}
