/**
 * Intuned refusing an update or delete because the resource is code-defined on its side
 * (deployed by Intuned's CLI or IDE). *Unconfirmed* on the wire, so every plausible answer:
 * the message says what happened and what to do, and a delete so refused is not "in use".
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { isInUseError } from '../../src/api/failures.js';
import { json, useMockClient } from './mock.js';

const setup = useMockClient();
const ADVICE =
  "Intuned holds it as code-defined (made by a deploy with Intuned's CLI or IDE, which reads the same " +
  'intuned-resources/ folder), so it is read-only through the API; manage the project\'s resources with ' +
  'one of the two only (see "Coexistence" in the README)';

describe('a refusal as read-only', () => {
  it.each([
    [403, { message: 'This auth session is read-only' }],
    [400, { code: 'read-only-resource', message: 'cannot update' }],
    [409, { message: 'Auth session is defined in code and cannot be deleted' }],
    [422, { error: { message: 'Resources with origin CODE cannot be modified' } }],
  ])('a delete answered %i %j says what to do, and is not in use', async (status, body) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/acme'), method: 'DELETE' }).reply(status, body, json);
    const error = (await client.deleteAuthSession('acme').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toContain(` (${ADVICE})`);
    expect(isInUseError(error)).toBe(false);
  });

  it('an update start answered 403 read-only says so too', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/acme/update'), method: 'POST' }).reply(403, { message: 'read only: managed by code' }, json);
    const error = (await client.startUpdate('acme', { parameters: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe(`read only: managed by code (${ADVICE})`);
  });

  it('leaves other refusals alone', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/acme'), method: 'DELETE' }).reply(409, { message: 'conflict' }, json);
    const error = (await client.deleteAuthSession('acme').catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('conflict');
    expect(isInUseError(error)).toBe(true);
  });
});
