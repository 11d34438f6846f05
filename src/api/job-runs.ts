/**
 * Reading every page of a job's runs. Whether the API counts pages from 0 or 1 is
 * *unconfirmed* (the SDK's example asks for page 0), so reading starts at 0 and copes with a
 * server that counts from 1 whichever way it treats page 0:
 * - it refuses page 0 (400): reading restarts at page 1;
 * - it answers page 0 empty while `totalCount` says there are runs: reading goes on at page 1;
 * - it answers page 0 as page 1: page 1 repeats those runs, which are kept once by ID.
 * Starting at 1 instead would silently skip the newest runs on a server counting from 0, and
 * the newest are the ones most likely still running.
 */
import { ApiError } from '../errors.js';
import { JOB_RUNS_PAGE_SIZE } from './routes.js';
import type { JobRun } from './types.js';

export const JOB_RUNS_FIRST_PAGE = 0;
/** Pages read per job at most (×`JOB_RUNS_PAGE_SIZE` runs), so a server ignoring the page cannot loop us. */
export const JOB_RUNS_MAX_PAGES = 200;

export interface JobRunPage {
  jobRuns: JobRun[];
  totalCount: number | undefined;
}

/**
 * What one client learned about the server's paging: once it refused page 0, every later job's
 * runs are read from page 1, so a project's jobs cost one request each, not two.
 */
export interface PagingFacts {
  refusesPageZero: boolean;
}

export async function readAllJobRuns(options: {
  jobId: string;
  fetchPage: (pageNumber: number) => Promise<JobRunPage>;
  /** Where the error for too many pages points. */
  path: string;
  paging?: PagingFacts;
}): Promise<JobRun[]> {
  const runs = new Map<string, JobRun>();
  let page = options.paging?.refusesPageZero ? JOB_RUNS_FIRST_PAGE + 1 : JOB_RUNS_FIRST_PAGE;
  for (let read = 0; read < JOB_RUNS_MAX_PAGES; read += 1, page += 1) {
    let batch: JobRunPage;
    try {
      batch = await options.fetchPage(page);
    } catch (error) {
      if (page === JOB_RUNS_FIRST_PAGE && error instanceof ApiError && error.status === 400) {
        if (options.paging) options.paging.refusesPageZero = true;
        continue;
      }
      throw error;
    }
    // Keyed by ID: a run that moves between pages while we read is counted once.
    for (const run of batch.jobRuns) runs.set(run.id, run);
    const { totalCount } = batch;
    const firstPageOfOneBased = page === JOB_RUNS_FIRST_PAGE && runs.size === 0 && (totalCount ?? 0) > 0;
    if (batch.jobRuns.length === 0 && !firstPageOfOneBased) return [...runs.values()];
    const complete = totalCount === undefined ? batch.jobRuns.length < JOB_RUNS_PAGE_SIZE : runs.size >= totalCount;
    if (complete) return [...runs.values()];
  }
  // A partial list could call a session free while an unread page holds its active run.
  throw new ApiError(`job ${options.jobId} has more runs than ${JOB_RUNS_MAX_PAGES} pages hold; not all could be read`, {
    method: 'GET',
    path: options.path,
    code: 'too-many-pages',
    retryable: false,
  });
}
