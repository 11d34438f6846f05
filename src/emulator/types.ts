/**
 * The contract of the Intuned API emulator (src/emulator/), used by the CLI's `emulator`
 * command, the demo, tests and benchmarks. Everything it serves lives under
 * `<url>/{workspaceId}/projects/{projectName}/...`, with `url` ending in `/api/v1/workspace`
 * like the real base URL.
 */
import type { AuthSessionType, AuthSessionStatus, JobRunStatus, JobRunType } from './api-facts.js';
import type { JobRunOutcome } from './job-model.js';
import type { JobBodyInput } from './job-schema.js';

export type { JobRunOutcome } from './job-model.js';

/** What an operation ends as, decided by `EmulatorOptions.outcome`. */
export type EmulatedOutcome =
  | { status: 'done' }
  | { status: 'failed'; code: string; message: string; category?: string }
  | { status: 'canceled'; reasonType: string; message: string }
  /** Older API generation only: ask for a one-time code; resuming with `expectedInput` ends done. */
  | { status: 'requested_more_info'; expectedInput: string; messageToUser: string }
  /** Stays `in_progress` for ever (for timeout tests). */
  | { status: 'hang' };

export interface OutcomeRequest {
  kind: 'create' | 'update' | 'validate';
  workspaceId: string;
  project: string;
  authSessionId: string;
  body: Record<string, unknown>;
  /**
   * The parameters the session held before this operation (a validate body carries none, so
   * `defaultOutcome` decides a validate from these).
   */
  sessionParameters?: Record<string, unknown>;
}

export interface FaultOptions {
  /** Added to every response, ms. */
  latencyMs?: number;
  /** Share (0..1) of requests answered 500/502/503 at random. */
  serverErrorRate?: number;
  /** Share (0..1) of requests answered 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitRate?: number;
  retryAfterSeconds?: number;
  /** Answer 429 once more than this many requests arrived within one second (a real limiter). */
  requestsPerSecond?: number;
  /** Share (0..1) of requests whose socket is destroyed without a response. */
  dropRate?: number;
  /** Only apply the faults to requests whose `METHOD path-after-project` matches. */
  match?: RegExp;
}

export interface EmulatorOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The accepted `x-api-key`; any non-empty key when undefined. */
  apiKey?: string;
  /** Time an operation spends pending + in_progress before its outcome, ms (default 300). */
  operationDurationMs?: number;
  /** Operations running at once per project; more wait `pending` (default 10). */
  maxConcurrentOperations?: number;
  /** Serve the older API generation (update with id in body, resume endpoints, string errors). */
  legacyApi?: boolean;
  /** Status for deleting a session in use (default 409). */
  inUseDeleteStatus?: 409 | 400;
  /** Decides each operation's end. Default: see `defaultOutcome`. */
  outcome?: (request: OutcomeRequest) => EmulatedOutcome;
  faults?: FaultOptions;
  /** Deterministic randomness for faults (default Math.random). */
  random?: () => number;
  /**
   * Keep every request in `requests` (default true). Benchmarks and the long-running CLI
   * command turn it off so memory stays flat; `requestCount()` still counts.
   */
  logRequests?: boolean;
  /** Called once per answered request (faults included), e.g. to print an access log. */
  onRequest?: (event: RequestEvent) => void;
  /** Clock in ms (default Date.now); tests pass a fake one to step operations through time. */
  now?: () => number;
  /** Time a triggered job run stays PENDING before its outcome, ms (default 2000). */
  jobRunDurationMs?: number;
  /** Decides how each triggered job run ends (default: every run COMPLETED). */
  jobRunOutcome?: (request: JobRunOutcomeRequest) => JobRunOutcome;
  /**
   * Answer `"********"` for job secrets (webhook header values, S3 keys, the proxy) in every
   * job and run body, as a real API may (default false: returned as stored).
   */
  maskJobSecrets?: boolean;
}

export interface JobRunOutcomeRequest {
  workspaceId: string;
  project: string;
  jobId: string;
}

/** One answered request, for access logs: never a body or a header. */
export interface RequestEvent {
  method: string;
  /** Path after the base URL, without the query. */
  path: string;
  /** 0 when the socket was dropped on purpose. */
  status: number;
  durationMs: number;
}

export interface SeedSession {
  id: string;
  type?: AuthSessionType;
  status?: AuthSessionStatus;
  workspaceId?: string;
  project?: string;
}

export interface SeedJob {
  id: string;
  /** The definition's `auth_session.id`; absent or null: no session. */
  authSessionId?: string | null;
  /** Default ACTIVE. */
  state?: 'ACTIVE' | 'PAUSED';
  /** Oldest first. They keep their status until `setJobRunStatus` (type default MANUAL). */
  runs?: { id?: string; status: JobRunStatus; type?: JobRunType }[];
  /**
   * A create body's fields (defaults are filled as the SDK would); default one payload item
   * `{apiName: "default", parameters: {}}` and an empty configuration. Checked like a create.
   */
  definition?: SeedJobDefinition;
  workspaceId?: string;
  project?: string;
}

/** A create body without `id` and `auth_session` (that is `SeedJob.authSessionId`). */
export type SeedJobDefinition = Omit<JobBodyInput, 'auth_session'>;

export interface RequestLogEntry {
  method: string;
  /** Path after the base URL, with query. */
  path: string;
  status: number;
  /** Parsed JSON body of the request, if any. */
  body?: unknown;
  at: number;
}

/** A session as the emulator holds it (parameters included: this is a test double). */
export interface EmulatedSession {
  id: string;
  type: string;
  status: string;
  parameters: Record<string, unknown>;
  workspaceId: string;
  project: string;
  proxy?: string | null;
  createAttempts?: number;
  checkAttempts?: number;
  saveTrace?: boolean;
}

export interface EmulatedOperation {
  operationId: string;
  kind: 'create' | 'update' | 'validate';
  authSessionId: string;
  /** pending, in_progress, requested_more_info, done, failed or canceled. */
  status: string;
  workspaceId: string;
  project: string;
}

export interface EmulatorHandle {
  /** Base URL, e.g. `http://127.0.0.1:41234/api/v1/workspace`. */
  url: string;
  port: number;
  /** Every request answered (faults included), in order. */
  requests: RequestLogEntry[];
  /** Sessions of one project (default workspace/project: every project). */
  sessions(filter?: { workspaceId?: string; project?: string }): EmulatedSession[];
  /**
   * A seed without workspaceId/project is copied into every project, those already served and
   * those served later (each project then changes its own copy). Seeding an existing ID replaces it.
   */
  seedSession(session: SeedSession): void;
  /**
   * Same scoping as `seedSession`. Runs without an id get a generated one. Throws for a
   * definition a create would refuse.
   */
  seedJob(job: SeedJob): void;
  /** Set a job run's status (e.g. finish it so the session is no longer in use); throws for an unknown run. */
  setJobRunStatus(jobId: string, runId: string, status: JobRunStatus): void;
  setFaults(faults: FaultOptions | undefined): void;
  /** Operations started, per kind, for assertions (e.g. no duplicate create). */
  operations(): EmulatedOperation[];
  /** Requests answered so far, counted even when `logRequests` is off. */
  requestCount(): number;
  close(): Promise<void>;
}
