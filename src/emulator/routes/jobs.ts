/** Jobs and their runs, snake_case on the wire like the real API. */
import { apiError, json } from '../http.js';
import type { Reply } from '../http.js';
import type { JobRecord, JobRunRecord } from '../store.js';
import { checkPaging } from '../validation.js';
import { param } from './context.js';
import type { RouteContext } from './context.js';

/** What a job's session settings default to when the job file gives none. */
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_MAX_CONCURRENT_REQUESTS = 10;

export function listJobs(context: RouteContext): Reply {
  return json(200, [...context.project.jobs.values()].map(jobWire));
}

export function getJob(context: RouteContext): Reply {
  const job = context.project.jobs.get(param(context, 'jobId'));
  return job ? json(200, jobWire(job)) : jobNotFound(param(context, 'jobId'));
}

/**
 * Runs are listed newest first whatever `sortBy` says (its accepted values are unconfirmed);
 * `pageNumber` is 1-based and a page past the end is empty.
 */
export function listJobRuns(context: RouteContext): Reply {
  const job = context.project.jobs.get(param(context, 'jobId'));
  if (!job) return jobNotFound(param(context, 'jobId'));
  const paging = checkPaging(context.query);
  if (!paging.ok) return apiError(400, 'bad-request', paging.issues.join('; '));
  const { pageNumber, pageSize } = paging.value;
  const newestFirst = [...job.runs].reverse();
  const page = newestFirst.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return json(200, { jobRuns: page.map((run) => runWire(job, run)), totalCount: job.runs.length });
}

function jobNotFound(jobId: string): Reply {
  return apiError(404, 'not-found', `Job ${jobId} not found`);
}

function jobWire(job: JobRecord): Record<string, unknown> {
  return {
    id: job.id,
    state: job.state,
    configuration: { retry: { maximumAttempts: DEFAULT_ATTEMPTS }, maximumConcurrentRequests: DEFAULT_MAX_CONCURRENT_REQUESTS },
    payload: [{ apiName: 'default', parameters: {} }],
    sink: null,
    schedule: null,
    auth_session:
      job.authSessionId === null
        ? null
        : { id: job.authSessionId, checkAttempts: DEFAULT_ATTEMPTS, createAttempts: DEFAULT_ATTEMPTS },
  };
}

function runWire(job: JobRecord, run: JobRunRecord): Record<string, unknown> {
  return {
    id: run.id,
    job_id: job.id,
    status: run.status,
    start_time: new Date(run.startTime).toISOString(),
    end_time: run.endTime === null ? null : new Date(run.endTime).toISOString(),
    job_configuration_snapshot: { auth_session: job.authSessionId === null ? null : { id: job.authSessionId } },
  };
}
