/**
 * The HTTP adapter behind `IntunedApi`: each call is one route (`routes.ts`) sent through the
 * transport (retries, timeouts) and parsed with the wire schemas (`wire.ts`).
 */
import { isAlreadyExistsError, outcomeUnknownError, shorten, unexpectedResponseError } from './failures.js';
import { resolveOptions, type ClientOptions, type ClientStats } from './options.js';
import { JOB_RUNS_FIRST_PAGE, readAllJobRuns } from './job-runs.js';
import { makeRoutes } from './routes.js';
import { createTransport, type HttpRequest, type HttpResponse } from './transport.js';
import type { IntunedApi, OperationKind, OperationResult } from './types.js';
import {
  authSessionListSchema,
  authSessionSchema,
  jobListSchema,
  jobRunPageSchema,
  maskWire,
  parseOperationResult,
  parseWire,
  parseStarted,
  toJob,
  toJobRun,
  toRemoteAuthSession,
  type WireParse,
} from './wire.js';

/** Characters of a non-JSON success body quoted in the error. */
const MAX_QUOTED_BODY_CHARS = 40;

export type IntunedClient = IntunedApi & { close(): Promise<void>; stats(): ClientStats };

const ok = (response: HttpResponse) => response.status >= 200 && response.status < 300;

export function createIntunedClient(options: ClientOptions): IntunedClient {
  const resolved = resolveOptions(options);
  const transport = createTransport(resolved);
  const routes = makeRoutes(resolved);

  function parseBody<T>(req: HttpRequest, response: HttpResponse, parse: (body: unknown) => WireParse<T>): T {
    const context = { method: req.method, path: req.path, status: response.status };
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      const start = shorten(transport.redact(response.text), MAX_QUOTED_BODY_CHARS);
      throw unexpectedResponseError({ ...context, problem: `the body is not JSON (it starts "${start}")` });
    }
    // Masked before any schema reads it, so no field of it can carry a secret further.
    const masked = maskWire(body, transport.redact);
    const parsed = masked.ok ? parse(masked.value) : masked;
    if (!parsed.ok) throw unexpectedResponseError({ ...context, problem: parsed.problem });
    return parsed.value;
  }

  async function call<T>(req: HttpRequest, parse: (body: unknown) => WireParse<T>): Promise<T> {
    const response = await transport.send(req);
    if (!ok(response)) throw transport.errorFrom(req, response);
    return parseBody(req, response, parse);
  }

  const result = (kind: OperationKind, operationId: string, id: string): Promise<OperationResult> =>
    call(routes.result(kind, operationId, id), parseOperationResult);

  const started = (req: HttpRequest) => call(req, parseStarted);

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
      if (ok(response)) return parseBody(req, response, parseStarted);
      const error = transport.errorFrom(req, response);
      if (response.afterUnknownOutcome && isAlreadyExistsError(error)) {
        throw outcomeUnknownError({
          method: req.method,
          path: req.path,
          status: response.status,
          detail: 'an attempt got no answer and the repeat says the session ID already exists',
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
      const jobs = await call(routes.listJobs(), (body) => parseWire(jobListSchema, body));
      return jobs.map(toJob);
    },

    listJobRuns(jobId) {
      return readAllJobRuns({
        jobId,
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
