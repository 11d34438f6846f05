/**
 * Reads what the plan needs from Intuned: the sessions, which sessions to be deleted are in
 * use, and the results of operations an earlier run left running. The number of list calls
 * does not grow with the number of sessions: one session list, one job list and one run list
 * per job, and the job calls only when something is to be deleted.
 */
import { UNFINISHED_JOB_RUN_STATUSES, type IntunedPort, type Job, type OperationResult, type RemoteAuthSession } from './port.js';
import type { StateDocument } from '../state/types.js';
import { isOwned } from '../state/sessions.js';
import type { InUse } from './types.js';
import { mapLimit } from './pool.js';

export interface Observation {
  remote: RemoteAuthSession[];
  inUse: Map<string, InUse>;
  pendingResults: Map<string, OperationResult | undefined>;
}

export interface ObserveOptions {
  api: IntunedPort;
  state: StateDocument;
  declared: ReadonlySet<string>;
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
  const [inUse, pendingResults] = await Promise.all([
    candidates.size > 0 ? findInUse(options, candidates) : new Map<string, InUse>(),
    fetchPendingResults(options),
  ]);
  return { remote, inUse, pendingResults };
}

/**
 * A session is in use while a JobRun that uses it has not finished. A run records the session
 * it started with (`job_configuration_snapshot.auth_session`), which may differ from the job's
 * current one, so every job with a session is looked at, not only those naming a candidate
 * (a job that uses no session now is not: its runs are assumed to use none either).
 * Single Runs cannot be listed through the API; for those the API's refusal of the delete is
 * the only signal (handled by the applier).
 */
async function findInUse(options: ObserveOptions, candidates: ReadonlySet<string>): Promise<Map<string, InUse>> {
  const jobs = (await options.api.listJobs()).filter((job) => job.auth_session !== null);
  const inUse = new Map<string, InUse>();
  await mapLimit(jobs, options.concurrency, async (job: Job) => {
    const runs = await options.api.listJobRuns(job.id);
    for (const run of runs) {
      if (!UNFINISHED_JOB_RUN_STATUSES.has(run.status)) continue;
      const sessionId = run.job_configuration_snapshot?.auth_session?.id ?? job.auth_session?.id;
      if (sessionId && candidates.has(sessionId) && !inUse.has(sessionId)) {
        inUse.set(sessionId, { jobId: job.id, runId: run.id, runStatus: run.status });
      }
    }
  });
  return inUse;
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
