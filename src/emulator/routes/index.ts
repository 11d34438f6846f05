/**
 * The route table, relative to `/{workspaceId}/projects/{projectName}`. The first match wins,
 * so literal segments come before parameters (`/auth-sessions/create` is the create start,
 * while a session with ID `create` is still reachable through GET and DELETE). Routes of one
 * API generation answer 404 in the other, so clients can be tested against each.
 */
import * as sessions from './auth-sessions.js';
import type { Handler } from './context.js';
import * as runs from './job-runs.js';
import * as jobs from './jobs.js';
import * as operations from './session-operations.js';

type Generation = 'both' | 'current' | 'legacy';

interface Route {
  method: string;
  segments: string[];
  generation: Generation;
  handler: Handler;
}

function route(method: string, path: string, handler: Handler, generation: Generation = 'both'): Route {
  return { method, segments: path.split('/').filter(Boolean), generation, handler };
}

const ROUTES: readonly Route[] = [
  route('GET', '/auth-sessions', sessions.listSessions),
  route('POST', '/auth-sessions/create', sessions.startCreate),
  route('POST', '/auth-sessions/update', operations.startLegacyUpdate, 'legacy'),
  route('GET', '/auth-sessions/create/:operationId/result', operations.createResult),
  route('GET', '/auth-sessions/update/:operationId/result', operations.legacyUpdateResult, 'legacy'),
  route('POST', '/auth-sessions/create/:operationId/resume', operations.resumeCreate, 'legacy'),
  route('POST', '/auth-sessions/update/:operationId/resume', operations.resumeUpdate, 'legacy'),
  route('GET', '/auth-sessions/:id', sessions.getSession),
  route('DELETE', '/auth-sessions/:id', sessions.deleteSession),
  route('POST', '/auth-sessions/:id/update', operations.startUpdate, 'current'),
  route('GET', '/auth-sessions/:id/update/:operationId/result', operations.updateResult, 'current'),
  route('POST', '/auth-sessions/:id/validate/start', operations.startValidate),
  route('GET', '/auth-sessions/:id/validate/:operationId/result', operations.validateResult),
  route('GET', '/jobs', jobs.listJobs),
  route('POST', '/jobs', jobs.createJob),
  route('GET', '/jobs/:jobId', jobs.getJob),
  route('PUT', '/jobs/:jobId', jobs.updateJob),
  route('DELETE', '/jobs/:jobId', jobs.deleteJob),
  route('POST', '/jobs/:jobId/pause', jobs.pauseJob),
  route('POST', '/jobs/:jobId/resume', jobs.resumeJob),
  route('POST', '/jobs/:jobId/trigger', jobs.triggerJob),
  route('GET', '/jobs/:jobId/runs', runs.listJobRuns),
  route('GET', '/jobs/:jobId/runs/:jobRunId', runs.getJobRun),
  route('POST', '/jobs/:jobId/runs/:jobRunId/terminate', runs.terminateJobRun),
];

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

export function findRoute(method: string, segments: readonly string[], legacy: boolean): RouteMatch | undefined {
  for (const candidate of ROUTES) {
    if (candidate.method !== method || candidate.segments.length !== segments.length) continue;
    if (candidate.generation === (legacy ? 'current' : 'legacy')) continue;
    const params = matchSegments(candidate.segments, segments);
    if (params) return { handler: candidate.handler, params };
  }
  return undefined;
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const value = segments[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = value;
    else if (part !== value) return undefined;
  }
  return params;
}
