/** Job create, update and delete on the wire, and what each answer becomes through the port. */
import { describe, expect, it } from 'vitest';
import type { MockPool } from 'undici';
import { ApiError, InputError } from '../../src/errors.js';
import { intunedPort } from '../../src/api/port.js';
import { NOW, json, netError, useMockClient } from './mock.js';

const setup = useMockClient();
type Interceptor = ReturnType<MockPool['intercept']>;

/** Intuned's own error body for a typed 400. */
const badRequest = { code: 'bad-request', category: 'user', message: 'payload[0].apiName is required', retirable: false, correlationId: 'c-1' };
const body = {
  id: 'nightly-scrape',
  payload: [{ apiName: 'list', parameters: {} }],
  configuration: {},
  schedule: null,
  sink: { type: 'webhook', url: 'https://hooks.example/x', headers: { Authorization: 'Bearer t' } },
  proxy: null,
  auth_session: { id: 'shop-login' },
};
const { id, ...update } = body;

type Seen = { method: string; path: string; contentType: unknown; body: unknown };
function recorder(seen: Seen[], statusCode: number, data: unknown = '') {
  return (opts: { method: string; path: string; headers?: unknown; body?: unknown }) => {
    const headers = (opts.headers ?? {}) as Record<string, string>;
    seen.push({ method: opts.method, path: opts.path, contentType: headers['content-type'], body: typeof opts.body === 'string' ? JSON.parse(opts.body) : undefined });
    return { statusCode, data: data as object, responseOptions: json };
  };
}

describe('what is sent', () => {
  it('creates by POST /jobs and updates by PUT /jobs/{id}, each body exactly as given', async () => {
    const { pool, client, path } = setup();
    const seen: Seen[] = [];
    pool.intercept({ path: path('/jobs'), method: 'POST' }).reply(recorder(seen, 201, { id, message: 'created' }));
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).reply(recorder(seen, 200, { id, message: 'updated job successfully' }));
    await expect(client.createJob(body)).resolves.toBeUndefined();
    await expect(client.updateJob(id, update)).resolves.toBeUndefined();
    expect(seen).toEqual([
      { method: 'POST', path: path('/jobs'), contentType: 'application/json', body },
      { method: 'PUT', path: path(`/jobs/${id}`), contentType: 'application/json', body: update },
    ]);
    expect(client.stats().byRoute).toEqual({ 'POST /jobs': 1, 'PUT /jobs/{id}': 1 });
  });

  it('percent-encodes the job ID in update and delete paths, and refuses a dot segment unsent', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs/a(b)%2Cc%2Fd'), method: 'PUT' }).reply(200, {}, json);
    pool.intercept({ path: path('/jobs/a(b)%2Cc%2Fd'), method: 'DELETE' }).reply(204, '');
    await client.updateJob('a(b),c/d', update);
    await expect(client.deleteJob('a(b),c/d')).resolves.toBe('deleted');
    await expect(client.deleteJob('..')).rejects.toBeInstanceOf(InputError);
    expect(client.stats().requests).toBe(2);
  });
});

describe('what each answer becomes', () => {
  it.each([
    ['create: 201 with the SDK body', 'POST', 201, { id, message: 'created' }],
    ['create: 200 with an empty body', 'POST', 200, ''],
    ['create: 204', 'POST', 204, ''],
    ['update: 200 with the SDK body', 'PUT', 200, { id, message: 'updated job successfully' }],
    ['update: 201 with {}', 'PUT', 201, {}],
    ['update: 204', 'PUT', 204, ''],
  ] as const)('%s is done', async (_name, method, status, answer) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path(method === 'POST' ? '/jobs' : `/jobs/${id}`), method }).reply(status, answer, json);
    const port = intunedPort(client);
    expect(await (method === 'POST' ? port.createJob(body) : port.updateJob(id, update))).toEqual({ outcome: 'done' });
  });

  it.each([
    ['is not JSON', '<html>ok</html>', 'its answer is not JSON'],
    ['names another job', { id: 'nightly_scrape', message: 'created' }, 'named another job ID'],
  ])('a 2xx that %s leaves the outcome unknown', async (_name, answer, said) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs'), method: 'POST' }).reply(201, answer);
    const result = await intunedPort(client).createJob(body);
    expect(result).toMatchObject({ outcome: 'outcome-unknown', code: 'outcome-unknown', message: expect.stringContaining(said) });
    expect(JSON.stringify(result)).not.toContain('html');
  });

  it('a typed 400 is refused with the API\'s message and code, not retried', async () => {
    const { pool, client, path, delays } = setup();
    pool.intercept({ path: path('/jobs'), method: 'POST' }).reply(400, badRequest, json);
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).reply(400, badRequest, json);
    const port = intunedPort(client);
    const refused = { outcome: 'refused', message: badRequest.message, code: 'bad-request' };
    expect(await port.createJob(body)).toEqual(refused);
    expect(await port.updateJob(id, update)).toEqual(refused);
    expect(delays).toEqual([]);
  });

  it('a create answered 409 on its first attempt is refused: the ID is someone else\'s job', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs'), method: 'POST' }).reply(409, { message: 'Job already exists' }, json);
    expect(await intunedPort(client).createJob(body)).toEqual({ outcome: 'refused', message: 'Job already exists' });
  });

  it('delete: 204 is deleted, 404 is gone, 409 is in use with the API\'s message', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs/a'), method: 'DELETE' }).reply(204, '');
    pool.intercept({ path: path('/jobs/b'), method: 'DELETE' }).reply(404, { code: 'not-found', message: 'Job not found' }, json);
    pool.intercept({ path: path('/jobs/c'), method: 'DELETE' }).reply(409, { message: 'Job has a running JobRun' }, json);
    pool.intercept({ path: path('/jobs/d'), method: 'DELETE' }).reply(403, { message: 'forbidden' }, json);
    const port = intunedPort(client);
    expect(await port.deleteJob('a')).toEqual({ outcome: 'deleted' });
    expect(await port.deleteJob('b')).toEqual({ outcome: 'gone' });
    expect(await port.deleteJob('c')).toEqual({ outcome: 'in-use', message: 'Job has a running JobRun' });
    await expect(port.deleteJob('d')).rejects.toMatchObject({ status: 403 });
  });

  it('a code-defined job refuses its update and throws on its delete, even as a 409: it is not in use', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).reply(403, { message: 'Job is code-defined and read-only' }, json);
    pool.intercept({ path: path(`/jobs/${id}`), method: 'DELETE' }).reply(409, { message: 'Job is code-defined and read-only' }, json);
    const port = intunedPort(client);
    expect(await port.updateJob(id, update)).toMatchObject({ outcome: 'refused', message: expect.stringContaining('code-defined (made by a deploy') });
    await expect(port.deleteJob(id)).rejects.toMatchObject({ status: 409 });
  });
});

describe('retries', () => {
  it.each([429, 500, 502, 503, 504])('update and delete are retried after %i', async (status) => {
    const { pool, client, path, delays } = setup();
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).reply(status, {}, json);
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).reply(200, { id }, json);
    pool.intercept({ path: path(`/jobs/${id}`), method: 'DELETE' }).reply(status, {}, json);
    pool.intercept({ path: path(`/jobs/${id}`), method: 'DELETE' }).reply(204, '');
    await expect(client.updateJob(id, update)).resolves.toBeUndefined();
    await expect(client.deleteJob(id)).resolves.toBe('deleted');
    expect(delays).toEqual([500, 500]);
  });

  it('update and delete are retried after a dropped connection; a delete that landed is gone', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).replyWithError(netError('ECONNRESET'));
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).reply(200, {}, json);
    pool.intercept({ path: path(`/jobs/${id}`), method: 'DELETE' }).replyWithError(netError('UND_ERR_SOCKET'));
    pool.intercept({ path: path(`/jobs/${id}`), method: 'DELETE' }).reply(404, {}, json);
    const port = intunedPort(client);
    expect(await port.updateJob(id, update)).toEqual({ outcome: 'done' });
    expect(await port.deleteJob(id)).toEqual({ outcome: 'gone' });
  });

  it('a create is repeated after a lost answer and is done when the repeat is accepted', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs'), method: 'POST' }).replyWithError(netError('ECONNRESET'));
    pool.intercept({ path: path('/jobs'), method: 'POST' }).reply(201, { id, message: 'created' }, json);
    expect(await intunedPort(client).createJob(body)).toEqual({ outcome: 'done' });
  });

  it.each([
    ['a dropped connection', (attempt: Interceptor) => attempt.replyWithError(netError('ECONNRESET'))],
    ['a 500', (attempt: Interceptor) => attempt.reply(500, {})],
    ['a 504', (attempt: Interceptor) => attempt.reply(504, {})],
  ])('a create whose repeat answers 409 after %s is outcome-unknown, not refused', async (_name, first) => {
    const { pool, client, path } = setup();
    first(pool.intercept({ path: path('/jobs'), method: 'POST' }));
    pool.intercept({ path: path('/jobs'), method: 'POST' }).reply(409, { message: 'Job already exists' }, json);
    const answer = await intunedPort(client).createJob(body);
    expect(answer).toMatchObject({ outcome: 'outcome-unknown', code: 'outcome-unknown' });
    expect(answer.outcome !== 'done' && answer.message).toMatch(/repeat says the job ID already exists/);
  });

  it('writes whose every attempt loses its connection have no answer', async () => {
    const { pool, client, path } = setup({ retry: { budgetMs: 600 } });
    pool.intercept({ path: path('/jobs'), method: 'POST' }).replyWithError(netError('ECONNRESET')).times(2);
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).replyWithError(netError('ECONNRESET')).times(2);
    const port = intunedPort(client);
    expect(await port.createJob(body)).toMatchObject({ outcome: 'no-answer' });
    expect(await port.updateJob(id, update)).toMatchObject({ outcome: 'no-answer' });
    expect(client.stats().requests).toBe(4);
  });
});

describe('the deadline', () => {
  it('once passed, writes are timed out unsent, and a delete throws', async () => {
    const { client } = setup({ deadline: NOW - 1 });
    const port = intunedPort(client);
    expect(await port.createJob(body)).toMatchObject({ outcome: 'timed-out', code: 'timed-out' });
    expect(await port.updateJob(id, update)).toMatchObject({ outcome: 'timed-out', code: 'timed-out' });
    await expect(port.deleteJob(id)).rejects.toMatchObject({ code: 'timed-out' });
    expect(client.stats().requests).toBe(0);
  });

  it('an update cut off after an attempt that may have acted is outcome-unknown, not timed-out', async () => {
    const { pool, client, path } = setup({ deadline: NOW + 400 });
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).reply(500, {}, json);
    expect(await intunedPort(client).updateJob(id, update)).toMatchObject({ outcome: 'outcome-unknown', code: 'outcome-unknown' });
  });

  it('an update turned away (503) before the deadline is timed out: it was never carried out', async () => {
    const { pool, client, path } = setup({ deadline: NOW + 400 });
    pool.intercept({ path: path(`/jobs/${id}`), method: 'PUT' }).reply(503, {}, json);
    const error = await client.updateJob(id, update).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'timed-out' });
  });
});
