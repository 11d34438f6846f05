import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError, InputError } from '../../src/errors.js';
import { CLIENT_VERSION, USER_AGENT } from '../../src/api/options.js';
import { isInUseError } from '../../src/api/failures.js';
import { API_KEY, BASE_PATH, WORKSPACE, json, useMockClient } from './mock.js';

const setup = useMockClient();

type Seen = { method: string; path: string; headers: Record<string, string>; body: unknown };
function recorder(seen: Seen[], statusCode: number, data: unknown = '') {
  return (opts: { method: string; path: string; headers?: unknown; body?: unknown }) => {
    seen.push({
      method: opts.method,
      path: opts.path,
      headers: opts.headers as Record<string, string>,
      body: typeof opts.body === 'string' ? JSON.parse(opts.body) : undefined,
    });
    return { statusCode, data: data as object, responseOptions: json };
  };
}

describe('wire details', () => {
  it('sends the key, accept and user agent, and no content-type without a body', async () => {
    const { pool, client, path } = setup();
    const seen: Seen[] = [];
    pool
      .intercept({ path: path('/auth-sessions'), method: 'GET' })
      .reply(recorder(seen, 200, [{ id: 'a1', type: 'API', status: 'READY', createdAt: 'x', extra: { y: 1 } }]));
    await expect(client.listAuthSessions()).resolves.toEqual([{ id: 'a1', type: 'API', status: 'READY' }]);
    expect(seen[0]?.headers).toMatchObject({
      'x-api-key': API_KEY,
      accept: 'application/json',
      'user-agent': `intuned-gitops/${CLIENT_VERSION}`,
    });
    expect(seen[0]?.headers).not.toHaveProperty('content-type');
  });

  it('keeps the user agent version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(USER_AGENT).toBe(`intuned-gitops/${pkg.version}`);
  });

  it('posts the create body as JSON with content-type', async () => {
    const { pool, client, path } = setup();
    const seen: Seen[] = [];
    pool
      .intercept({ path: path('/auth-sessions/create'), method: 'POST' })
      .reply(recorder(seen, 201, { status: 'started', operationId: 'op-1' }));
    const body = { id: 'shop-login', parameters: { username: 'u', password: 'p' }, proxy: null, createAttempts: 2 };
    await expect(client.startCreate(body)).resolves.toEqual({ operationId: 'op-1' });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.body).toEqual(body);
  });

  it('encodes every path segment, IDs with (), included', async () => {
    const { agent, client } = setup({ workspaceId: 'w/1', project: 'my project' });
    const pool = agent.get('https://app.intuned.io');
    pool
      .intercept({ path: `${BASE_PATH}/w%2F1/projects/my%20project/auth-sessions/a(b)%2Cc%2Fd`, method: 'GET' })
      .reply(200, { id: 'a(b),c/d', type: 'API', status: 'READY' }, json);
    await expect(client.getAuthSession('a(b),c/d')).resolves.toMatchObject({ id: 'a(b),c/d' });
  });

  it('refuses a dot segment, which URL parsers would read as another path', async () => {
    const { client } = setup();
    await expect(client.deleteAuthSession('..')).rejects.toThrow('".." cannot be an ID or name in an Intuned API path');
    await expect(client.getAuthSession('.')).rejects.toThrow(InputError);
  });

  it('answers undefined for a session that does not exist', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/gone'), method: 'GET' }).reply(404, { message: 'not found' }, json);
    await expect(client.getAuthSession('gone')).resolves.toBeUndefined();
  });
});

describe('delete', () => {
  it('resolves on 204 and on 404 (already gone)', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/a1'), method: 'DELETE' }).reply(204, '');
    pool.intercept({ path: path('/auth-sessions/a2'), method: 'DELETE' }).reply(404, { message: 'not found' }, json);
    await expect(client.deleteAuthSession('a1')).resolves.toBeUndefined();
    await expect(client.deleteAuthSession('a2')).resolves.toBeUndefined();
  });

  it.each([
    [409, { message: 'conflict' }, true],
    [400, { message: 'AuthSession is in use by an active job run' }, true],
    [400, { code: 'auth-session-in-use', message: 'cannot delete' }, true],
    [400, { message: 'invalid id' }, false],
  ])('status %i %j is in use: %s', async (status, body, inUse) => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/a1'), method: 'DELETE' }).reply(status, body, json);
    const error = await client.deleteAuthSession('a1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, method: 'DELETE', retryable: false });
    expect(isInUseError(error)).toBe(inUse);
  });
});

describe('operations, current API', () => {
  it('starts and reads update and validate at their paths', async () => {
    const { pool, client, path } = setup();
    const seen: Seen[] = [];
    pool
      .intercept({ path: path('/auth-sessions/a1/update'), method: 'POST' })
      .reply(recorder(seen, 201, { status: 'started', operationId: 'u1' }));
    pool
      .intercept({ path: path('/auth-sessions/a1/update/u1/result'), method: 'GET' })
      .reply(200, { status: 'in_progress', runId: 'r'.repeat(21) }, json);
    pool
      .intercept({ path: path('/auth-sessions/a1/validate/start'), method: 'POST' })
      .reply(recorder(seen, 201, { status: 'pending', operationId: 'v1' }));
    pool
      .intercept({ path: path('/auth-sessions/a1/validate/v1/result'), method: 'GET' })
      .reply(200, { status: 'done', authSessionId: 'a1' }, json);
    pool
      .intercept({ path: path('/auth-sessions/create/c1/result'), method: 'GET' })
      .reply(200, { status: 'pending' }, json);

    await expect(client.startUpdate('a1', { parameters: { p: 1 } })).resolves.toEqual({ operationId: 'u1' });
    await expect(client.getUpdateResult('a1', 'u1')).resolves.toEqual({ status: 'in_progress', runId: 'r'.repeat(21) });
    await expect(client.startValidate('a1', { autoRecreate: false })).resolves.toEqual({ operationId: 'v1' });
    await expect(client.getValidateResult('a1', 'v1')).resolves.toEqual({ status: 'done', authSessionId: 'a1' });
    await expect(client.getCreateResult('c1')).resolves.toEqual({ status: 'pending' });
    expect(seen.map((s) => s.body)).toEqual([{ parameters: { p: 1 } }, { autoRecreate: false }]);
  });

  it('normalises a current failed result (retirable → retryable)', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/auth-sessions/create/c1/result'), method: 'GET' }).reply(
      200,
      {
        status: 'failed',
        message: 'Login failed',
        error: { message: 'check failed', code: 'auth-check-failed', category: 'auth', retirable: false, correlationId: 'c-9', details: { x: 1 } },
      },
      json,
    );
    await expect(client.getCreateResult('c1')).resolves.toEqual({
      status: 'failed',
      message: 'Login failed',
      error: { message: 'check failed', code: 'auth-check-failed', category: 'auth', retryable: false, correlationId: 'c-9' },
    });
  });
});

describe('operations, older API', () => {
  it('updates with the id in the body and reads results and resumes at the old paths', async () => {
    const { pool, client, path } = setup({ apiGeneration: 'legacy' });
    const seen: Seen[] = [];
    pool
      .intercept({ path: path('/auth-sessions/update'), method: 'POST' })
      .reply(recorder(seen, 201, { status: 'started', operationId: 'u1' }));
    pool.intercept({ path: path('/auth-sessions/update/u1/result'), method: 'GET' }).reply(
      200,
      { status: 'requested_more_info', id: 'info-1', details: { requestType: 'otp', action: 'request_more_info', messageToUser: 'Code?' } },
      json,
    );
    pool
      .intercept({ path: path('/auth-sessions/update/u1/resume'), method: 'POST' })
      .reply(recorder(seen, 202, { status: 'resumed' }));
    pool
      .intercept({ path: path('/auth-sessions/create/c1/result'), method: 'GET' })
      .reply(200, { status: 'failed', error: 'create-attempts-failed', message: 'Could not log in' }, json);

    await expect(client.startUpdate('a(1)', { parameters: { p: 2 } })).resolves.toEqual({ operationId: 'u1' });
    await expect(client.getUpdateResult('a(1)', 'u1')).resolves.toEqual({
      status: 'requested_more_info',
      infoRequestId: 'info-1',
      requestType: 'otp',
      messageToUser: 'Code?',
    });
    await expect(client.resume('update', 'u1', { input: '123456', infoRequestId: 'info-1' }, 'a(1)')).resolves.toBeUndefined();
    await expect(client.getCreateResult('c1')).resolves.toEqual({
      status: 'failed',
      message: 'Could not log in',
      error: { message: 'Could not log in', code: 'create-attempts-failed' },
    });
    expect(seen.map((s) => s.body)).toEqual([
      { parameters: { p: 2 }, id: 'a(1)' },
      { input: '123456', infoRequestId: 'info-1' },
    ]);
  });
});

describe('jobs', () => {
  it('lists jobs with snake_case, camelCase or no session', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs'), method: 'GET' }).reply(
      200,
      [
        { id: 'j1', state: 'ACTIVE', auth_session: { id: 'a1', checkAttempts: 2 }, payload: [], sink: null },
        { id: 'j2', state: 'PAUSED', auth_session: null },
        { id: 'j3', authSession: { id: 'a3' } },
      ],
      json,
    );
    await expect(client.listJobs()).resolves.toEqual([
      { id: 'j1', state: 'ACTIVE', auth_session: { id: 'a1', checkAttempts: 2 }, definition: { auth_session: { id: 'a1', checkAttempts: 2 }, payload: [], sink: null } },
      { id: 'j2', state: 'PAUSED', auth_session: null, definition: { auth_session: null } },
      { id: 'j3', auth_session: { id: 'a3' }, definition: { auth_session: { id: 'a3' } } },
    ]);
  });
});

describe('stats and events', () => {
  it('counts attempts by route and status, and reports events without headers', async () => {
    const { pool, client, path, events } = setup();
    pool.intercept({ path: path('/auth-sessions'), method: 'GET' }).reply(200, [], json);
    pool.intercept({ path: path('/auth-sessions/x'), method: 'GET' }).reply(404, {}, json);
    pool.intercept({ path: path('/auth-sessions/y'), method: 'GET' }).reply(200, { id: 'y', type: 'API', status: 'READY' }, json);
    await client.listAuthSessions();
    await client.getAuthSession('x');
    await client.getAuthSession('y');
    expect(client.stats()).toEqual({
      requests: 3,
      retries: 0,
      retryDelayMs: 0,
      byRoute: { 'GET /auth-sessions': 1, 'GET /auth-sessions/{id}': 2 },
      byStatus: { '200': 2, '404': 1 },
    });
    expect(events.map((e) => [e.method, e.path, e.status, e.attempt])).toEqual([
      ['GET', `/${WORKSPACE}/projects/my%20project/auth-sessions`, 200, 1],
      ['GET', `/${WORKSPACE}/projects/my%20project/auth-sessions/x`, 404, 1],
      ['GET', `/${WORKSPACE}/projects/my%20project/auth-sessions/y`, 200, 1],
    ]);
    expect(JSON.stringify(events)).not.toContain(API_KEY);
  });
});
