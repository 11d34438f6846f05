/**
 * Reads what the plan needs from Intuned: the sessions, the jobs (when the project has any),
 * which sessions and jobs to be deleted are in use, and the results of operations an earlier
 * run left running. The number of list calls does not grow with the number of sessions: one
 * session list, one job list and one run list per job looked at.
 */
import { UNFINISHED_JOB_RUN_STATUSES, type IntunedPort, type Job, type OperationResult, type RemoteAuthSession } from './port.js';
import type { StateDocument } from '../state/types.js';
import { isOwned, sessionOf } from '../state/sessions.js';
import { ownsJob } from './job-plan.js';
import type { InUse } from './types.js';
import { mapLimit } from './pool.js';

export interface Observation {
  remote: RemoteAuthSession[];
  inUse: Map<string, InUse>;
  pendingResults: Map<string, OperationResult | undefined>;
  /** Read when the project has job files or the state records jobs. */
  jobFacts?: JobObservation;
}

export interface JobObservation {
  remote: Job[];
  /** Jobs whose file is gone that have an unfinished run, by job ID. */
  inUse: Map<string, InUse>;
}

export interface ObserveOptions {
  api: IntunedPort;
  state: StateDocument;
  declared: ReadonlySet<string>;
  /** Job IDs the files declare; undefined when jobs are not in play (no job file, no job record). */
  declaredJobs?: ReadonlySet<string>;
  concurrency: number;
}

export async function observe(options: ObserveOptions): Promise<Observation> {
  const remote = await options.api.listAuthSessions();
  const present = new Set(remote.map((session) => session.id));
  const candidates = new Set(
    Object.entries(options.state.sessions)
      .filter(([id, record]) => isOwned(record) && !options.declared.has(id) && present.has(id))
      .map(([id]) => id),
  );
  const needJobs = options.declaredJobs !== undefined || candidates.size > 0;
  const [runs, pendingResults] = await Promise.all([
    needJobs ? readJobs(options, candidates) : undefined,
    fetchPendingResults(options),
  ]);
  return {
    remote,
    inUse: runs?.sessionsInUse ?? new Map<string, InUse>(),
    pendingResults,
    ...(runs && options.declaredJobs !== undefined ? { jobFacts: { remote: runs.jobs, inUse: runs.jobsInUse } } : {}),
  };
}

interface JobReading {
  jobs: Job[];
  sessionsInUse: Map<string, InUse>;
  jobsInUse: Map<string, InUse>;
}

/**
 * One job list, and the runs of the jobs that matter: a session is in use while a JobRun that
 * uses it has not finished, and a job whose file is gone is not deleted while it has one. A
 * run records the session it started with (`job_configuration_snapshot.auth_session`), which
 * may differ from the job's current one, so for sessions every job with a session is looked
 * at, not only those naming a candidate (a job that uses no session now is assumed to have
 * runs that use none either). Single Runs cannot be listed through the API; for those the
 * API's refusal of the delete is the only signal (handled by the applier).
 */
async function readJobs(options: ObserveOptions, sessionCandidates: ReadonlySet<string>): Promise<JobReading> {
  const jobs = await options.api.listJobs();
  const present = new Set(jobs.map((job) => job.id));
  const jobCandidates = new Set(
    Object.entries(options.state.jobs ?? {})
      .filter(([id, record]) => ownsJob(record) && !options.declaredJobs?.has(id) && present.has(id))
      .map(([id]) => id),
  );
  const watched = jobs.filter((job) => jobCandidates.has(job.id) || (sessionCandidates.size > 0 && job.auth_session !== null));
  const sessionsInUse = new Map<string, InUse>();
  const jobsInUse = new Map<string, InUse>();
  await mapLimit(watched, options.concurrency, async (job: Job) => {
    const runs = await options.api.listJobRuns(job.id);
    for (const run of runs) {
      if (!UNFINISHED_JOB_RUN_STATUSES.has(run.status)) continue;
      const facts = { jobId: job.id, runId: run.id, runStatus: run.status };
      if (jobCandidates.has(job.id) && !jobsInUse.has(job.id)) jobsInUse.set(job.id, facts);
      const sessionId = run.job_configuration_snapshot?.auth_session?.id ?? job.auth_session?.id;
      if (sessionId && sessionCandidates.has(sessionId) && !sessionsInUse.has(sessionId)) sessionsInUse.set(sessionId, facts);
    }
  });
  // A job the tool does not manage that names the session is left pointing at nothing once the
  // session goes: the delete (not in use, by the SPEC's rule) says which job. (A managed job that
  // names it is a plan error, or moves off it first.)
  for (const job of jobs) {
    const sessionId = job.auth_session?.id;
    if (!sessionId || !sessionCandidates.has(sessionId) || sessionsInUse.has(sessionId)) continue;
    const managed = options.declaredJobs?.has(job.id) || ownsJob(sessionOf(options.state.jobs ?? {}, job.id));
    if (!managed) sessionsInUse.set(sessionId, { jobId: job.id, named: true });
  }
  return { jobs, sessionsInUse, jobsInUse };
}

async function fetchPendingResults(options: ObserveOptions): Promise<Map<string, OperationResult | undefined>> {
  const started = Object.entries(options.state.sessions).filter(
    ([, session]) => session.operation?.status === 'started' && session.operation.operationId && session.operation.kind !== 'delete',
  );
  const results = new Map<string, OperationResult | undefined>();
  await mapLimit(started, options.concurrency, async ([id, session]) => {
    const operation = session.operation!;
    const result =
      operation.kind === 'create'
        ? await options.api.getCreateResult(operation.operationId!)
        : await options.api.getUpdateResult(id, operation.operationId!);
    // Gone, or no longer readable: the outcome is unknown, which the plan answers by adopting the
    // session; failing here would fail every later run.
    results.set(id, result.status === 'unknown' ? undefined : result);
  });
  return results;
}
