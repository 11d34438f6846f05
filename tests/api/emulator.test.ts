/**
 * The client against the emulator over real loopback HTTP. The emulator runs on a fake clock
 * (operations move on when the test says so) and faults are switched off from the client's
 * injected sleep, so nothing here depends on timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, EXPECTED_OTP, FAIL_MARKER, OTP_MARKER } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';
import { createIntunedClient } from '../../src/api/client.js';
import { isInUseError, isOutcomeUnknownError } from '../../src/api/failures.js';
import type { ClientOptions, RequestEvent } from '../../src/api/options.js';
import type { IntunedClient } from '../../src/api/client.js';
import type { OperationResult } from '../../src/api/types.js';
import { ApiError } from '../../src/errors.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const KEY = 'emulator-key-0123456789';
const WORKSPACE = '123e4567-e89b-12d3-a456-426614174000';
const PROJECT = 'shop project';
/** Longer than any emulated operation, so one step of the clock finishes it. */
const STEP_MS = 10_000;

let emulator: EmulatorHandle | undefined;
const clients: IntunedClient[] = [];
let clock = new VirtualClock();

async function setup(options: EmulatorOptions = {}, client: Partial<ClientOptions> = {}) {
  clock = new VirtualClock(1_000_000);
  emulator = await startEmulator({ apiKey: KEY, now: clock.now, operationDurationMs: 300, ...options });
  const delays: number[] = [];
  const emu = emulator;
  const api = createIntunedClient({
    baseUrl: emu.url,
    apiKey: KEY,
    workspaceId: WORKSPACE,
    project: PROJECT,
    random: () => 0,
    // A retry clears the faults, so the next attempt goes through.
    sleep: async (ms) => {
      delays.push(ms);
      emu.setFaults(undefined);
    },
    ...client,
  });
  clients.push(api);
  return { emulator: emu, api, delays };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await emulator?.close();
  emulator = undefined;
});

/** Polls until a final status, moving the emulator's clock between reads. */
async function settle(read: () => Promise<OperationResult>): Promise<OperationResult[]> {
  const seen: OperationResult[] = [];
  for (let step = 0; step < 5; step += 1) {
    const result = await read();
    seen.push(result);
    if (!['pending', 'in_progress'].includes(result.status)) return seen;
    clock.advance(STEP_MS);
  }
  return seen;
}

describe('operations over loopback', () => {
  it('creates a session: started, polled through, done', async () => {
    const { emulator, api } = await setup();
    const { operationId } = await api.startCreate({ id: 'shop(eu),1', parameters: { user: 'u', password: 'p' } });
    const first = await api.getCreateResult(operationId);
    expect(['pending', 'in_progress']).toContain(first.status);
    const results = await settle(() => api.getCreateResult(operationId));
    expect(results.at(-1)).toEqual({ status: 'done', authSessionId: 'shop(eu),1' });
    expect(await api.getAuthSession('shop(eu),1')).toMatchObject({ id: 'shop(eu),1', status: 'READY' });
    expect(emulator.sessions()[0]?.parameters).toEqual({ user: 'u', password: 'p' });
  });

  it('updates a session and reports a failed login with its code', async () => {
    const { emulator, api } = await setup();
    emulator.seedSession({ id: 'a1' });
    const ok = await api.startUpdate('a1', { parameters: { user: 'new' } });
    expect((await settle(() => api.getUpdateResult('a1', ok.operationId))).at(-1)).toMatchObject({ status: 'done' });
    expect(emulator.sessions()[0]?.parameters).toEqual({ user: 'new' });

    const bad = await api.startUpdate('a1', { parameters: { user: FAIL_MARKER } });
    const end = (await settle(() => api.getUpdateResult('a1', bad.operationId))).at(-1);
    expect(end).toMatchObject({ status: 'failed', error: { code: 'auth-check-failed', category: 'auth' } });
  });

  it('answers a one-time code request on the older API', async () => {
    const { api } = await setup({ legacyApi: true }, { apiGeneration: 'legacy' });
    const { operationId } = await api.startCreate({ id: 'otp-1', parameters: { code: OTP_MARKER } });
    const asked = (await settle(() => api.getCreateResult(operationId))).at(-1);
    expect(asked).toMatchObject({ status: 'requested_more_info', requestType: 'otp' });
    if (asked?.status !== 'requested_more_info') throw new Error('expected a one-time code request');
    await api.resume('create', operationId, { input: EXPECTED_OTP, infoRequestId: asked.infoRequestId });
    expect((await settle(() => api.getCreateResult(operationId))).at(-1)).toMatchObject({ status: 'done' });
  });
});

describe('delete over loopback', () => {
  it('deletes (204) and treats a second delete (404) as done', async () => {
    const { emulator, api } = await setup();
    emulator.seedSession({ id: 'a1' });
    await api.deleteAuthSession('a1');
    await api.deleteAuthSession('a1');
    expect(emulator.sessions()).toEqual([]);
    expect(await api.getAuthSession('a1')).toBeUndefined();
  });

  it.each([409, 400] as const)('refuses a session in use (%i) until its job run ends', async (inUseDeleteStatus) => {
    const { emulator, api } = await setup({ inUseDeleteStatus });
    emulator.seedSession({ id: 'a1' });
    emulator.seedJob({ id: 'nightly', authSessionId: 'a1', runs: [{ id: 'r1', status: 'PENDING' }] });
    const error = await api.deleteAuthSession('a1').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: inUseDeleteStatus, method: 'DELETE' });
    expect(isInUseError(error)).toBe(true);
    emulator.setJobRunStatus('nightly', 'r1', 'SUCCESS');
    await api.deleteAuthSession('a1');
    expect(emulator.sessions()).toEqual([]);
  });
});

describe('jobs over loopback', () => {
  it('lists jobs and reads every page of runs', async () => {
    const { emulator, api } = await setup();
    const runs = Array.from({ length: 230 }, (_, i) => ({ id: `run-${i}`, status: i === 7 ? 'PENDING' : 'SUCCESS' }) as const);
    emulator.seedJob({ id: 'nightly', authSessionId: 'a1', runs });
    emulator.seedJob({ id: 'adhoc', authSessionId: null });
    const jobs = await api.listJobs();
    expect(jobs.map((j) => [j.id, j.auth_session?.id ?? null])).toEqual([
      ['nightly', 'a1'],
      ['adhoc', null],
    ]);
    const all = await api.listJobRuns('nightly');
    expect(new Set(all.map((r) => r.id)).size).toBe(230);
    expect(all.filter((r) => r.status === 'PENDING').map((r) => r.id)).toEqual(['run-7']);
    expect(all[0]?.job_configuration_snapshot?.auth_session?.id).toBe('a1');
    await expect(api.listJobRuns('adhoc')).resolves.toEqual([]);
  });
});

describe('failures over loopback', () => {
  it('answers 401 for a wrong key, without repeating the key', async () => {
    const { emulator } = await setup();
    const wrong = createIntunedClient({ baseUrl: emulator.url, apiKey: 'wrong-key-abcdefgh', workspaceId: WORKSPACE, project: PROJECT });
    clients.push(wrong);
    const error = await wrong.listAuthSessions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', retryable: false });
    expect((error as ApiError).correlationId).toEqual(expect.any(String));
    expect(JSON.stringify(error) + String(error)).not.toContain('wrong-key-abcdefgh');
  });

  it('retries a rate-limited list, honouring Retry-After', async () => {
    const { emulator, api, delays } = await setup();
    emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 3 });
    await expect(api.listAuthSessions()).resolves.toEqual([]);
    expect(delays).toEqual([3000]);
    expect(api.stats().byStatus).toEqual({ '429': 1, '200': 1 });
  });

  it('retries a list whose socket was dropped', async () => {
    const { emulator, api } = await setup();
    emulator.setFaults({ dropRate: 1 });
    await expect(api.listAuthSessions()).resolves.toEqual([]);
    expect(api.stats()).toMatchObject({ retries: 1, byStatus: { none: 1, '200': 1 } });
  });

  it('gives up on a slow answer after the request timeout and retries', async () => {
    // The emulator answers 100× later than the timeout; the retry finds the faults cleared.
    const events: RequestEvent[] = [];
    const { emulator, api } = await setup({}, { requestTimeoutMs: 50, onRequest: (e) => events.push(e) });
    emulator.setFaults({ latencyMs: 5_000 });
    await expect(api.listJobs()).resolves.toEqual([]);
    expect(events.map((e) => [e.attempt, e.status, e.errorCode])).toEqual([
      [1, undefined, 'TimeoutError'],
      [2, 200, undefined],
    ]);
  });

  it('repeats a create whose socket was dropped, making one session', async () => {
    const { emulator, api } = await setup();
    emulator.setFaults({ dropRate: 1, match: /^POST / });
    await api.startCreate({ id: 'shop-1', parameters: { user: 'u' } });
    expect(emulator.operations().filter((op) => op.kind === 'create')).toHaveLength(1);
  });

  it('does not repeat an update whose socket was dropped', async () => {
    const { emulator, api, delays } = await setup();
    emulator.seedSession({ id: 'a1' });
    emulator.setFaults({ dropRate: 1, match: /^POST / });
    const error = await api.startUpdate('a1', { parameters: { user: 'u' } }).catch((e: unknown) => e);
    expect(isOutcomeUnknownError(error)).toBe(true);
    expect(delays).toEqual([]);
    expect(emulator.operations()).toEqual([]);
  });
});
