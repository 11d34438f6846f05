import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError, InputError, describeError } from '../../src/errors.js';
import { OUTCOME_UNKNOWN_CODE, UNEXPECTED_RESPONSE_CODE } from '../../src/api/failures.js';
import { createIntunedClient } from '../../src/api/client.js';
import { API_KEY, WORKSPACE, json, mockClient, useMockClient, netError } from './mock.js';

const setup = useMockClient();

/** Every way a thrown error could end up in a log. */
function everyRendering(error: unknown): string {
  return [
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    String(error),
    describeError(error),
    JSON.stringify(Object.entries(error as object)),
  ].join('\n');
}

describe('error fields', () => {
  it('keeps status, code, message and the body correlation ID of a typed error body', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs') }).reply(
      401,
      { code: 'unauthorized', category: 'auth', message: 'Invalid API key', retirable: false, correlationId: 'corr-1' },
      { headers: { 'content-type': 'application/json', 'x-correlation-id': 'header-corr' } },
    );
    const error = await client.listJobs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      method: 'GET',
      path: `/${WORKSPACE}/projects/my%20project/jobs`,
      status: 401,
      code: 'unauthorized',
      correlationId: 'corr-1',
      retryable: false,
      message: 'Invalid API key (check INTUNED_API_KEY)',
    });
  });

  it.each([
    [{ message: 'bad input', details: { field: 'x' } }, {}, 'bad input', undefined],
    [{ message: ['id must match', 'parameters required'] }, { 'x-request-id': 'req-7' }, 'id must match; parameters required', 'req-7'],
    [{ error: 'Bad Request' }, { 'x-correlation-id': 'c-2' }, 'Bad Request', 'c-2'],
  ])('reads an untyped body %j', async (body, headers, message, correlationId) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs') }).reply(400, body, { headers: { ...json.headers, ...headers } });
    await expect(client.listJobs()).rejects.toMatchObject({ status: 400, message, correlationId });
  });

  it('quotes a short excerpt of a non-JSON body, and the status text of an empty one', async () => {
    const { pool, client, path } = setup();
    const html = `<html><body><h1>404 Not Found</h1>${'x'.repeat(5000)}</body></html>`;
    pool.intercept({ path: path('/jobs') }).reply(418, html);
    pool.intercept({ path: path('/auth-sessions') }).reply(400, '');
    const first = (await client.listJobs().catch((e: unknown) => e)) as ApiError;
    expect(first.message).toMatch(/^I'm a Teapot: <html><body><h1>404 Not Found/);
    expect(first.message.length).toBeLessThan(200);
    await expect(client.listAuthSessions()).rejects.toMatchObject({ message: 'Bad Request', status: 400 });
  });

  it('refuses a success body that does not fit, naming the field and not quoting values', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions') }).reply(200, [{ id: 'a1', type: 'API', status: 7, note: 'SECRET-VALUE' }], json);
    pool.intercept({ path: path('/auth-sessions/create/op/result') }).reply(200, { status: 'exploded', detail: 'SECRET-VALUE' }, json);
    pool.intercept({ path: path('/auth-sessions/create/op2/result') }).reply(200, { status: 'requested_more_info', details: {} }, json);
    pool.intercept({ path: path('/jobs') }).reply(200, 'SECRET-VALUE is not json');
    const errors = [
      await client.listAuthSessions().catch((e: unknown) => e),
      await client.getCreateResult('op').catch((e: unknown) => e),
      await client.getCreateResult('op2').catch((e: unknown) => e),
    ];
    expect(errors.map((e) => (e as ApiError).message)).toEqual([
      expect.stringMatching(/^unexpected response from the Intuned API: \[0\]\.status: .*expected string/),
      expect.stringContaining("unexpected response from the Intuned API: status: unknown result status 'exploded'"),
      expect.stringMatching(/id: .*expected string.*details\.requestType/),
    ]);
    // A result that does not fit is an operation whose outcome is unknown (the next run adopts it).
    expect(errors.map((e) => (e as ApiError).code)).toEqual([UNEXPECTED_RESPONSE_CODE, OUTCOME_UNKNOWN_CODE, OUTCOME_UNKNOWN_CODE]);
    for (const error of errors) {
      expect(error).toMatchObject({ status: 200, retryable: false });
      expect(everyRendering(error)).not.toContain('SECRET-VALUE');
    }
    await expect(client.listJobs()).rejects.toThrow(/not JSON/);
  });
});

describe('the API key never leaks', () => {
  it('is redacted from an error body that echoes it', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs') }).reply(403, { message: `key ${API_KEY} has no access`, code: API_KEY }, json);
    const error = await client.listJobs().catch((e: unknown) => e);
    expect((error as ApiError).message).toContain('key [redacted] has no access');
    expect(everyRendering(error)).not.toContain(API_KEY);
  });

  it('is absent from a wrapped network error that carried request options', async () => {
    const { pool, client, path } = setup({ retry: { budgetMs: 1 } });
    const raw = Object.assign(netError('ECONNRESET', `socket hang up (x-api-key: ${API_KEY})`), {
      options: { headers: { 'x-api-key': API_KEY } },
    });
    pool.intercept({ path: path('/jobs') }).replyWithError(raw);
    const error = await client.listJobs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(everyRendering(error)).not.toContain(API_KEY);
    expect((error as ApiError).cause).not.toBe(raw);
  });

  it('is absent from an undici error that quotes the request headers', async () => {
    // MockAgent's "not matched for headers" error quotes every request header, the key included.
    const { pool, client, path, agent } = mockClient();
    pool.intercept({ path: path('/jobs'), headers: { 'x-api-key': 'another-key-entirely' } }).reply(200, [], json);
    const error = await client.listJobs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/not matched for headers.*\[redacted\]/);
    expect(everyRendering(error)).not.toContain(API_KEY);
    await agent.close();
  });

  it('is absent from a non-JSON error body cut short', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs') }).reply(500, `${'x'.repeat(100)} ${API_KEY} tail`).times(6);
    const error = await client.listJobs().catch((e: unknown) => e);
    expect(everyRendering(error)).not.toContain(API_KEY.slice(0, 10));
  });

  it('is not visible on the client object', () => {
    const { client } = setup();
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(API_KEY);
  });
});

describe('options', () => {
  const base = { apiKey: API_KEY, workspaceId: WORKSPACE, project: 'p' };

  it.each(['http://app.intuned.io/api/v1/workspace', 'http://10.0.0.5:8080/api', 'http://127.0.0.1.evil.example/api', 'ftp://x/y'])(
    'refuses %s',
    (baseUrl) => {
      expect(() => createIntunedClient({ ...base, baseUrl })).toThrow(InputError);
    },
  );

  it.each(['http://127.0.0.1:4010/api/v1/workspace', 'http://localhost:4010/api', 'http://[::1]:4010/api', 'https://app.intuned.io/api/v1/workspace/'])(
    'accepts %s',
    async (baseUrl) => {
      await createIntunedClient({ ...base, baseUrl }).close();
    },
  );

  it('refuses credentials in the URL without repeating them', () => {
    const attempt = () => createIntunedClient({ ...base, baseUrl: 'https://user:hunter2secret@app.intuned.io/api' });
    expect(attempt).toThrow(InputError);
    expect(attempt).not.toThrow(/hunter2secret/);
  });

  it.each([
    ['', /API key .* is required/],
    ['   ', /API key .* is required/],
    ['abc\ndef-secret-part', /cannot be sent in an HTTP header/],
  ])('refuses the API key %j without repeating it', (apiKey, message) => {
    const attempt = () => createIntunedClient({ ...base, apiKey });
    expect(attempt).toThrow(message);
    expect(attempt).not.toThrow(/secret-part/);
  });

  it('refuses an empty workspace ID or project', () => {
    expect(() => createIntunedClient({ ...base, workspaceId: '' })).toThrow(/workspace ID is required/);
    expect(() => createIntunedClient({ ...base, project: ' ' })).toThrow(/project name is required/);
  });
});
