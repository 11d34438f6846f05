import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { OUTCOME_UNKNOWN_CODE, isOutcomeUnknownError } from '../../src/api/failures.js';
import { RETRY_AFTER_MAX_MS, RETRY_BUDGET_MS } from '../../src/api/retry.js';
import { NOW, json, mockClient, useMockClient, netError } from './mock.js';

const setup = useMockClient();

const session = { id: 'a1', type: 'API', status: 'READY' };
const started = { status: 'started', operationId: 'op-1' };

describe('idempotent requests', () => {
  it.each([429, 500, 502, 503, 504])('retries a GET answered %i', async (status) => {
    const { pool, client, path, delays } = setup();
    pool.intercept({ path: path('/auth-sessions/a1') }).reply(status, { message: 'busy' }, json);
    pool.intercept({ path: path('/auth-sessions/a1') }).reply(200, session, json);
    await expect(client.getAuthSession('a1')).resolves.toEqual(session);
    expect(delays).toEqual([500]);
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1, byStatus: { [String(status)]: 1, '200': 1 } });
  });

  it('backs off exponentially (×1.5 from 500 ms) and gives up when the time budget is spent, not after a count', async () => {
    const { pool, client, path, delays } = setup();
    // 500 + 750 + ... + 28,833 ms = 85.5 s; the next wait (43.2 s) would pass the 120 s budget.
    const attempts = 12;
    pool.intercept({ path: path('/auth-sessions') }).reply(503, { message: 'down' }, json).times(attempts);
    const error = await client.listAuthSessions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, retryable: true, message: 'down' });
    expect(delays.slice(0, 5)).toEqual([500, 750, 1125, 1688, 2531]);
    expect(delays).toHaveLength(attempts - 1);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(RETRY_BUDGET_MS);
    expect(client.stats()).toMatchObject({ requests: attempts, retries: attempts - 1 });
  });

  it('gets through a run of ten faults in a row (a storm), 429s and 503s alike', async () => {
    const { pool, client, path } = setup();
    for (let index = 0; index < 10; index += 1) {
      pool.intercept({ path: path('/auth-sessions') }).reply(index % 2 ? 503 : 429, {}, { headers: { 'retry-after': '1' } });
    }
    pool.intercept({ path: path('/auth-sessions') }).reply(200, [], json);
    await expect(client.listAuthSessions()).resolves.toEqual([]);
    expect(client.stats()).toMatchObject({ requests: 11, retries: 10 });
  });

  it('counts the time attempts take against the budget, not only the waits', async () => {
    let now = 0;
    const { pool, client, path, delays } = setup({ now: () => now, retry: { budgetMs: 8_000 } });
    pool.intercept({ path: path('/auth-sessions') }).reply(() => {
      now += 4_000;
      return { statusCode: 503, data: {} };
    }).times(2);
    await expect(client.listAuthSessions()).rejects.toMatchObject({ status: 503 });
    // 4 s + 0.5 s + 4 s = 8.5 s: no third attempt, though the waits alone (1.25 s) would allow it.
    expect(delays).toEqual([500]);
  });

  it('adds up to 1 s of jitter', async () => {
    const { pool, client, path, delays } = setup({ random: () => 0.5 });
    pool.intercept({ path: path('/auth-sessions') }).reply(500, {}, json);
    pool.intercept({ path: path('/auth-sessions') }).reply(200, [], json);
    await client.listAuthSessions();
    expect(delays).toEqual([1000]);
  });

  it('honours Retry-After in seconds and as an HTTP date, capped', async () => {
    const { pool, client, path, delays } = setup();
    const at = new Date(NOW + 12_000).toUTCString();
    pool.intercept({ path: path('/auth-sessions') }).reply(429, {}, { headers: { 'retry-after': '7' } });
    pool.intercept({ path: path('/auth-sessions') }).reply(429, {}, { headers: { 'retry-after': at } });
    pool.intercept({ path: path('/auth-sessions') }).reply(503, {}, { headers: { 'retry-after': '86400' } });
    pool.intercept({ path: path('/auth-sessions') }).reply(200, [], json);
    await client.listAuthSessions();
    expect(delays).toEqual([7000, 12_000, RETRY_AFTER_MAX_MS]);
  });

  it('stops when the waits would exceed the total budget', async () => {
    const { pool, client, path, delays } = setup();
    pool.intercept({ path: path('/auth-sessions') }).reply(429, {}, { headers: { 'retry-after': '60' } }).times(3);
    await expect(client.listAuthSessions()).rejects.toMatchObject({ status: 429, retryable: true });
    expect(delays).toEqual([60_000, 60_000]);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(RETRY_BUDGET_MS);
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET', 'ECONNREFUSED', 'UND_ERR_HEADERS_TIMEOUT'])(
    'retries a GET and a DELETE after %s',
    async (code) => {
      const { pool, client, path } = setup();
      pool.intercept({ path: path('/auth-sessions') }).replyWithError(netError(code));
      pool.intercept({ path: path('/auth-sessions') }).reply(200, [], json);
      pool.intercept({ path: path('/auth-sessions/a1'), method: 'DELETE' }).replyWithError(netError(code));
      pool.intercept({ path: path('/auth-sessions/a1'), method: 'DELETE' }).reply(404, {}, json);
      await expect(client.listAuthSessions()).resolves.toEqual([]);
      await expect(client.deleteAuthSession('a1')).resolves.toBeUndefined();
      expect(client.stats().byStatus).toMatchObject({ none: 2 });
    },
  );

  it('retries a GET that timed out', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs') }).replyWithError(new DOMException('timed out', 'TimeoutError'));
    pool.intercept({ path: path('/jobs') }).reply(200, [], json);
    await expect(client.listJobs()).resolves.toEqual([]);
  });

  it('reports a connection error after the last attempt as retryable, with no status', async () => {
    // 500 ms of waiting fits a 600 ms budget; the next 750 ms does not: two attempts.
    const { pool, client, path } = setup({ retry: { budgetMs: 600 } });
    pool.intercept({ path: path('/jobs') }).replyWithError(netError('ECONNRESET')).times(2);
    await expect(client.listJobs()).rejects.toMatchObject({
      status: undefined,
      code: 'ECONNRESET',
      retryable: true,
      message: expect.stringMatching(/^no response: .*ECONNRESET/),
    });
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry %i', async (status) => {
    const { pool, client, path, delays } = setup();
    pool.intercept({ path: path('/jobs') }).reply(status, { message: 'no' }, json);
    await expect(client.listJobs()).rejects.toMatchObject({ status, retryable: false });
    expect(delays).toEqual([]);
  });
});

describe('POSTs that start work (update, validate, resume)', () => {
  const starts = {
    update: (c: ReturnType<typeof mockClient>['client']) => c.startUpdate('a1', { parameters: {} }),
    validate: (c: ReturnType<typeof mockClient>['client']) => c.startValidate('a1', {}),
  };
  const paths = { update: '/auth-sessions/a1/update', validate: '/auth-sessions/a1/validate/start' };

  it.each([
    ['update', 429],
    ['update', 503],
    ['validate', 429],
    ['validate', 503],
  ] as const)('%s is retried after %i (turned away before processing)', async (kind, status) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path(paths[kind]), method: 'POST' }).reply(status, {}, json);
    pool.intercept({ path: path(paths[kind]), method: 'POST' }).reply(201, started, json);
    await expect(starts[kind](client)).resolves.toEqual({ operationId: 'op-1' });
  });

  it.each([
    ['update', 'ECONNRESET'],
    ['update', 'UND_ERR_SOCKET'],
    ['validate', 'UND_ERR_HEADERS_TIMEOUT'],
  ] as const)('%s is not repeated after %s: outcome unknown', async (kind, code) => {
    const { pool, client, path, delays } = setup();
    pool.intercept({ path: path(paths[kind]), method: 'POST' }).replyWithError(netError(code));
    const error = await starts[kind](client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: OUTCOME_UNKNOWN_CODE, retryable: false, status: undefined, method: 'POST' });
    expect((error as Error).message).toMatch(/outcome unknown.*not repeated/);
    expect(delays).toEqual([]);
  });

  it.each([500, 502, 504])('update is not repeated after %i', async (status) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path(paths.update), method: 'POST' }).reply(status, {}, json);
    await expect(starts.update(client)).rejects.toMatchObject({ code: OUTCOME_UNKNOWN_CODE, status, retryable: false });
    expect(client.stats().requests).toBe(1);
  });

  it('is retried after a refused connection (never sent)', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path(paths.update), method: 'POST' }).replyWithError(netError('ECONNREFUSED'));
    pool.intercept({ path: path(paths.update), method: 'POST' }).reply(201, started, json);
    await expect(starts.update(client)).resolves.toEqual({ operationId: 'op-1' });
  });

  it('resume is not repeated after a 502', async () => {
    const { pool, client, path } = setup({ apiGeneration: 'legacy' });
    pool.intercept({ path: path('/auth-sessions/create/op-1/resume'), method: 'POST' }).reply(502, 'Bad Gateway');
    const error = await client.resume('create', 'op-1', { input: '1', infoRequestId: 'i' }).catch((e: unknown) => e);
    expect(isOutcomeUnknownError(error)).toBe(true);
  });
});

describe('create-start, keyed by the session ID', () => {
  const body = { id: 'a1', parameters: { user: 'u' } };

  it('is repeated after a lost answer, and succeeds when the repeat is accepted', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).replyWithError(netError('ECONNRESET'));
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).reply(502, 'gateway');
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).reply(201, started, json);
    await expect(client.startCreate(body)).resolves.toEqual({ operationId: 'op-1' });
  });

  it.each([
    [409, { message: 'conflict' }],
    [400, { message: 'AuthSession with id a1 already exists' }],
  ])('reports outcome unknown when the repeat says the ID exists (%i)', async (status, answer) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).replyWithError(netError('UND_ERR_SOCKET'));
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).reply(status, answer, json);
    const error = await client.startCreate(body).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: OUTCOME_UNKNOWN_CODE, status, retryable: false });
  });

  it('reports a conflict on the first attempt as the conflict it is', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).reply(409, { message: 'exists' }, json);
    await expect(client.startCreate(body)).rejects.toMatchObject({ status: 409, message: 'exists', retryable: false });
  });

  it('reports outcome unknown when every attempt may have reached the server', async () => {
    const { pool, client, path } = setup({ retry: { budgetMs: 1_500 } });
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).reply(500, {}, json).times(3);
    await expect(client.startCreate(body)).rejects.toMatchObject({ code: OUTCOME_UNKNOWN_CODE, status: 500 });
  });
});
