import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { client, emulator } from './helpers.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import type { Client } from './helpers.js';

const DURATION = 100;

let emu: EmulatorHandle;
let api: Client;
let clock: VirtualClock;

beforeEach(async () => {
  clock = new VirtualClock(1_700_000_000_000);
  emu = await emulator({ legacyApi: true, operationDurationMs: DURATION, now: clock.now });
  api = client(emu);
});
afterEach(async () => {
  await emu.close();
});

async function createWaitingForOtp(id: string): Promise<{ operationId: string; infoRequestId: string }> {
  const started = await api.post('/auth-sessions/create', { id, parameters: { otp: 'emulator:otp' } });
  clock.advance(DURATION);
  const result = await api.get(`/auth-sessions/create/${started.body.operationId}/result`);
  expect(result.body).toEqual({
    status: 'requested_more_info',
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    details: { requestType: 'otp', action: 'request_more_info', messageToUser: 'Enter the one-time code sent to your device' },
  });
  return { operationId: started.body.operationId, infoRequestId: result.body.id };
}

describe('older API generation', () => {
  it('updates through POST /auth-sessions/update with the id in the body', async () => {
    emu.seedSession({ id: 'acme' });
    expect((await api.post('/auth-sessions/update', { parameters: {} })).status).toBe(400);
    expect((await api.post('/auth-sessions/update', { id: 'nobody', parameters: {} })).status).toBe(404);
    const started = await api.post('/auth-sessions/update', { id: 'acme', parameters: { p: 'new' } });
    expect(started).toMatchObject({ status: 201, body: { status: 'started', operationId: expect.any(String) } });
    clock.advance(DURATION);
    expect((await api.get(`/auth-sessions/update/${started.body.operationId}/result`)).body).toEqual({
      status: 'done',
      authSessionId: 'acme',
    });
    expect(emu.sessions()[0]?.parameters).toEqual({ p: 'new' });
  });

  it('does not serve the current generation\'s update paths', async () => {
    emu.seedSession({ id: 'acme' });
    expect((await api.post('/auth-sessions/acme/update', { parameters: {} })).status).toBe(404);
    expect((await api.get('/auth-sessions/acme/update/some-op/result')).status).toBe(404);
  });

  it('reports failures with a string error', async () => {
    const started = await api.post('/auth-sessions/create', { id: 'bad', parameters: { p: 'emulator:fail' } });
    clock.advance(DURATION);
    expect((await api.get(`/auth-sessions/create/${started.body.operationId}/result`)).body).toEqual({
      status: 'failed',
      error: 'auth-check-failed',
      message: 'Login check failed: the credentials were rejected',
    });
  });

  it('asks for a one-time code, keeps the session PENDING, and ends done when resumed with it', async () => {
    const { operationId, infoRequestId } = await createWaitingForOtp('otp-user');
    expect((await api.get('/auth-sessions/otp-user')).body.status).toBe('PENDING');
    clock.advance(DURATION * 100);
    expect((await api.get(`/auth-sessions/create/${operationId}/result`)).body.status).toBe('requested_more_info');
    const resumed = await api.post(`/auth-sessions/create/${operationId}/resume`, { input: '123456', infoRequestId });
    expect(resumed).toMatchObject({ status: 202, body: { status: 'resumed' } });
    expect((await api.get(`/auth-sessions/create/${operationId}/result`)).body).toEqual({ status: 'done', authSessionId: 'otp-user' });
    expect((await api.get('/auth-sessions/otp-user')).body.status).toBe('READY');
    const again = await api.post(`/auth-sessions/create/${operationId}/resume`, { input: '123456', infoRequestId });
    expect(again.status).toBe(400);
  });

  it('fails the operation when resumed with the wrong code', async () => {
    const { operationId, infoRequestId } = await createWaitingForOtp('otp-wrong');
    expect((await api.post(`/auth-sessions/create/${operationId}/resume`, { input: '000000', infoRequestId })).status).toBe(202);
    expect((await api.get(`/auth-sessions/create/${operationId}/result`)).body).toMatchObject({
      status: 'failed',
      error: 'auth-check-failed',
    });
    expect((await api.get('/auth-sessions/otp-wrong')).body.status).toBe('EXPIRED');
  });

  it('refuses a resume that is malformed, early, for another request or of the wrong kind', async () => {
    const early = await api.post('/auth-sessions/create', { id: 'early', parameters: { otp: 'emulator:otp' } });
    const earlyResume = await api.post(`/auth-sessions/create/${early.body.operationId}/resume`, { input: '123456', infoRequestId: 'x' });
    expect(earlyResume).toMatchObject({ status: 400, body: { message: expect.stringContaining('is not waiting') } });
    const { operationId } = await createWaitingForOtp('otp-other');
    expect((await api.post(`/auth-sessions/create/${operationId}/resume`, { input: 123456 })).status).toBe(400);
    const wrongRequest = await api.post(`/auth-sessions/create/${operationId}/resume`, { input: '123456', infoRequestId: 'other' });
    expect(wrongRequest.status).toBe(400);
    expect((await api.post(`/auth-sessions/update/${operationId}/resume`, { input: '123456', infoRequestId: 'x' })).status).toBe(404);
    expect((await api.post('/auth-sessions/create/unknown/resume', { input: '1', infoRequestId: 'x' })).status).toBe(404);
  });

  it('resumes an update that asked for a code, through /update/{operationId}/resume', async () => {
    emu.seedSession({ id: 'acme' });
    const started = await api.post('/auth-sessions/update', { id: 'acme', parameters: { otp: 'emulator:otp' } });
    clock.advance(DURATION);
    const waiting = await api.get(`/auth-sessions/update/${started.body.operationId}/result`);
    expect(waiting.body.status).toBe('requested_more_info');
    expect((await api.get('/auth-sessions/acme')).body.status).toBe('READY');
    const resumed = await api.post(`/auth-sessions/update/${started.body.operationId}/resume`, { input: '123456', infoRequestId: waiting.body.id });
    expect(resumed.status).toBe(202);
    expect((await api.get(`/auth-sessions/update/${started.body.operationId}/result`)).body.status).toBe('done');
  });

  it('frees the slot of an operation waiting for input', async () => {
    const capped = await emulator({ legacyApi: true, operationDurationMs: DURATION, now: clock.now, maxConcurrentOperations: 1 });
    try {
      const cappedApi = client(capped);
      await cappedApi.post('/auth-sessions/create', { id: 'waits', parameters: { otp: 'emulator:otp' } });
      await cappedApi.post('/auth-sessions/create', { id: 'after', parameters: {} });
      clock.advance(DURATION * 2);
      expect(capped.operations().map((o) => o.status)).toEqual(['requested_more_info', 'done']);
    } finally {
      await capped.close();
    }
  });

  it('has no resume endpoints in the current generation', async () => {
    const current = await emulator({ operationDurationMs: DURATION });
    try {
      const answer = await client(current).post('/auth-sessions/create/some-op/resume', { input: '1', infoRequestId: 'x' });
      expect(answer.status).toBe(404);
      expect((await client(current).post('/auth-sessions/update', { id: 'abc', parameters: {} })).status).toBe(404);
    } finally {
      await current.close();
    }
  });
});
