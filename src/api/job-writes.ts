/**
 * Job create, update and delete. Jobs are written at once (there is no operation to poll), so
 * each call resolves once Intuned holds the change and throws an `ApiError` otherwise. Any 2xx
 * with a JSON or empty body is success: the SDK insists on 201, 200 and 204 exactly, and
 * reading looser loses nothing. Where a write may have acted but cannot be confirmed, the
 * error says the outcome is unknown rather than guess either way.
 */
import { ApiError } from '../errors.js';
import { isAlreadyExistsError, OUTCOME_UNKNOWN_CODE, outcomeUnknownError } from './failures.js';
import type { Routes } from './routes.js';
import { isSuccess, type HttpRequest, type HttpResponse, type Transport } from './transport.js';
import type { IntunedApi } from './types.js';

export type JobWrites = Pick<IntunedApi, 'createJob' | 'updateJob' | 'deleteJob'>;

function answeredButUnclear(req: HttpRequest, status: number, detail: string): ApiError {
  return new ApiError(`outcome unknown: the Intuned API answered HTTP ${status}, but ${detail}; the next run plans it again`, {
    method: req.method,
    path: req.path,
    status,
    code: OUTCOME_UNKNOWN_CODE,
    retryable: false,
  });
}

/**
 * A 2xx confirms the write only when its body can be read: empty, or JSON that does not name
 * another job. An ID Intuned changed (normalised, say) would leave the tool recording a job
 * that the next list does not show, and creating it again.
 */
function checkWritten(req: HttpRequest, response: HttpResponse, id: string): void {
  const text = response.text.trim();
  if (text === '') return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw answeredButUnclear(req, response.status, 'its answer is not JSON');
  }
  const answered = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  if (typeof answered === 'string' && answered !== id) throw answeredButUnclear(req, response.status, 'it named another job ID than the one written');
}

export function jobWrites(transport: Transport, routes: Routes): JobWrites {
  async function write(req: HttpRequest, id: string): Promise<void> {
    const response = await transport.send(req);
    if (isSuccess(response)) return checkWritten(req, response, id);
    const error = transport.errorFrom(req, response);
    // The repeat of a create whose earlier attempt may have landed is refused because that
    // attempt made the job: calling it a conflict would disown the job the tool just made.
    if (req.method === 'POST' && response.afterUnknownOutcome && isAlreadyExistsError(error)) {
      throw outcomeUnknownError({
        method: req.method,
        path: req.path,
        status: response.status,
        detail: 'the repeat says the job ID already exists',
        repeated: true,
      });
    }
    throw error;
  }

  return {
    // The body is sent as given: the engine builds it (resources/job-body.ts).
    createJob: (body) => write({ ...routes.createJob(), body }, body.id),
    updateJob: (id, body) => write({ ...routes.updateJob(id), body }, id),

    async deleteJob(id) {
      const req = routes.deleteJob(id);
      const response = await transport.send(req);
      if (isSuccess(response)) return 'deleted';
      // Already gone, by another hand or by an earlier attempt of this delete that landed.
      if (response.status === 404) return 'gone';
      throw transport.errorFrom(req, response);
    },
  };
}
