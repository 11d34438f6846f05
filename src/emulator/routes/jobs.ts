/**
 * Jobs: list, get, create, update, delete, pause, resume and trigger. Every error is the typed
 * body `{code, category: "user", message, retirable, correlationId, details?}`, except the
 * create conflict (409), which the SDK reads as a generic error holding the raw body.
 */
import { JOB_MESSAGES } from '../api-facts.js';
import { apiError, json, noContent } from '../http.js';
import type { Reply } from '../http.js';
import { newJob, pauseJob as pause, resumeJob as resume, startRun } from '../job-model.js';
import type { JobRecord } from '../job-model.js';
import { checkJobCreate, checkJobUpdate } from '../job-schema.js';
import type { BodyIssue, JobDefinition } from '../job-schema.js';
import { jobDetail, jobListItem } from '../job-wire.js';
import type { WireSettings } from '../job-wire.js';
import { param } from './context.js';
import type { RouteContext } from './context.js';

export function listJobs(context: RouteContext): Reply {
  const settings = wireSettings(context);
  return json(200, [...context.project.jobs.values()].map((job) => jobListItem(context.project, job, settings)));
}

export function getJob(context: RouteContext): Reply {
  return withJob(context, (job) => json(200, jobDetail(context.project, job, wireSettings(context))));
}

export function createJob(context: RouteContext): Reply {
  const checked = checkJobCreate(context.body);
  if (!checked.ok) return invalidJobBody(checked.issues);
  const { id, definition } = checked.value;
  if (context.project.jobs.has(id)) return apiError(409, 'conflict', `Job ${id} already exists`);
  const refused = unknownSession(context, definition);
  if (refused) return refused;
  context.project.jobs.set(id, newJob(id, definition, context.now));
  return json(201, { id, message: JOB_MESSAGES.created });
}

/**
 * PUT replaces the whole definition: an optional field left out is cleared like a `null`
 * (whether the real API keeps it instead is unconfirmed; clients send every field).
 */
export function updateJob(context: RouteContext): Reply {
  return withJob(context, (job) => {
    const checked = checkJobUpdate(context.body);
    if (!checked.ok) return invalidJobBody(checked.issues);
    const refused = unknownSession(context, checked.value);
    if (refused) return refused;
    job.definition = checked.value;
    return json(200, { id: job.id, message: JOB_MESSAGES.updated });
  });
}

/**
 * A job with an unfinished run is deleted with its runs, so its session is no longer in use.
 * The real API's answer is unconfirmed: it may refuse, or stop the runs first.
 */
export function deleteJob(context: RouteContext): Reply {
  return withJob(context, (job) => {
    context.project.jobs.delete(job.id);
    return noContent();
  });
}

/** Pausing a paused job (or resuming an active one) is accepted and changes nothing (unconfirmed). */
export function pauseJob(context: RouteContext): Reply {
  return withJob(context, (job) => {
    pause(job, context.now);
    return json(200, { message: JOB_MESSAGES.paused });
  });
}

export function resumeJob(context: RouteContext): Reply {
  return withJob(context, (job) => {
    resume(job, context.now);
    return json(200, { message: JOB_MESSAGES.resumed });
  });
}

/** A paused job refuses a trigger; the status (400) is unconfirmed but the likeliest. */
export function triggerJob(context: RouteContext): Reply {
  return withJob(context, (job) => {
    if (job.state === 'PAUSED') return apiError(400, 'bad-request', `Job ${job.id} is paused: resume it to trigger a run`);
    const { project, config, now } = context;
    const outcome = config.jobRunOutcome({ workspaceId: project.workspaceId, project: project.project, jobId: job.id });
    const ending = outcome === 'hang' ? {} : { ending: { status: outcome, at: now + config.jobRunDurationMs } };
    const run = startRun(job, { now, type: 'MANUAL', ...ending });
    return json(200, { jobRunId: run.id, message: 'Job run started' });
  });
}

export function withJob(context: RouteContext, handle: (job: JobRecord) => Reply): Reply {
  const id = param(context, 'jobId');
  const job = context.project.jobs.get(id);
  return job ? handle(job) : apiError(404, 'not-found', `Job ${id} not found`);
}

export function wireSettings(context: RouteContext): WireSettings {
  return { now: context.now, maskSecrets: context.config.maskJobSecrets };
}

/** Each refused field named by its path; the message never quotes a value. */
function invalidJobBody(issues: BodyIssue[]): Reply {
  const message = `Invalid request body: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`;
  return apiError(400, 'bad-request', message, { details: issues });
}

/** A job may only name a session of its own project: sessions must exist before their jobs. */
function unknownSession(context: RouteContext, definition: JobDefinition): Reply | undefined {
  const sessionId = definition.auth_session?.id;
  if (sessionId === undefined || context.project.sessions.has(sessionId)) return undefined;
  return invalidJobBody([{ path: 'auth_session.id', message: `Auth session ${sessionId} not found in this project` }]);
}
