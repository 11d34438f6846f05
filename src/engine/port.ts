/**
 * The Intuned API as the engine needs it, answering in the domain's words rather than HTTP's: a
 * delete was made, found the session gone, or was refused because the session is in use; a
 * start began an operation, was refused, was cut off by the run's deadline, or has an outcome
 * nobody knows; an operation's result can be unknown. `src/api/port.ts` adapts the HTTP client
 * to this; a second provider (or a test) implements the same interface.
 */

export type AuthSessionType = 'CREDENTIALS' | 'RECORDER' | 'RUNTIME';
export type AuthSessionStatus = 'PENDING' | 'READY' | 'EXPIRED';

export interface RemoteAuthSession {
  id: string;
  /** Known values above; an unknown string from a newer API is kept as is. */
  type: AuthSessionType | (string & {});
  status: AuthSessionStatus | (string & {});
}

/** Body of create-start (update-start is the same without `id`). */
export interface AuthSessionBody {
  id?: string;
  parameters: Record<string, unknown>;
  proxy?: string | null;
  createAttempts?: number;
  checkAttempts?: number;
  saveTrace?: boolean;
}

/** Normalised failure detail; both API generations map onto it. */
export interface OperationError {
  message: string;
  code?: string;
  category?: string;
  retryable?: boolean;
  correlationId?: string;
  docUrl?: string;
}

/** The result union of create, update and validate, both API generations normalised. */
export type OperationResult =
  | { status: 'pending' }
  | { status: 'in_progress'; runId?: string }
  | { status: 'done'; authSessionId?: string }
  | { status: 'failed'; message: string; error: OperationError }
  | { status: 'canceled'; message: string; reason: { type: string; message: string; docUrl?: string } }
  | {
      status: 'requested_more_info';
      /** The info request to answer (`infoRequestId` of resume). */
      infoRequestId: string;
      requestType: 'otp' | 'multiple_choice' | (string & {});
      messageToUser: string;
      choices?: string[];
    };

export interface ResumeBody {
  input: string;
  infoRequestId: string;
}

export type JobState = 'ACTIVE' | 'PAUSED';

export interface Job {
  id: string;
  state?: JobState | (string & {});
  /** snake_case on the wire; null when the job uses no session. */
  auth_session: { id: string; checkAttempts?: number; createAttempts?: number } | null;
  /**
   * What Intuned holds, in a job file's shape: keys as on the write body (`auth_session`
   * snake_case, nested keys camelCase), `proxy` a URL string whatever shape the list gave.
   * A field the answer left out is absent; one it gave as null is null.
   */
  definition?: JobDefinition;
  /** The list's `reason` for a paused or terminated job, when it gives one. */
  stateReason?: { type: string; message: string };
}

/** A job's definition as read back: the fields a job file holds. Values are Intuned's, unchecked. */
export interface JobDefinition {
  payload?: unknown[];
  configuration?: Record<string, unknown>;
  schedule?: Record<string, unknown> | null;
  sink?: Record<string, unknown> | null;
  proxy?: string | null;
  auth_session?: Record<string, unknown> | null;
}

/** The create-job body without `id`, and the update body (every field, `null` to clear). */
export type JobBody = Record<string, unknown>;

/**
 * How a job create or update ended. Jobs are written at once (no operation to poll):
 * - `done`: Intuned accepted it (201 or 200);
 * - `refused`: the API answered and turned it down: nothing changed (a create of an ID that
 *   exists is refused, so the tool does not own that job);
 * - `timed-out`: the run's deadline came before it was sent: nothing changed;
 * - `no-answer` / `outcome-unknown`: it may have been carried out; nobody knows.
 */
export type WriteAnswer =
  | { outcome: 'done' }
  | ({ outcome: 'refused' | 'timed-out' | 'no-answer' | 'outcome-unknown' } & Failure);

export type JobRunStatus =
  | 'PENDING'
  | 'PAUSED'
  | 'PAUSING'
  | 'RESUMING'
  | 'SUCCESS'
  | 'FAILURE'
  | 'COMPLETED'
  | 'CANCELED'
  | 'TERMINATED';

export interface JobRun {
  id: string;
  status: JobRunStatus | (string & {});
  start_time?: string | null;
  end_time?: string | null;
  job_configuration_snapshot?: { auth_session?: { id: string } | null } | null;
}


/** What the API said about a call that did not do what was asked: a person reads `message`. */
export interface Failure {
  message: string;
  code?: string;
}

export type DeleteAnswer =
  | { outcome: 'deleted' }
  /** Nothing was there to delete (a provider that can tell this from `deleted`). */
  | { outcome: 'gone' }
  /** Refused because a Run or JobRun uses the session: nothing was deleted. */
  | ({ outcome: 'in-use' } & Failure);

/**
 * How a create or update start ended:
 * - `started`: an operation runs, to be polled by its ID;
 * - `refused`: the API answered and turned it down: nothing started;
 * - `timed-out`: the run's deadline came before it was carried out: nothing started;
 * - `no-answer`: it may have reached the API and nothing came back: nothing is known;
 * - `outcome-unknown`: the API answered, but whether an operation started cannot be told.
 */
export type StartAnswer =
  | { outcome: 'started'; operationId: string }
  | ({ outcome: 'refused' | 'timed-out' | 'no-answer' | 'outcome-unknown' } & Failure);

/** An operation's result that can no longer be read (gone, or unreadable): its outcome is unknown. */
export type UnknownResult = { status: 'unknown' } & Failure;

export type ResultAnswer = OperationResult | UnknownResult;

/** Every call the engine makes. Anything else that goes wrong is thrown. */
export interface IntunedPort {
  listAuthSessions(): Promise<RemoteAuthSession[]>;
  /** undefined when there is no such session. */
  getAuthSession(id: string): Promise<RemoteAuthSession | undefined>;
  deleteAuthSession(id: string): Promise<DeleteAnswer>;
  startCreate(body: AuthSessionBody & { id: string }): Promise<StartAnswer>;
  getCreateResult(operationId: string): Promise<ResultAnswer>;
  startUpdate(id: string, body: Omit<AuthSessionBody, 'id'>): Promise<StartAnswer>;
  getUpdateResult(id: string, operationId: string): Promise<ResultAnswer>;
  /** Answers a `requested_more_info` result (one-time code). */
  resume(kind: 'create' | 'update', operationId: string, body: ResumeBody, id?: string): Promise<void>;
  /** Every job, each with its definition. */
  listJobs(): Promise<Job[]>;
  createJob(body: JobBody & { id: string }): Promise<WriteAnswer>;
  updateJob(id: string, body: JobBody): Promise<WriteAnswer>;
  /** `gone` on 404; a refusal because a run is unfinished is `in-use`. */
  deleteJob(id: string): Promise<DeleteAnswer>;
  /** Every run of the job, all pages read. */
  listJobRuns(jobId: string): Promise<JobRun[]>;
}

/** JobRun statuses that mean "still running": the session it uses is in use. */
export const UNFINISHED_JOB_RUN_STATUSES: ReadonlySet<string> = new Set([
  'PENDING',
  'PAUSED',
  'PAUSING',
  'RESUMING',
]);

/** Thrown while polling an operation whose result can no longer be read; the state keeps it started. */
export class ResultUnknownError extends Error {
  override readonly name = 'ResultUnknownError';
  readonly code: string | undefined;
  constructor(failure: Failure) {
    super(failure.message);
    this.code = failure.code;
  }
}
