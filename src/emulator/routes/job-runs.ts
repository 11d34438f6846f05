/** A job's runs: the paged list, one run with its results, and terminate. */
import { apiError, json } from '../http.js';
import type { Reply } from '../http.js';
import { finish, isUnfinished } from '../job-model.js';
import type { JobRecord, JobRunRecord } from '../job-model.js';
import { jobRunWire, runResults } from '../job-wire.js';
import { checkPaging } from '../validation.js';
import { param } from './context.js';
import type { RouteContext } from './context.js';
import { wireSettings, withJob } from './jobs.js';

/**
 * Runs are listed newest first whatever `sortBy` says (its accepted values are unconfirmed);
 * `pageNumber` is 1-based and a page past the end is empty.
 */
export function listJobRuns(context: RouteContext): Reply {
  return withJob(context, (job) => {
    const paging = checkPaging(context.query);
    if (!paging.ok) return apiError(400, 'bad-request', paging.issues.join('; '));
    const { pageNumber, pageSize } = paging.value;
    const newestFirst = [...job.runs].reverse();
    const page = newestFirst.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    const settings = wireSettings(context);
    return json(200, { jobRuns: page.map((run) => jobRunWire(context.project, job.id, run, settings)), totalCount: job.runs.length });
  });
}

export function getJobRun(context: RouteContext): Reply {
  return withRun(context, (job, run) => {
    const results = runResults(job.id, run);
    const jobRun = jobRunWire(context.project, job.id, run, wireSettings(context));
    return json(200, results ? { jobRun, results } : { jobRun });
  });
}

/** Terminating a finished run changes nothing and is accepted (the real answer is unconfirmed). */
export function terminateJobRun(context: RouteContext): Reply {
  return withRun(context, (_job, run) => {
    if (!isUnfinished(run)) return json(200, { message: `Job run ${run.id} had already finished` });
    finish(run, 'TERMINATED', context.now);
    return json(200, { message: `Job run ${run.id} terminated` });
  });
}

function withRun(context: RouteContext, handle: (job: JobRecord, run: JobRunRecord) => Reply): Reply {
  return withJob(context, (job) => {
    const id = param(context, 'jobRunId');
    const run = job.runs.find((candidate) => candidate.id === id);
    return run ? handle(job, run) : apiError(404, 'not-found', `Job run ${id} not found in job ${job.id}`);
  });
}
