import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';
import { client, emulator, seededRandom } from './helpers.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import type { Client } from './helpers.js';

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(options: EmulatorOptions): Promise<Client> {
  emu = await emulator(options);
  return client(emu);
}

/** Randomness that answers from a list the test fills. */
function queuedRandom(): { random: () => number; push: (...values: number[]) => void } {
  const queue: number[] = [];
  return { random: () => queue.shift() ?? 0.99, push: (...values) => queue.push(...values) };
}

describe('fault injection', () => {
  it('answers 500 JSON, 502 HTML and 503 JSON at the server error rate', async () => {
    const { random, push } = queuedRandom();
    const api = await setup({ faults: { serverErrorRate: 0.5 }, random });
    push(0.1, 0.0);
    const internal = await api.get('/auth-sessions');
    expect(internal.status).toBe(500);
    expect(internal.body).toMatchObject({ code: 'internal-server-error', category: 'infrastructure', retirable: true });
    expect(internal.headers.get('x-correlation-id')).toBe(internal.body.correlationId);
    push(0.1, 0.4);
    const gateway = await api.get('/auth-sessions');
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toContain('text/html');
    expect(gateway.body).toContain('502 Bad Gateway');
    push(0.1, 0.9);
    expect((await api.get('/auth-sessions')).body).toMatchObject({ code: 'service-unavailable' });
    push(0.6);
    expect((await api.get('/auth-sessions')).status).toBe(200);
  });

  it('answers 429 with Retry-After at the rate limit rate', async () => {
    const api = await setup({ faults: { rateLimitRate: 1, retryAfterSeconds: 7 } });
    const answer = await api.get('/auth-sessions');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.body).toMatchObject({ code: 'rate-limited', retirable: true });
    emu?.setFaults({ rateLimitRate: 1 });
    expect((await api.get('/auth-sessions')).headers.get('retry-after')).toBe('1');
  });

  it('is deterministic with a seeded random', async () => {
    const statuses = async (): Promise<number[]> => {
      const api = await setup({ faults: { serverErrorRate: 0.3, rateLimitRate: 0.2 }, random: seededRandom(42) });
      const seen: number[] = [];
      for (let index = 0; index < 30; index += 1) seen.push((await api.get('/auth-sessions')).status);
      await emu?.close();
      emu = undefined;
      return seen;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(first).toContain(200);
    expect(first).toContain(429);
    expect(first.some((status) => status >= 500)).toBe(true);
  });

  it('limits requests per second for real, counting only admitted ones', async () => {
    const clock = new VirtualClock(1_700_000_000_000);
    const api = await setup({ faults: { requestsPerSecond: 2 }, now: clock.now });
    expect((await api.get('/auth-sessions')).status).toBe(200);
    clock.advance(400);
    expect((await api.get('/auth-sessions')).status).toBe(200);
    const limited = await api.get('/auth-sessions');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    clock.advance(600);
    expect((await api.get('/auth-sessions')).status).toBe(200);
    expect((await api.get('/auth-sessions')).status).toBe(429);
    clock.advance(400);
    expect((await api.get('/auth-sessions')).status).toBe(200);
  });

  it('drops the socket without an answer and logs status 0', async () => {
    const api = await setup({ faults: { dropRate: 1 } });
    await expect(api.get('/auth-sessions')).rejects.toThrow();
    expect(emu?.requests.at(-1)).toMatchObject({ method: 'GET', status: 0 });
    emu?.setFaults(undefined);
    expect((await api.get('/auth-sessions')).status).toBe(200);
  });

  it('faults only requests matching `METHOD /path-after-project`', async () => {
    const api = await setup({ faults: { serverErrorRate: 1, match: /^POST \/auth-sessions\/create$/ } });
    expect((await api.get('/auth-sessions')).status).toBe(200);
    expect((await api.post('/auth-sessions/x1x/validate/start', {})).status).toBe(404);
    expect((await api.post('/auth-sessions/create', { parameters: {} })).status).toBeGreaterThanOrEqual(500);
    expect(emu?.sessions()).toEqual([]);
    emu?.setFaults({ serverErrorRate: 1, match: /^GET \/jobs/g });
    expect((await api.get('/jobs')).status).toBeGreaterThanOrEqual(500);
    expect((await api.get('/jobs')).status).toBeGreaterThanOrEqual(500);
  });

  it('logs faulted answers and keeps their bodies', async () => {
    const api = await setup({ faults: { rateLimitRate: 1 } });
    await api.post('/auth-sessions/create', { id: 'abc', parameters: {} });
    expect(emu?.requests).toEqual([
      expect.objectContaining({ method: 'POST', status: 429, body: { id: 'abc', parameters: {} } }),
    ]);
  });

  it('adds latency before answering', async () => {
    const api = await setup({ faults: { latencyMs: 60 } });
    const started = performance.now();
    expect((await api.get('/auth-sessions')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('closes promptly while a request waits on latency', async () => {
    const api = await setup({ faults: { latencyMs: 60_000 } });
    const pending = api.get('/auth-sessions').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await emu?.close();
    emu = undefined;
    expect(await pending).toBeInstanceOf(Error);
  });
});
