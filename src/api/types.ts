/**
 * The Intuned API as the engine sees it: the narrow interface of the HTTP adapter
 * (`client.ts`). The engine and its tests depend on this, never on undici.
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

export interface ValidateBody {
  autoRecreate?: boolean;
  checkAttempts?: number;
  createAttempts?: number;
  proxy?: string | null;
  requestTimeout?: number;
}

export interface StartedOperation {
  operationId: string;
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

export type OperationKind = 'create' | 'update' | 'validate';

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
}

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

/** JobRun statuses that mean "still running" are the engine's to define (engine/port.ts). */
export { UNFINISHED_JOB_RUN_STATUSES } from '../engine/port.js';

/**
 * Every call the product makes. Errors are thrown as `ApiError` (src/errors.ts) after the
 * client's retries are spent.
 */
export interface IntunedApi {
  listAuthSessions(): Promise<RemoteAuthSession[]>;
  /** undefined on 404. */
  getAuthSession(id: string): Promise<RemoteAuthSession | undefined>;
  /** Resolves on 204 (and on 404: already gone). A session in use answers 409 or 400: ApiError. */
  deleteAuthSession(id: string): Promise<void>;
  startCreate(body: AuthSessionBody & { id: string }): Promise<StartedOperation>;
  getCreateResult(operationId: string): Promise<OperationResult>;
  startUpdate(id: string, body: Omit<AuthSessionBody, 'id'>): Promise<StartedOperation>;
  getUpdateResult(id: string, operationId: string): Promise<OperationResult>;
  startValidate(id: string, body: ValidateBody): Promise<StartedOperation>;
  getValidateResult(id: string, operationId: string): Promise<OperationResult>;
  /** Older API generation: answer a `requested_more_info` result. */
  resume(kind: 'create' | 'update', operationId: string, body: ResumeBody, id?: string): Promise<void>;
  listJobs(): Promise<Job[]>;
  /** All pages. */
  listJobRuns(jobId: string): Promise<JobRun[]>;
}
