/** The adapter from the HTTP client to the engine's port: what each failure becomes in the domain's words. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { intunedPort } from '../../src/api/port.js';
import { OUTCOME_UNKNOWN_CODE, TIMED_OUT_CODE } from '../../src/api/failures.js';
import type { IntunedApi } from '../../src/api/types.js';

const apiError = (status: number | undefined, message: string, code?: string) =>
  new ApiError(message, { method: 'POST', path: '/auth-sessions/create', status, code, retryable: false });

/** An API whose every call fails with `error` (or, with none, succeeds with nothing much). */
function failing(error?: unknown): IntunedApi {
  const fail = async () => {
    if (error) throw error;
    return { operationId: 'op-1' };
  };
  return {
    listAuthSessions: async () => [],
    getAuthSession: async () => undefined,
    deleteAuthSession: async () => {
      if (error) throw error;
    },
    startCreate: fail,
    startUpdate: fail,
    getCreateResult: async () => {
      if (error) throw error;
      return { status: 'done' };
    },
    getUpdateResult: async () => {
      if (error) throw error;
      return { status: 'done' };
    },
    startValidate: fail,
    getValidateResult: async () => ({ status: 'done' }),
    resume: async () => {},
    listJobs: async () => [],
    createJob: async () => {
      if (error) throw error;
    },
    updateJob: async () => {
      if (error) throw error;
    },
    deleteJob: async () => {
      if (error) throw error;
      return 'deleted';
    },
    listJobRuns: async () => [],
  };
}

describe('starts', () => {
  it.each([
    ['started', undefined, { outcome: 'started', operationId: 'op-1' }],
    ['refused', apiError(409, 'already exists'), { outcome: 'refused', message: 'already exists' }],
    ['timed-out', apiError(undefined, 'timed out', TIMED_OUT_CODE), { outcome: 'timed-out', message: 'timed out', code: TIMED_OUT_CODE }],
    ['no-answer', apiError(undefined, 'no response: socket hang up'), { outcome: 'no-answer', message: 'no response: socket hang up' }],
    ['outcome-unknown', apiError(409, 'outcome unknown', OUTCOME_UNKNOWN_CODE), { outcome: 'outcome-unknown', message: 'outcome unknown', code: OUTCOME_UNKNOWN_CODE }],
  ])('%s', async (_name, error, answer) => {
    const port = intunedPort(failing(error));
    expect(await port.startCreate({ id: 'acme', parameters: {} })).toEqual(answer);
    expect(await port.startUpdate('acme', { parameters: {} })).toEqual(answer);
  });

  it('throws on what is not an answer of the API', async () => {
    await expect(intunedPort(failing(new TypeError('a bug'))).startCreate({ id: 'acme', parameters: {} })).rejects.toThrow('a bug');
  });
});

describe('job writes', () => {
  const body = { id: 'nightly-scrape', payload: [], configuration: {} };

  it.each([
    ['done', undefined, { outcome: 'done' }],
    ['refused', apiError(409, 'Job already exists'), { outcome: 'refused', message: 'Job already exists' }],
    ['refused (a typed 400)', apiError(400, 'payload is required', 'bad-request'), { outcome: 'refused', message: 'payload is required', code: 'bad-request' }],
    ['timed-out', apiError(undefined, 'timed out', TIMED_OUT_CODE), { outcome: 'timed-out', message: 'timed out', code: TIMED_OUT_CODE }],
    ['no-answer', apiError(undefined, 'no response: socket hang up'), { outcome: 'no-answer', message: 'no response: socket hang up' }],
    ['outcome-unknown', apiError(409, 'outcome unknown', OUTCOME_UNKNOWN_CODE), { outcome: 'outcome-unknown', message: 'outcome unknown', code: OUTCOME_UNKNOWN_CODE }],
  ])('%s', async (_name, error, answer) => {
    const port = intunedPort(failing(error));
    expect(await port.createJob(body)).toEqual(answer);
    expect(await port.updateJob('nightly-scrape', { payload: [], configuration: {} })).toEqual(answer);
  });

  it('throw on what is not an answer of the API', async () => {
    await expect(intunedPort(failing(new TypeError('a bug'))).updateJob('j', {})).rejects.toThrow('a bug');
  });

  it('delete says deleted, gone, or in use (409) with what the API said, and throws anything else', async () => {
    expect(await intunedPort(failing()).deleteJob('j')).toEqual({ outcome: 'deleted' });
    const gone = { ...failing(), deleteJob: async () => 'gone' as const };
    expect(await intunedPort(gone).deleteJob('j')).toEqual({ outcome: 'gone' });
    const busy = apiError(409, 'Job has an active run');
    expect(await intunedPort(failing(busy)).deleteJob('j')).toEqual({ outcome: 'in-use', message: 'Job has an active run' });
    const denied = apiError(403, 'forbidden');
    await expect(intunedPort(failing(denied)).deleteJob('j')).rejects.toBe(denied);
  });
});

describe('deletes', () => {
  it('say deleted, or in use with what the API said, and throw anything else', async () => {
    expect(await intunedPort(failing()).deleteAuthSession('acme')).toEqual({ outcome: 'deleted' });
    const inUse = apiError(409, 'Auth session is in use by an active job run');
    expect(await intunedPort(failing(inUse)).deleteAuthSession('acme')).toEqual({ outcome: 'in-use', message: 'Auth session is in use by an active job run' });
    const denied = apiError(403, 'forbidden');
    await expect(intunedPort(failing(denied)).deleteAuthSession('acme')).rejects.toBe(denied);
  });
});

describe('results', () => {
  it('are unknown when gone or unreadable, and other failures are thrown', async () => {
    const gone = apiError(404, 'not found');
    expect(await intunedPort(failing(gone)).getCreateResult('op-1')).toEqual({ status: 'unknown', message: 'not found' });
    const unreadable = apiError(410, 'outcome unknown: the result cannot be read', OUTCOME_UNKNOWN_CODE);
    expect(await intunedPort(failing(unreadable)).getUpdateResult('acme', 'op-1')).toEqual({ status: 'unknown', message: unreadable.message, code: OUTCOME_UNKNOWN_CODE });
    const badKey = apiError(401, 'unauthorized');
    await expect(intunedPort(failing(badKey)).getCreateResult('op-1')).rejects.toBe(badKey);
  });
});
