import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle, EmulatorOptions, OutcomeRequest } from '../../src/emulator/index.js';
import { client, emulator, pollUntil, PROJECT, WORKSPACE } from './helpers.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import type { Client } from './helpers.js';

const DURATION = 100;

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(options: EmulatorOptions = {}): Promise<{ api: Client; clock: VirtualClock; emu: EmulatorHandle }> {
  const clock = new VirtualClock(1_700_000_000_000);
  emu = await emulator({ operationDurationMs: DURATION, now: clock.now, ...options });
  return { api: client(emu), clock, emu };
}

async function create(api: Client, id: string, parameters: Record<string, unknown> = {}): Promise<string> {
  const answer = await api.post('/auth-sessions/create', { id, parameters });
  expect(answer.status).toBe(201);
  return answer.body.operationId as string;
}

describe('operation lifecycle', () => {
  it('moves a create from pending to in_progress (with a 21-char runId) to done, and the session to READY', async () => {
    const { api, clock } = await setup();
    const operationId = await create(api, 'acme');
    const result = (): Promise<any> => api.get(`/auth-sessions/create/${operationId}/result`).then((a) => a.body);
    expect(await result()).toEqual({ status: 'pending' });
    clock.advance(DURATION * 0.2);
    const running = await result();
    expect(running).toEqual({ status: 'in_progress', runId: expect.stringMatching(/^[A-Za-z0-9_-]{21}$/) });
    expect((await api.get('/auth-sessions/acme')).body.status).toBe('PENDING');
    clock.advance(DURATION * 0.7);
    expect(await result()).toEqual(running);
    clock.advance(DURATION * 0.1);
    expect(await result()).toEqual({ status: 'done', authSessionId: 'acme' });
    expect((await api.get('/auth-sessions/acme')).body).toEqual({ id: 'acme', type: 'CREDENTIALS', status: 'READY' });
    clock.advance(DURATION * 10);
    expect(await result()).toEqual({ status: 'done', authSessionId: 'acme' });
  });

  it('ends failed with the current error shape and leaves a first create EXPIRED', async () => {
    const { api, clock } = await setup();
    const operationId = await create(api, 'bad-login', { password: 'emulator:fail' });
    clock.advance(DURATION);
    expect((await api.get(`/auth-sessions/create/${operationId}/result`)).body).toEqual({
      status: 'failed',
      message: 'Login check failed: the credentials were rejected',
      error: { message: 'Login check failed: the credentials were rejected', code: 'auth-check-failed', category: 'auth', retirable: false },
    });
    expect((await api.get('/auth-sessions/bad-login')).body.status).toBe('EXPIRED');
  });

  it('ends canceled with a reason, and a hang stays in_progress for ever with the session PENDING', async () => {
    const { api, clock } = await setup();
    const canceled = await create(api, 'cancel-me', { x: 'emulator:cancel' });
    const hung = await create(api, 'hang-me', { x: 'emulator:hang' });
    clock.advance(DURATION * 1_000);
    expect((await api.get(`/auth-sessions/create/${canceled}/result`)).body).toEqual({
      status: 'canceled',
      message: 'The run was terminated',
      reason: { type: 'terminated', message: 'The run was terminated' },
    });
    expect((await api.get('/auth-sessions/cancel-me')).body.status).toBe('EXPIRED');
    expect((await api.get(`/auth-sessions/create/${hung}/result`)).body.status).toBe('in_progress');
    expect((await api.get('/auth-sessions/hang-me')).body.status).toBe('PENDING');
  });

  it('fails an OTP login in the current API generation, which cannot ask for input', async () => {
    const { api, clock } = await setup();
    const operationId = await create(api, 'needs-otp', { code: 'emulator:otp' });
    clock.advance(DURATION);
    const body = (await api.get(`/auth-sessions/create/${operationId}/result`)).body;
    expect(body).toMatchObject({ status: 'failed', error: { code: 'create-attempts-failed', category: 'auth', retirable: false } });
  });

  it('answers 404 for an unknown operation or one of another kind', async () => {
    const { api } = await setup();
    const operationId = await create(api, 'abc');
    expect((await api.get('/auth-sessions/create/no-such-op/result')).body).toEqual({ message: 'Operation no-such-op not found' });
    expect((await api.get(`/auth-sessions/abc/update/${operationId}/result`)).status).toBe(404);
    expect((await api.get(`/auth-sessions/abc/validate/${operationId}/result`)).status).toBe(404);
  });

  it('does not bring back a session deleted while its create ran', async () => {
    const { api, clock } = await setup();
    const first = await create(api, 'gone');
    expect((await api.delete('/auth-sessions/gone')).status).toBe(204);
    await create(api, 'gone', { password: 'emulator:hang' });
    clock.advance(DURATION * 3);
    expect((await api.get(`/auth-sessions/create/${first}/result`)).body.status).toBe('done');
    expect((await api.get('/auth-sessions/gone')).body.status).toBe('PENDING');
  });

  it('runs end to end on the real clock', async () => {
    const real = await emulator({ operationDurationMs: 40 });
    try {
      const api = client(real);
      const operationId = await create(api, 'real-clock');
      const seen = new Set<string>();
      await pollUntil(
        () => api.get(`/auth-sessions/create/${operationId}/result`).then((a) => a.body.status as string),
        (status) => {
          seen.add(status);
          return status === 'done';
        },
      );
      expect(seen.has('done')).toBe(true);
      expect(real.sessions()[0]?.status).toBe('READY');
    } finally {
      await real.close();
    }
  });
});

describe('update and validate', () => {
  it('updates: 404 for an unknown session, 201 started, READY kept during the update, new parameters stored', async () => {
    const { api, clock, emu } = await setup();
    expect((await api.post('/auth-sessions/nobody/update', { parameters: {} })).status).toBe(404);
    emu.seedSession({ id: 'acme' });
    expect((await api.post('/auth-sessions/acme/update', {})).status).toBe(400);
    const started = await api.post('/auth-sessions/acme/update', { parameters: { password: 'new' }, checkAttempts: 2 });
    expect(started).toMatchObject({ status: 201, body: { status: 'started', operationId: expect.any(String) } });
    const path = `/auth-sessions/acme/update/${started.body.operationId}/result`;
    expect((await api.get(path)).body).toEqual({ status: 'pending' });
    clock.advance(DURATION / 2);
    expect((await api.get(path)).body.status).toBe('in_progress');
    expect((await api.get('/auth-sessions/acme')).body.status).toBe('READY');
    clock.advance(DURATION / 2);
    expect((await api.get(path)).body).toEqual({ status: 'done', authSessionId: 'acme' });
    expect(emu.sessions()[0]).toMatchObject({ parameters: { password: 'new' }, checkAttempts: 2, status: 'READY' });
    expect((await api.get(`/auth-sessions/other/update/${started.body.operationId}/result`)).status).toBe(404);
  });

  it('a failed update leaves the session EXPIRED; a done update repairs it', async () => {
    const { api, clock, emu } = await setup();
    emu.seedSession({ id: 'acme' });
    const failed = await api.post('/auth-sessions/acme/update', { parameters: { p: 'emulator:fail' } });
    clock.advance(DURATION);
    expect((await api.get(`/auth-sessions/acme/update/${failed.body.operationId}/result`)).body.status).toBe('failed');
    expect((await api.get('/auth-sessions/acme')).body.status).toBe('EXPIRED');
    await api.post('/auth-sessions/acme/update', { parameters: { p: 'good' } });
    clock.advance(DURATION);
    expect((await api.get('/auth-sessions/acme')).body.status).toBe('READY');
  });

  it('validates: 201 {status: pending, operationId}, decided by the stored parameters', async () => {
    const { api, clock, emu } = await setup();
    expect((await api.post('/auth-sessions/nobody/validate/start', {})).status).toBe(404);
    await create(api, 'good-one', { p: 'fine' });
    await create(api, 'bad-one', { p: 'emulator:fail' });
    clock.advance(DURATION);
    const good = await api.post('/auth-sessions/good-one/validate/start', { autoRecreate: false, requestTimeout: 600 });
    expect(good).toMatchObject({ status: 201, body: { status: 'pending', operationId: expect.any(String) } });
    const bad = await api.post('/auth-sessions/bad-one/validate/start');
    expect(bad.status).toBe(201);
    expect((await api.post('/auth-sessions/good-one/validate/start', { autoRecreate: 'no' })).status).toBe(400);
    clock.advance(DURATION);
    expect((await api.get(`/auth-sessions/good-one/validate/${good.body.operationId}/result`)).body).toEqual({
      status: 'done',
      authSessionId: 'good-one',
    });
    expect((await api.get(`/auth-sessions/bad-one/validate/${bad.body.operationId}/result`)).body.status).toBe('failed');
    expect(emu.operations().map((o) => [o.kind, o.authSessionId, o.status])).toEqual([
      ['create', 'good-one', 'done'],
      ['create', 'bad-one', 'failed'],
      ['validate', 'good-one', 'done'],
      ['validate', 'bad-one', 'failed'],
    ]);
  });

  it('gives the outcome hook the request, with the previous parameters for updates and validates', async () => {
    const seen: OutcomeRequest[] = [];
    const { api, emu } = await setup({
      outcome: (request) => {
        seen.push(request);
        return { status: 'done' };
      },
    });
    emu.seedSession({ id: 'acme' });
    await api.post('/auth-sessions/acme/update', { parameters: { v: 1 } });
    await api.post('/auth-sessions/acme/validate/start', { checkAttempts: 1 });
    expect(seen).toEqual([
      { kind: 'update', workspaceId: WORKSPACE, project: PROJECT, authSessionId: 'acme', body: { parameters: { v: 1 } }, sessionParameters: {} },
      { kind: 'validate', workspaceId: WORKSPACE, project: PROJECT, authSessionId: 'acme', body: { checkAttempts: 1 }, sessionParameters: { v: 1 } },
    ]);
  });
});

describe('concurrency cap', () => {
  it('with a cap of 1, the second operation stays pending while the first is in_progress', async () => {
    const { api, clock } = await setup({ maxConcurrentOperations: 1 });
    const first = await create(api, 'first');
    const second = await create(api, 'second');
    const status = async (id: string): Promise<string> => (await api.get(`/auth-sessions/create/${id}/result`)).body.status;
    clock.advance(DURATION / 2);
    expect([await status(first), await status(second)]).toEqual(['in_progress', 'pending']);
    clock.advance(DURATION / 2);
    expect([await status(first), await status(second)]).toEqual(['done', 'pending']);
    clock.advance(DURATION / 2);
    expect([await status(first), await status(second)]).toEqual(['done', 'in_progress']);
    clock.advance(DURATION / 2);
    expect(await status(second)).toBe('done');
  });

  it('finishes N operations at ceil(N/C) durations even when nobody polls in between', async () => {
    const { api, clock, emu } = await setup({ maxConcurrentOperations: 3 });
    for (let index = 0; index < 7; index += 1) await create(api, `session-${index}`);
    clock.advance(DURATION * 2);
    expect(emu.operations().map((o) => o.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'pending']);
    clock.advance(DURATION - 1);
    expect(emu.operations().at(-1)?.status).toBe('in_progress');
    clock.advance(1);
    expect(emu.sessions().every((s) => s.status === 'READY')).toBe(true);
  });

  it('keeps the cap per project', async () => {
    const { api, clock, emu } = await setup({ maxConcurrentOperations: 1 });
    await create(api, 'in-a');
    await create(client(emu, { project: 'other' }), 'in-b');
    clock.advance(DURATION / 2);
    expect(emu.operations().map((o) => o.status)).toEqual(['in_progress', 'in_progress']);
  });

  it('frees a hung operation\'s slot after one duration', async () => {
    const { api, clock } = await setup({ maxConcurrentOperations: 1 });
    const hung = await create(api, 'hung', { p: 'emulator:hang' });
    const next = await create(api, 'next');
    clock.advance(DURATION * 2);
    expect((await api.get(`/auth-sessions/create/${hung}/result`)).body.status).toBe('in_progress');
    expect((await api.get(`/auth-sessions/create/${next}/result`)).body.status).toBe('done');
  });
});

describe('a failing outcome hook', () => {
  it('answers 500 and leaves no half-made session or changed parameters', async () => {
    const { api, emu } = await setup({
      outcome: () => {
        throw new Error('hook broke');
      },
    });
    emu.seedSession({ id: 'acme' });
    expect((await api.post('/auth-sessions/create', { id: 'new-one', parameters: {} })).status).toBe(500);
    expect((await api.post('/auth-sessions/acme/update', { parameters: { v: 2 } })).status).toBe(500);
    expect(emu.sessions().map((s) => [s.id, s.parameters])).toEqual([['acme', {}]]);
    expect(emu.operations()).toEqual([]);
  });
});
