/**
 * The adapter from the HTTP client (`IntunedApi`) to the engine's port (engine/port.ts): the
 * statuses and error codes the client reports become the domain's answers here, so the engine
 * never reads an HTTP status.
 */
import { ApiError } from '../errors.js';
import type { DeleteAnswer, Failure, IntunedPort, ResultAnswer, StartAnswer, WriteAnswer } from '../engine/port.js';
import { isInUseError, isOutcomeUnknownError, isTimedOutError } from './failures.js';
import type { IntunedApi, OperationResult, StartedOperation } from './types.js';
import { definedOnly } from '../engine/optional.js';

export function intunedPort(api: IntunedApi): IntunedPort {
  return {
    listAuthSessions: () => api.listAuthSessions(),
    getAuthSession: (id) => api.getAuthSession(id),
    // The client resolves on 204 and on 404 alike (a retried delete that landed answers 404), so
    // every success is `deleted`: both leave nothing behind.
    async deleteAuthSession(id): Promise<DeleteAnswer> {
      try {
        await api.deleteAuthSession(id);
        return { outcome: 'deleted' };
      } catch (error) {
        if (isInUseError(error)) return { outcome: 'in-use', ...failureOf(error as ApiError) };
        throw error;
      }
    },
    startCreate: (body) => startAnswer(() => api.startCreate(body)),
    getCreateResult: (operationId) => resultAnswer(() => api.getCreateResult(operationId)),
    startUpdate: (id, body) => startAnswer(() => api.startUpdate(id, body)),
    getUpdateResult: (id, operationId) => resultAnswer(() => api.getUpdateResult(id, operationId)),
    resume: (kind, operationId, body, id) => api.resume(kind, operationId, body, id),
    listJobs: () => api.listJobs(),
    createJob: (body) => writeAnswer(() => api.createJob(body)),
    updateJob: (id, body) => writeAnswer(() => api.updateJob(id, body)),
    // Unlike a session's, a job's delete tells `gone` (404) from `deleted`. Whether the API
    // refuses while a run is unfinished, and how, is unconfirmed: the session's in-use rule.
    async deleteJob(id): Promise<DeleteAnswer> {
      try {
        return { outcome: await api.deleteJob(id) };
      } catch (error) {
        if (isInUseError(error)) return { outcome: 'in-use', ...failureOf(error as ApiError) };
        throw error;
      }
    },
    listJobRuns: (jobId) => api.listJobRuns(jobId),
  };
}

function failureOf(error: ApiError): Failure {
  return { message: error.message, ...definedOnly({ code: error.code || undefined }) };
}

/** Only `ApiError`s are the API's answers; anything else is thrown on. */
async function startAnswer(start: () => Promise<StartedOperation>): Promise<StartAnswer> {
  try {
    return { outcome: 'started', operationId: (await start()).operationId };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { outcome: failedOutcome(error), ...failureOf(error) };
  }
}

/** Job writes fail as starts do: the same four answers, told apart the same way. */
async function writeAnswer(write: () => Promise<void>): Promise<WriteAnswer> {
  try {
    await write();
    return { outcome: 'done' };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { outcome: failedOutcome(error), ...failureOf(error) };
  }
}

function failedOutcome(error: ApiError): Exclude<StartAnswer['outcome'] | WriteAnswer['outcome'], 'started' | 'done'> {
  if (isTimedOutError(error)) return 'timed-out';
  if (error.status === undefined) return 'no-answer';
  if (isOutcomeUnknownError(error)) return 'outcome-unknown';
  return 'refused';
}

/** Gone (404) or no longer readable (the client's outcome unknown): the result is unknown. */
async function resultAnswer(fetch: () => Promise<OperationResult>): Promise<ResultAnswer> {
  try {
    return await fetch();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || isOutcomeUnknownError(error))) return { status: 'unknown', ...failureOf(error) };
    throw error;
  }
}
