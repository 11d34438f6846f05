import { describe, expect, it } from 'vitest';
import { isOutcomeUnknownError, OUTCOME_UNKNOWN_CODE } from '../../src/api/failures.js';
import { isUsableOperationId } from '../../src/api/operation-id.js';
import { json, useMockClient } from './mock.js';

const setup = useMockClient();

describe('a result that can no longer be read is an unknown outcome', () => {
  it.each([400, 403, 404, 410, 418, 422, 501, 599])('HTTP %i', async (status) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/a1/update/op-1/result') }).reply(status, { message: 'invalid operation' }, json);
    const error = await client.getUpdateResult('a1', 'op-1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: OUTCOME_UNKNOWN_CODE, status, retryable: false });
    expect((error as Error).message).toMatch(/^outcome unknown: the result of this operation cannot be read/);
  });

  it.each([
    ['an unknown result status', { status: 'expired' }],
    ['a body of the wrong shape', { what: 'ever' }],
  ])('a 200 with %s', async (_name, body) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/create/op-1/result') }).reply(200, body, json);
    expect(isOutcomeUnknownError(await client.getCreateResult('op-1').catch((e: unknown) => e))).toBe(true);
  });

  it('but a bad key (401) and a server still failing after its retries stay what they are', async () => {
    const { pool, client, path } = setup({ retry: { budgetMs: 1 } });
    pool.intercept({ path: path('/auth-sessions/create/op-1/result') }).reply(401, {}, json);
    pool.intercept({ path: path('/auth-sessions/create/op-2/result') }).reply(503, {}, json);
    await expect(client.getCreateResult('op-1')).rejects.toMatchObject({ status: 401, code: undefined });
    await expect(client.getCreateResult('op-2')).rejects.toMatchObject({ status: 503, retryable: true });
  });

  it.each(['..', '.', 'a/b', 'a'.repeat(201), 'op 1', ''])('an unusable stored ID %j is not sent', async (operationId) => {
    const { client } = setup();
    const error = await client.getCreateResult(operationId).catch((e: unknown) => e);
    expect(isOutcomeUnknownError(error)).toBe(true);
    expect(client.stats().requests).toBe(0);
  });
});

describe('an operation ID from the server is checked before it is used', () => {
  it.each([
    ['..', '..'],
    ['100 KB', 'x'.repeat(100_000)],
    ['a path', '../../jobs'],
    ['a query', 'op?x=1'],
  ])('a create answered with %s: outcome unknown, the ID not quoted', async (_name, operationId) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).reply(201, { status: 'started', operationId }, json);
    const error = await client.startCreate({ id: 'a1', parameters: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: OUTCOME_UNKNOWN_CODE, status: 201, retryable: false });
    expect((error as Error).message.length).toBeLessThan(400);
    if (operationId.length > 2) expect((error as Error).message).not.toContain(operationId);
  });

  it('an update answered with an unusable ID: outcome unknown', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/a1/update'), method: 'POST' }).reply(201, { status: 'started', operationId: '..' }, json);
    expect(isOutcomeUnknownError(await client.startUpdate('a1', { parameters: {} }).catch((e: unknown) => e))).toBe(true);
  });

  it.each(['3e9eb121-208e-43f7-bf0e-2ebc9025ddbf', 'V1StGXR8_Z5jdHi6B-myT', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'op.2~x'])('accepts %s', (id) => {
    expect(isUsableOperationId(id)).toBe(true);
  });
});
