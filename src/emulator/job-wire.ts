/**
 * Jobs and runs as each endpoint shapes them. The API is inconsistent and the SDK strict, so
 * each shape is its own function: the list says `workspace_id`, `project_id`, `reason`,
 * `schedule_id` and a proxy object; get-one says `projectId` and a proxy string (absent when
 * unset: null fails there); runs carry a snapshot with a proxy object and no payload.
 */
import { JOB_PROXY_VERSION } from './api-facts.js';
import { isUnfinished, nextRunAt } from './job-model.js';
import type { JobRecord, JobRunRecord, RunSnapshot } from './job-model.js';
import type { JobDefinition } from './job-schema.js';
import type { ProjectState } from './store.js';

/** What `maskJobSecrets` answers in place of each secret (a real API may mask them). */
export const MASKED_SECRET = '********';

export interface WireSettings {
  now: number;
  maskSecrets: boolean;
}

export function jobListItem(project: ProjectState, job: JobRecord, settings: WireSettings): Record<string, unknown> {
  const definition = shown(job.definition, settings);
  return {
    id: job.id,
    workspace_id: project.workspaceId,
    project_id: project.projectId,
    ...definitionFields(definition),
    proxy: proxyObject(definition.proxy),
    state: job.state,
    reason: job.pausedAt === null ? null : { type: 'paused', message: 'Paused', timestamp: iso(job.pausedAt) },
    schedule_id: definition.schedule ? `${project.projectId}-${job.id}` : null,
    ...times(job, settings.now),
  };
}

export function jobDetail(project: ProjectState, job: JobRecord, settings: WireSettings): Record<string, unknown> {
  const definition = shown(job.definition, settings);
  return {
    id: job.id,
    projectId: project.projectId,
    ...definitionFields(definition),
    ...(definition.proxy === null ? {} : { proxy: definition.proxy }),
    state: job.state,
    ...times(job, settings.now),
  };
}

export function jobRunWire(project: ProjectState, jobId: string, run: JobRunRecord, settings: WireSettings): Record<string, unknown> {
  const snapshot = shown(run.snapshot, settings);
  const succeeded = run.status === 'COMPLETED' || run.status === 'SUCCESS';
  const failed = run.status === 'FAILURE';
  return {
    id: run.id,
    job_id: jobId,
    workspace_id: project.workspaceId,
    project_id: project.projectId,
    type: run.type,
    status: run.status,
    start_time: iso(run.startTime),
    end_time: run.endTime === null ? null : iso(run.endTime),
    created_at: iso(run.startTime),
    updated_at: iso(run.updatedAt),
    payloads: run.payloads,
    successful_runs: succeeded ? run.payloads : 0,
    failed_runs: failed ? run.payloads : 0,
    error: failed ? { message: 'The job run failed', code: 'internal-server-error', category: 'infrastructure', retirable: false } : null,
    reason: run.status === 'TERMINATED' ? { type: 'user-request', message: 'Terminated by request' } : null,
    job_configuration_snapshot: {
      configuration: snapshot.configuration,
      sink: snapshot.sink,
      auth_session: snapshot.auth_session,
      proxy: proxyObject(snapshot.proxy),
    },
  };
}

/** A finished successful run's output link; the `.invalid` host never resolves. */
export function runResults(jobId: string, run: JobRunRecord): Record<string, unknown> | undefined {
  if (isUnfinished(run) || !(run.status === 'COMPLETED' || run.status === 'SUCCESS')) return undefined;
  const key = `${jobId}/${run.id}.json`;
  return { signed_url: `https://results.emulator.invalid/${key}`, format: 'json', key };
}

function definitionFields(definition: JobDefinition): Record<string, unknown> {
  return {
    configuration: definition.configuration,
    payload: definition.payload,
    sink: definition.sink,
    schedule: definition.schedule,
    auth_session: definition.auth_session,
  };
}

function times(job: JobRecord, now: number): Record<string, string | null> {
  const next = nextRunAt(job, now);
  const last = job.runs.at(-1);
  return {
    next_run_time: next === null ? null : iso(next),
    last_run_time: last ? iso(last.startTime) : null,
    created_at: iso(job.createdAt),
  };
}

function proxyObject(proxy: string | null): { version: string; url: string } | null {
  return proxy === null ? null : { version: JOB_PROXY_VERSION, url: proxy };
}

/** A copy to answer with: the stored secrets, or the mask in their place. */
function shown<T extends RunSnapshot>(definition: T, settings: WireSettings): T {
  const copy = structuredClone(definition);
  if (!settings.maskSecrets) return copy;
  if (copy.proxy !== null) copy.proxy = MASKED_SECRET;
  const sink = copy.sink;
  if (sink?.type === 'webhook' && sink.headers) {
    for (const name of Object.keys(sink.headers)) sink.headers[name] = MASKED_SECRET;
  }
  if (sink?.type === 's3') {
    sink.accessKeyId = MASKED_SECRET;
    sink.secretAccessKey = MASKED_SECRET;
  }
  return copy;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
