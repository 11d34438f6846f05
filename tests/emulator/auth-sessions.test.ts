import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { API_KEY, client, emulator, PROJECT, WORKSPACE } from './helpers.js';
import type { Client } from './helpers.js';

let emu: EmulatorHandle;
let api: Client;

beforeEach(async () => {
  emu = await emulator({ operationDurationMs: 50 });
  api = client(emu);
});
afterEach(async () => {
  await emu.close();
});

describe('auth-session endpoints', () => {
  it('serves its base URL like the real one', () => {
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}/api/v1/workspace`);
  });

  it('lists and gets sessions as {id, type, status}', async () => {
    emu.seedSession({ id: 'seeded-1', type: 'RECORDER', status: 'EXPIRED' });
    const list = await api.get('/auth-sessions');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([{ id: 'seeded-1', type: 'RECORDER', status: 'EXPIRED' }]);
    const one = await api.get('/auth-sessions/seeded-1');
    expect(one).toMatchObject({ status: 200, body: { id: 'seeded-1', type: 'RECORDER', status: 'EXPIRED' } });
    const missing = await api.get('/auth-sessions/nobody');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: 'Auth session nobody not found' });
    expect(missing.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('creates a PENDING CREDENTIALS session at once and answers 201 {status, operationId}', async () => {
    // An operation that outlasts the test, so a slow machine cannot see it finished already.
    await emu.close();
    emu = await emulator({ operationDurationMs: 600_000 });
    api = client(emu);
    const started = await api.post('/auth-sessions/create', { id: 'acme-login', parameters: { username: 'u' } });
    expect(started.status).toBe(201);
    expect(started.body).toEqual({ status: 'started', operationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await api.get('/auth-sessions/acme-login')).body).toEqual({ id: 'acme-login', type: 'CREDENTIALS', status: 'PENDING' });
  });

  it('keeps the sent body on the session and in the request log', async () => {
    const body = { id: 'with-settings', parameters: { password: 'secret' }, proxy: 'http://u:p@proxy:8080', createAttempts: 2, checkAttempts: 4, saveTrace: false, requestTimeout: 1000, unknownField: 1 };
    expect((await api.post('/auth-sessions/create', body)).status).toBe(201);
    expect(emu.sessions()).toEqual([
      {
        id: 'with-settings',
        type: 'CREDENTIALS',
        status: 'PENDING',
        parameters: { password: 'secret' },
        proxy: 'http://u:p@proxy:8080',
        createAttempts: 2,
        checkAttempts: 4,
        saveTrace: false,
        workspaceId: WORKSPACE,
        project: PROJECT,
      },
    ]);
    expect(emu.requests.at(-1)).toEqual({
      method: 'POST',
      path: `/${WORKSPACE}/projects/${PROJECT}/auth-sessions/create`,
      status: 201,
      body,
      at: expect.any(Number),
    });
  });

  it('generates a UUID when the id is missing', async () => {
    await api.post('/auth-sessions/create', { parameters: {} });
    const [session] = emu.sessions();
    expect(session?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('answers 409 for an existing ID', async () => {
    emu.seedSession({ id: 'taken' });
    const answer = await api.post('/auth-sessions/create', { id: 'taken', parameters: {} });
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({ message: 'Auth session taken already exists' });
  });

  it.each([
    ['a short id', { id: 'ab', parameters: {} }, 'id must be at least 3 characters long'],
    ['a bad character', { id: 'a.b.c', parameters: {} }, 'id must match ^[a-zA-Z0-9-(),_]+$'],
    ['a space', { id: 'has space', parameters: {} }, 'id must match'],
    ['a non-string id', { id: 123, parameters: {} }, 'id must be a string'],
    ['missing parameters', { id: 'abc' }, 'parameters is required'],
    ['array parameters', { id: 'abc', parameters: [] }, 'parameters must be an object'],
    ['a non-URI proxy', { parameters: {}, proxy: 'not a uri' }, 'proxy must be a URI or null'],
    ['fractional attempts', { parameters: {}, createAttempts: 1.5 }, 'createAttempts must be an integer of at least 1'],
    ['zero check attempts', { parameters: {}, checkAttempts: 0 }, 'checkAttempts must be an integer of at least 1'],
    ['a string saveTrace', { parameters: {}, saveTrace: 'yes' }, 'saveTrace must be a boolean'],
    ['a negative requestTimeout', { parameters: {}, requestTimeout: -1 }, 'requestTimeout must be a positive number'],
    ['an array body', [], 'the body must be a JSON object'],
  ])('refuses %s with 400 and a message naming the field', async (_name, body, message) => {
    const answer = await api.post('/auth-sessions/create', body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
    expect(answer.body.details).toEqual(expect.arrayContaining([{ message: expect.stringContaining(message) }]));
    expect(emu.sessions()).toEqual([]);
  });

  it('accepts the ID characters the pattern allows and a null proxy', async () => {
    const answer = await api.post('/auth-sessions/create', { id: 'a-(b),_9', parameters: {}, proxy: null });
    expect(answer.status).toBe(201);
    expect((await api.get(`/auth-sessions/${encodeURIComponent('a-(b),_9')}`)).body.id).toBe('a-(b),_9');
  });

  it('never echoes a value in a 400 message', async () => {
    const answer = await api.post('/auth-sessions/create', { id: 'x', parameters: {}, proxy: 'http//secret-pass' });
    expect(JSON.stringify(answer.body)).not.toContain('secret-pass');
  });

  it('answers 400 for a body that is not JSON, and for an empty create body', async () => {
    const bad = await api.raw('/auth-sessions/create', { method: 'POST', body: '{"id":', headers: { 'content-type': 'application/json' } });
    expect(bad).toMatchObject({ status: 400, body: { message: 'The request body is not valid JSON' } });
    expect((await api.post('/auth-sessions/create')).status).toBe(400);
  });

  it('answers 413 for a body over the limit', async () => {
    const big = JSON.stringify({ parameters: { blob: 'x'.repeat(1_100_000) } });
    const answer = await api.raw('/auth-sessions/create', { method: 'POST', body: big });
    expect(answer.status).toBe(413);
    expect(emu.requests.at(-1)).not.toHaveProperty('body');
  });

  it('deletes with 204 and an empty body, then 404', async () => {
    emu.seedSession({ id: 'to-delete' });
    const deleted = await api.delete('/auth-sessions/to-delete');
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    expect(deleted.headers.get('content-type')).toBeNull();
    expect((await api.delete('/auth-sessions/to-delete')).status).toBe(404);
    expect((await api.get('/auth-sessions')).body).toEqual([]);
  });

  it('still reaches a session whose ID is "create" by GET and DELETE', async () => {
    emu.seedSession({ id: 'create' });
    expect((await api.get('/auth-sessions/create')).body).toMatchObject({ id: 'create' });
    expect((await api.delete('/auth-sessions/create')).status).toBe(204);
  });

  it('keeps state per workspace and project', async () => {
    await api.post('/auth-sessions/create', { id: 'only-here', parameters: {} });
    const other = client(emu, { project: 'other-project' });
    const otherWorkspace = client(emu, { workspaceId: 'another-workspace' });
    expect((await other.get('/auth-sessions')).body).toEqual([]);
    expect((await otherWorkspace.get('/auth-sessions/only-here')).status).toBe(404);
    expect((await other.post('/auth-sessions/create', { id: 'only-here', parameters: {} })).status).toBe(201);
    expect(emu.sessions({ project: PROJECT }).map((s) => s.id)).toEqual(['only-here']);
    expect(emu.sessions().length).toBe(2);
  });

  it('copies an unscoped seed into every project and a scoped one into its project only', async () => {
    emu.seedSession({ id: 'everywhere' });
    emu.seedSession({ id: 'just-b', workspaceId: WORKSPACE, project: 'b' });
    const a = client(emu, { project: 'a' });
    const b = client(emu, { project: 'b' });
    expect((await a.get('/auth-sessions')).body.map((s: { id: string }) => s.id)).toEqual(['everywhere']);
    expect((await b.get('/auth-sessions')).body.map((s: { id: string }) => s.id)).toEqual(['everywhere', 'just-b']);
    await a.delete('/auth-sessions/everywhere');
    expect((await b.get('/auth-sessions/everywhere')).status).toBe(200);
  });
});

describe('authentication and routing', () => {
  it.each([
    ['a missing key', null],
    ['an empty key', ''],
    ['a wrong key', 'wrong-key'],
  ])('answers 401 for %s', async (_name, key) => {
    const answer = await client(emu, { key }).get('/auth-sessions');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      code: 'unauthorized',
      category: 'auth',
      message: 'Unauthorized',
      retirable: false,
      correlationId: answer.headers.get('x-correlation-id'),
    });
  });

  it('accepts any non-empty key when none is configured', async () => {
    const open = await emulator({ apiKey: undefined });
    try {
      expect((await client(open, { key: 'anything' }).get('/auth-sessions')).status).toBe(200);
      expect((await client(open, { key: null }).get('/auth-sessions')).status).toBe(401);
    } finally {
      await open.close();
    }
  });

  it('answers 404 JSON for unknown routes and methods', async () => {
    for (const [method, path] of [
      ['GET', '/nothing-here'],
      ['PUT', '/auth-sessions/x1x'],
      ['POST', '/auth-sessions/x1x/update/extra'],
      ['GET', '/auth-sessions/x1x/validate/start'],
    ] as const) {
      const answer = await api.raw(path, { method });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'not-found', category: 'user', retirable: false });
    }
    const outside = await fetch(`http://127.0.0.1:${emu.port}/elsewhere`, { headers: { 'x-api-key': API_KEY } });
    expect(outside.status).toBe(404);
    expect(emu.requests.at(-1)).toMatchObject({ method: 'GET', path: '/elsewhere', status: 404 });
  });

  it('tolerates a trailing slash and logs the query', async () => {
    expect((await api.get('/auth-sessions/')).status).toBe(200);
    await api.get('/auth-sessions?x=1');
    expect(emu.requests.at(-1)?.path).toBe(`/${WORKSPACE}/projects/${PROJECT}/auth-sessions?x=1`);
  });

  it('counts requests even with the request log off', async () => {
    const quiet = await emulator({ logRequests: false });
    try {
      await client(quiet).get('/auth-sessions');
      await client(quiet).get('/auth-sessions');
      expect(quiet.requests).toEqual([]);
      expect(quiet.requestCount()).toBe(2);
    } finally {
      await quiet.close();
    }
  });
});
