/** The Intuned API adapter: the only module that speaks HTTP. */
export { createIntunedClient, type IntunedClient } from './client.js';
export { intunedPort } from './port.js';
export { JOB_RUNS_FIRST_PAGE, JOB_RUNS_MAX_PAGES } from './job-runs.js';
export {
  isInUseError,
  isAlreadyExistsError,
  isOutcomeUnknownError,
  OUTCOME_UNKNOWN_CODE,
  UNEXPECTED_RESPONSE_CODE,
} from './failures.js';
export {
  CLIENT_VERSION,
  DEFAULT_BASE_URL,
  DEFAULT_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  USER_AGENT,
  isLoopbackHost,
  type ApiGeneration,
  type ClientOptions,
  type ClientStats,
  type RequestEvent,
} from './options.js';
export { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, type RetryPolicy } from './retry.js';
export { JOB_RUNS_PAGE_SIZE, JOB_RUNS_SORT } from './routes.js';
export type * from './types.js';
export { UNFINISHED_JOB_RUN_STATUSES } from './types.js';
