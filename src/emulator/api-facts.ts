/**
 * The Intuned API's facts as the emulator serves them, written from the API notes
 * (/work/shared/intuned-api.md, intuned-jobs-api.md), not taken from the client: a double that
 * borrowed the client's constants could not catch a mistake in them.
 */

/** AuthSession `type` values the API reports. */
export type AuthSessionType = 'CREDENTIALS' | 'RECORDER' | 'RUNTIME';

/** AuthSession `status` values the API reports. */
export type AuthSessionStatus = 'PENDING' | 'READY' | 'EXPIRED';

/** Create body `id`: min length 3, pattern `^[a-zA-Z0-9-(),_]+$`. */
export const SESSION_ID_MIN_LENGTH = 3;
export const SESSION_ID_PATTERN = /^[a-zA-Z0-9-(),_]+$/;

/** Fields of a create body (an update body is the same without `id`). */
export interface SessionFields {
  id?: string;
  parameters: Record<string, unknown>;
  proxy?: string | null;
  createAttempts?: number;
  checkAttempts?: number;
  saveTrace?: boolean;
}

/** The resume body of the older API generation (a one-time code). */
export interface ResumeFields {
  input: string;
  infoRequestId: string;
}

/** Every JobRun `status`. */
export type JobRunStatus =
  | 'CANCELED'
  | 'PENDING'
  | 'PAUSED'
  | 'PAUSING'
  | 'RESUMING'
  | 'SUCCESS'
  | 'FAILURE'
  | 'TERMINATED'
  | 'COMPLETED';

/** JobRun statuses that are not finished: a run in one of them has no `end_time` yet. */
export const RUNNING_JOB_RUN_STATUSES: ReadonlySet<string> = new Set<JobRunStatus>([
  'PENDING',
  'PAUSED',
  'PAUSING',
  'RESUMING',
]);

/** Job `state` values. */
export type JobState = 'ACTIVE' | 'PAUSED';

/** How a JobRun was started: by `trigger`, or by the job's schedule. */
export type JobRunType = 'MANUAL' | 'SCHEDULED';

/**
 * Create body `id`: the public reference's pattern. Its minimum length of 7 is not enforced:
 * it is unconfirmed, and Intuned's cookbook defines jobs named `list` and `map`.
 */
export const JOB_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** Defaults the SDK fills in before sending a create or update body. */
export const JOB_DEFAULTS = {
  requestTimeoutSeconds: 600,
  maximumAttempts: 3,
  sessionAttempts: 3,
  skipOnFail: false,
} as const;

/** Exact success messages (the SDK compares them as written). */
export const JOB_MESSAGES = {
  created: 'created',
  updated: 'updated job successfully',
  paused: 'Paused',
  resumed: 'Resumed',
} as const;

/** The only proxy `version` in list items and run snapshots. */
export const JOB_PROXY_VERSION = 'v1';

/** JobRun `reason.type` values. */
export type JobRunReasonType =
  | 'terminated'
  | 'user-request'
  | 'auth-session-not-found'
  | 'auth-session-invalid-mid-job'
  | 'auth-session-validate-dependency-failed'
  | 'auth-session-locked'
  | 'another-job-run-active'
  | 'insufficient-resource-credits'
  | 's3-sink-error';
