/**
 * The HTTP adapter behind `IntunedApi`: each call is one route (`routes.ts`) sent through the
 * transport (retries, timeouts) and parsed with the wire schemas (`wire.ts`).
 */
import { ApiError } from '../errors.js';
import { isAlreadyExistsError, OUTCOME_UNKNOWN_CODE, outcomeUnknownError, excerpt, unexpectedResponseError } from './failures.js';
import { describeUnusableOperationId, isUsableOperationId } from './operation-id.js';
import { resolveOptions, type ClientOptions, type ClientStats } from './options.js';
import { JOB_RUNS_FIRST_PAGE, readAllJobRuns } from './job-runs.js';
import { makeRoutes } from './routes.js';
import { jobWrites } from './job-writes.js';
import { parseJobList } from './job-wire.js';
import { createTransport, isSuccess as ok, type HttpRequest, type HttpResponse } from './transport.js';
import { RETRYABLE_STATUSES } from './retry.js';
import type { IntunedApi, OperationKind, OperationResult, StartedOperation } from './types.js';
import {
  authSessionListSchema,
  authSessionSchema,
  jobRunPageSchema,
  maskWire,
  parseOperationResult,
  parseWire,
  parseStarted,
  toJobRun,
  toRemoteAuthSession,
  type WireParse,
} from './wire.js';

/** Characters of a non-JSON success body quoted in the error. */
const MAX_QUOTED_BODY_CHARS = 40;

export type IntunedClient = IntunedApi & { close(): Promise<void>; stats(): ClientStats };

/**
 * An answer about an operation's result that no later run can get past: anything but success,
 * a bad key (401, which fails every other call too) and the transient statuses that the
 * transport already retried. 404, 410, 400 "invalid operation", 403, an unknown status, a body
 * that does not fit: the operation can no longer be read, so its outcome is unknown.
 */
function isUnreadableResult(error: unknown): error is ApiError {
  if (!(error instanceof ApiError) || error.status === undefined) return false;
  return error.status !== 401 && !RETRYABLE_STATUSES.has(error.status);
}

function resultUnknownError(context: { method: string; path: string; status?: number }, why: string): ApiError {
  return new ApiError(
    `outcome unknown: the result of this operation cannot be read (${why}); the next run adopts the session by one update`,
    { ...context, code: OUTCOME_UNKNOWN_CODE, retryable: false },
  );
}

/** A started operation whose ID cannot be used is an operation whose outcome is unknown. */
function checkStarted(req: HttpRequest, status: number, started: StartedOperation): StartedOperation {
  if (isUsableOperationId(started.operationId)) return started;
  return outcomeUnknown(req, status, `it answered with ${describeUnusableOperationId(started.operationId)}, which is not used or stored`);
}

function outcomeUnknown(req: HttpRequest, status: number, detail: string): never {
  throw new ApiError(
    `outcome unknown: the Intuned API may have started the operation, but ${detail}; the next run adopts the session by one update`,
    { method: req.method, path: req.path, status, code: OUTCOME_UNKNOWN_CODE, retryable: false },
  );
}

export function createIntunedClient(options: ClientOptions): IntunedClient {
  const resolved = resolveOptions(options);
  const transport = createTransport(resolved);
  const routes = makeRoutes(resolved);
  const paging = { refusesPageZero: false };

  /**
   * `parse` reads the body masked and, for the one answer that needs it (job definitions, see
   * `job-wire.ts`), as sent.
   */
  function parseBodies<T>(req: HttpRequest, response: HttpResponse, parse: (masked: unknown, raw: unknown) => WireParse<T>): T {
    const context = { method: req.method, path: req.path, status: response.status };
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      const start = excerpt(transport.redact(response.text), MAX_QUOTED_BODY_CHARS);
      throw unexpectedResponseError({ ...context, problem: `the body is not JSON (it starts "${start}")` });
    }
    const masked = maskWire(body, transport.redact);
    const parsed = masked.ok ? parse(masked.value, body) : masked;
    if (!parsed.ok) throw unexpectedResponseError({ ...context, problem: parsed.problem });
    return parsed.value;
  }

  /** Masked before any schema reads it, so no field of it can carry a secret further. */
  function parseBody<T>(req: HttpRequest, response: HttpResponse, parse: (body: unknown) => WireParse<T>): T {
    return parseBodies(req, response, (masked) => parse(masked));
  }

  async function call<T>(req: HttpRequest, parse: (body: unknown) => WireParse<T>): Promise<T> {
    const response = await transport.send(req);
    if (!ok(response)) throw transport.errorFrom(req, response);
    return parseBody(req, response, parse);
  }

  async function result(kind: OperationKind, operationId: string, id: string): Promise<OperationResult> {
    if (!isUsableOperationId(operationId)) {
      // Not sent: such an ID would address another path, or none (an older version stored it).
      throw resultUnknownError({ method: 'GET', path: `/auth-sessions/${kind}/{op}/result (not sent)` }, describeUnusableOperationId(operationId));
    }
    const req = routes.result(kind, operationId, id);
    try {
      return await call(req, parseOperationResult);
    } catch (error) {
      if (!isUnreadableResult(error)) throw error;
      throw resultUnknownError({ method: error.method, path: error.path, status: error.status }, `HTTP ${error.status}: ${error.message}`);
    }
  }

  const started = async (req: HttpRequest) => {
    const response = await transport.send(req);
    if (!ok(response)) throw transport.errorFrom(req, response);
    return checkStarted(req, response.status, parseBody(req, response, parseStarted));
  };

  return {
    async listAuthSessions() {
      const sessions = await call(routes.listSessions(), (body) => parseWire(authSessionListSchema, body));
      return sessions.map(toRemoteAuthSession);
    },

    async getAuthSession(id) {
      const req = routes.getSession(id);
      const response = await transport.send(req);
      if (response.status === 404) return undefined;
      if (!ok(response)) throw transport.errorFrom(req, response);
      return toRemoteAuthSession(parseBody(req, response, (body) => parseWire(authSessionSchema, body)));
    },

    async deleteAuthSession(id) {
      const req = routes.deleteSession(id);
      const response = await transport.send(req);
      // 404: already gone, which is what a delete wants (also after a retried delete that landed).
      if (ok(response) || response.status === 404) return;
      throw transport.errorFrom(req, response);
    },

    /**
     * Create-start is retried even when an attempt may have reached the server (no answer, or
     * 500/502/504), because it is keyed by the session ID: a repeat cannot make a second
     * session. If the repeat is refused because the ID exists (409, or 400 "already exists"),
     * the earlier attempt most likely started the create, but its operation ID is lost: that
     * is reported as outcome unknown (not retryable), and the next run finds the session and
     * adopts it by an update. A repeat accepted by the server runs the same create body again
     * for the same ID, which converges to the same session. Checking `GET /auth-sessions/{id}`
     * first instead would race with the create it is checking on, and would still not return
     * the lost operation ID.
     */
    async startCreate(body) {
      const req = { ...routes.startCreate(), body };
      const response = await transport.send(req);
      if (ok(response)) return checkStarted(req, response.status, parseBody(req, response, parseStarted));
      const error = transport.errorFrom(req, response);
      if (response.afterUnknownOutcome && isAlreadyExistsError(error)) {
        throw outcomeUnknownError({
          method: req.method,
          path: req.path,
          status: response.status,
          detail: 'an attempt got no answer and the repeat says the session ID already exists',
          repeated: true,
        });
      }
      throw error;
    },

    getCreateResult: (operationId) => result('create', operationId, ''),

    // Update, validate and resume are never repeated once an attempt may have reached the
    // server: each accepted POST starts a new login run on the target site, so a blind repeat
    // can run two at once on one session (racing writes of its state, doubled logins that can
    // lock an account or burn a one-time code), and the first operation's ID would be lost.
    // The transport throws an outcome-unknown ApiError instead; the state does not record the
    // change as applied, so the next run plans it again.
    startUpdate(id, body) {
      const req = routes.startUpdate(id);
      return started({ ...req, body: resolved.apiGeneration === 'legacy' ? { ...body, id } : body });
    },

    getUpdateResult: (id, operationId) => result('update', operationId, id),

    startValidate: (id, body) => started({ ...routes.startValidate(id), body }),

    getValidateResult: (id, operationId) => result('validate', operationId, id),

    async resume(kind, operationId, body) {
      const req = { ...routes.resume(kind, operationId), body: { input: body.input, infoRequestId: body.infoRequestId } };
      const response = await transport.send(req);
      if (!ok(response)) throw transport.errorFrom(req, response);
    },

    async listJobs() {
      const req = routes.listJobs();
      const response = await transport.send(req);
      if (!ok(response)) throw transport.errorFrom(req, response);
      return parseBodies(req, response, parseJobList);
    },

    ...jobWrites(transport, routes),

    listJobRuns(jobId) {
      return readAllJobRuns({
        jobId,
        paging,
        path: routes.listJobRuns(jobId, JOB_RUNS_FIRST_PAGE).path,
        fetchPage: async (page) => {
          const wire = await call(routes.listJobRuns(jobId, page), (body) => parseWire(jobRunPageSchema, body));
          return { jobRuns: wire.jobRuns.map(toJobRun), totalCount: wire.totalCount ?? undefined };
        },
      });
    },

    close: () => transport.close(),
    stats: () => transport.stats(),
  };
}
