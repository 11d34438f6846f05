/**
 * The Intuned API as the HTTP client (`client.ts`) offers it. The data it carries is the
 * engine's (engine/port.ts), re-exported here; `port.ts` here adapts this interface to the
 * engine's port.
 */
import type {
  AuthSessionBody,
  Job,
  JobBody,
  JobRun,
  OperationResult,
  RemoteAuthSession,
  ResumeBody,
} from '../engine/port.js';

export type {
  AuthSessionBody,
  AuthSessionStatus,
  AuthSessionType,
  Job,
  JobBody,
  JobDefinition,
  JobRun,
  JobRunStatus,
  JobState,
  OperationError,
  OperationResult,
  RemoteAuthSession,
  ResumeBody,
} from '../engine/port.js';

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

export type OperationKind = 'create' | 'update' | 'validate';

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
  /** Every job, each with its `definition` as Intuned holds it, unmasked (see `job-wire.ts`). */
  listJobs(): Promise<Job[]>;
  /**
   * Jobs are written at once: these resolve on any 2xx with an empty or JSON body. An answer
   * that may have acted without confirming it (a 2xx that cannot be read, a repeat of a create
   * refused because the ID exists, retries given up after an attempt that may have landed)
   * throws an `ApiError` whose code is `outcome-unknown`; any other refusal throws the API's.
   */
  createJob(body: JobBody & { id: string }): Promise<void>;
  updateJob(id: string, body: JobBody): Promise<void>;
  /** `gone` on 404 (also after a retried delete that landed). A refusal throws (409: in use). */
  deleteJob(id: string): Promise<'deleted' | 'gone'>;
  /** All pages. */
  listJobRuns(jobId: string): Promise<JobRun[]>;
}
