/**
 * Jobs and their runs as the emulator holds them, and how a run moves through time. Like the
 * operations, a run's end is a timestamp fixed when it starts, applied by `settleRuns` before
 * each request reads the state: no timers, and the fake clock steps runs along.
 */
import { randomUUID } from 'node:crypto';
import { RUNNING_JOB_RUN_STATUSES } from './api-facts.js';
import type { JobRunStatus, JobRunType, JobState } from './api-facts.js';
import type { JobDefinition } from './job-schema.js';

/** How a triggered run ends on its own; `hang` never ends (for timeout and in-use tests). */
export type JobRunOutcome = 'COMPLETED' | 'FAILURE' | 'hang';

/** The end a run is heading for: at a time while it runs, with the time left while paused. */
export type RunEnding =
  | { status: 'COMPLETED' | 'FAILURE'; at: number }
  | { status: 'COMPLETED' | 'FAILURE'; remainingMs: number };

/** What a run keeps of its job when it starts (the API's snapshot has no payload or schedule). */
export type RunSnapshot = Pick<JobDefinition, 'configuration' | 'sink' | 'auth_session' | 'proxy'>;

export interface JobRunRecord {
  id: string;
  type: JobRunType;
  status: JobRunStatus;
  startTime: number;
  endTime: number | null;
  updatedAt: number;
  /** Payload items at the start: the run's `payloads` count. */
  payloads: number;
  snapshot: RunSnapshot;
  /** Absent for seeded runs and hangs: they change only by `setJobRunStatus` or terminate. */
  ending?: RunEnding;
}

export interface JobRecord {
  id: string;
  state: JobState;
  definition: JobDefinition;
  createdAt: number;
  /** When the job was paused, for the list's `reason`; null while ACTIVE. */
  pausedAt: number | null;
  /** Oldest first. */
  runs: JobRunRecord[];
}

/** A seeded job without a definition runs one API with no parameters and no options. */
export const DEFAULT_SEED_DEFINITION = { payload: [{ apiName: 'default', parameters: {} }], configuration: {} };

export function isUnfinished(run: JobRunRecord): boolean {
  return RUNNING_JOB_RUN_STATUSES.has(run.status);
}

export function newJob(id: string, definition: JobDefinition, now: number): JobRecord {
  return { id, state: 'ACTIVE', definition, createdAt: now, pausedAt: null, runs: [] };
}

export interface RunStart {
  now: number;
  type: JobRunType;
  status?: JobRunStatus;
  id?: string;
  ending?: RunEnding;
}

export function startRun(job: JobRecord, start: RunStart): JobRunRecord {
  const { configuration, sink, auth_session, proxy } = structuredClone(job.definition);
  const status = start.status ?? 'PENDING';
  const run: JobRunRecord = {
    id: start.id ?? randomUUID(),
    type: start.type,
    status,
    startTime: start.now,
    endTime: RUNNING_JOB_RUN_STATUSES.has(status) ? null : start.now,
    updatedAt: start.now,
    payloads: job.definition.payload.length,
    snapshot: { configuration, sink, auth_session, proxy },
  };
  if (start.ending) run.ending = start.ending;
  job.runs.push(run);
  return run;
}

/** Ends every run whose time has come, at the time it was due (not when somebody looked). */
export function settleRuns(jobs: Iterable<JobRecord>, now: number): void {
  for (const job of jobs) {
    for (const run of job.runs) {
      const ending = run.ending;
      if (!ending || !('at' in ending) || ending.at > now || !isUnfinished(run)) continue;
      finish(run, ending.status, ending.at);
    }
  }
}

export function finish(run: JobRunRecord, status: JobRunStatus, at: number): void {
  run.status = status;
  run.endTime = RUNNING_JOB_RUN_STATUSES.has(status) ? null : at;
  run.updatedAt = at;
  delete run.ending;
}

/** Pausing a job stops its schedule and its running runs, which keep the time they still need. */
export function pauseJob(job: JobRecord, now: number): void {
  if (job.state !== 'PAUSED') job.pausedAt = now;
  job.state = 'PAUSED';
  for (const run of job.runs) {
    if (run.status !== 'PENDING') continue;
    run.status = 'PAUSED';
    run.updatedAt = now;
    if (run.ending && 'at' in run.ending) run.ending = { status: run.ending.status, remainingMs: Math.max(0, run.ending.at - now) };
  }
}

/** Resuming restarts the schedule and the paused runs, each for the time it had left. */
export function resumeJob(job: JobRecord, now: number): void {
  job.state = 'ACTIVE';
  job.pausedAt = null;
  for (const run of job.runs) {
    if (run.status !== 'PAUSED') continue;
    run.status = 'PENDING';
    run.updatedAt = now;
    if (run.ending && 'remainingMs' in run.ending) run.ending = { status: run.ending.status, at: now + run.ending.remainingMs };
  }
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The next time an interval fires, counted from the Unix epoch (a number is ms, a string
 * ms-style, as Temporal reads them). Calendars are not emulated: a schedule with only
 * calendars has no computed next run.
 */
export function nextRunAt(job: JobRecord, now: number): number | null {
  if (job.state === 'PAUSED') return null;
  const periods = (job.definition.schedule?.intervals ?? []).map(({ every }) => durationMs(every)).filter((ms) => ms > 0);
  if (periods.length === 0) return null;
  return Math.min(...periods.map((ms) => (Math.floor(now / ms) + 1) * ms));
}

function durationMs(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  return match ? Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? 'ms'] ?? 1) : 0;
}
