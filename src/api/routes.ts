/**
 * Every request the client makes: method, path (each segment encoded), the route template
 * counted in stats, and how safe a repeat is. Both API generations live here, so the client
 * itself never spells a path.
 */
import { InputError, InternalError } from '../errors.js';
import type { ApiGeneration } from './options.js';
import type { RequestSafety } from './retry.js';
import type { OperationKind } from './types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route {
  method: HttpMethod;
  /** After the base URL, e.g. `/ws/projects/p/auth-sessions/a%2Cb`. */
  path: string;
  /** e.g. `GET /auth-sessions/{id}` */
  route: string;
  safety: RequestSafety;
}

/** Job runs asked for per page. */
export const JOB_RUNS_PAGE_SIZE = 100;
/** Newest first (the format of the SDK's example), so unfinished runs come early. */
export const JOB_RUNS_SORT = 'start_time,desc';

/**
 * One path segment. IDs may hold `(),`; `.` and `..` are escaped so no URL normaliser on the
 * way can turn them into a different path.
 */
export function segment(value: string): string {
  if (value === '') throw new InternalError('an empty path segment (an ID or name) reached the API client');
  // URL parsers read %2E and %2E%2E as dot segments too: such a name would address another path.
  if (value === '.' || value === '..') throw new InputError(`"${value}" cannot be an ID or name in an Intuned API path`);
  return encodeURIComponent(value);
}

function route(method: HttpMethod, path: string, template: string, safety: RequestSafety): Route {
  return { method, path, route: `${method} ${template}`, safety };
}

export function makeRoutes(options: { workspaceId: string; project: string; apiGeneration: ApiGeneration }) {
  const project = `/${segment(options.workspaceId)}/projects/${segment(options.project)}`;
  const sessions = `${project}/auth-sessions`;
  const legacy = options.apiGeneration === 'legacy';
  const get = (path: string, template: string) => route('GET', path, template, 'idempotent');

  return {
    listSessions: () => get(sessions, '/auth-sessions'),
    getSession: (id: string) => get(`${sessions}/${segment(id)}`, '/auth-sessions/{id}'),
    deleteSession: (id: string) =>
      route('DELETE', `${sessions}/${segment(id)}`, '/auth-sessions/{id}', 'idempotent'),
    startCreate: () => route('POST', `${sessions}/create`, '/auth-sessions/create', 'keyed'),
    startUpdate: (id: string) =>
      legacy
        ? route('POST', `${sessions}/update`, '/auth-sessions/update', 'unsafe')
        : route('POST', `${sessions}/${segment(id)}/update`, '/auth-sessions/{id}/update', 'unsafe'),
    startValidate: (id: string) =>
      route('POST', `${sessions}/${segment(id)}/validate/start`, '/auth-sessions/{id}/validate/start', 'unsafe'),
    result: (kind: OperationKind, operationId: string, id: string) => {
      const op = segment(operationId);
      if (kind === 'create') return get(`${sessions}/create/${op}/result`, '/auth-sessions/create/{op}/result');
      if (kind === 'update' && legacy) {
        return get(`${sessions}/update/${op}/result`, '/auth-sessions/update/{op}/result');
      }
      return get(`${sessions}/${segment(id)}/${kind}/${op}/result`, `/auth-sessions/{id}/${kind}/{op}/result`);
    },
    // Only the older API documents resume, and only at these paths; the current API has no
    // requested_more_info result, so the same paths serve both generations.
    resume: (kind: 'create' | 'update', operationId: string) =>
      route('POST', `${sessions}/${kind}/${segment(operationId)}/resume`, `/auth-sessions/${kind}/{op}/resume`, 'unsafe'),
    listJobs: () => get(`${project}/jobs`, '/jobs'),
    // Create and update are keyed by the job ID: a repeat writes the same definition to the same
    // job, so both are retried, and the transport says when an earlier attempt may have acted.
    createJob: () => route('POST', `${project}/jobs`, '/jobs', 'keyed'),
    updateJob: (id: string) => route('PUT', `${project}/jobs/${segment(id)}`, '/jobs/{id}', 'keyed'),
    deleteJob: (id: string) => route('DELETE', `${project}/jobs/${segment(id)}`, '/jobs/{id}', 'idempotent'),
    listJobRuns: (jobId: string, pageNumber: number) => {
      const query = new URLSearchParams({
        pageNumber: String(pageNumber),
        pageSize: String(JOB_RUNS_PAGE_SIZE),
        sortBy: JOB_RUNS_SORT,
      });
      return get(`${project}/jobs/${segment(jobId)}/runs?${query}`, '/jobs/{id}/runs');
    },
  };
}

export type Routes = ReturnType<typeof makeRoutes>;
