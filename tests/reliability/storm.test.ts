/**
 * A fault storm over one large run: 1,000 creates while about 30% of all requests fail (20%
 * 429 with Retry-After, 11% 500/502/503, 2% dropped sockets) on every route. Retries are
 * bounded by time, not by a count, so no request runs out of attempts: the run succeeds with
 * nothing failed and nothing created twice.
 *
 * In-process, with retry waits recorded and shortened (`project.ts`), short operations and a
 * seeded storm, so it costs seconds of wall time.
 */
import { describe, expect, it } from 'vitest';
import { expectConverged } from './invariants.js';
import { reliabilitySuite } from './suite.js';
import { seeded } from './random.js';

const { figures, createProject } = reliabilitySuite('storm');
const OPERATIONS = 1_000;
const STORM = { rateLimitRate: 0.2, serverErrorRate: 0.11, dropRate: 0.02, retryAfterSeconds: 1 };

describe('a storm of 30% faults', () => {
  it(`gets ${OPERATIONS} creates through in one run: none failed, none duplicated`, async () => {
    const p = await createProject({ operationDurationMs: 20, maxConcurrentOperations: OPERATIONS, faults: STORM, random: seeded(30) });
    const ids = Array.from({ length: OPERATIONS }, (_, index) => `storm-${String(index).padStart(4, '0')}`);
    for (const id of ids) await p.file(`${id}.auth-session.json`, { parameters: { user: id, password: '${env:REL_PASSWORD}' } });
    let faults = 0;
    const stop = p.onRequest((event) => {
      if (event.status === 0 || event.status === 429 || event.status >= 500) faults += 1;
    });

    // The storm's 429s fall on a fixed share of requests whatever their pace, so the adaptive pace
    // (tested on its own in tests/api/limiter.test.ts and against a real per-second limit in
    // faults-clock.test.ts) would only slow this run to its floor, in real time; it is off here,
    // where what is proved is that retries within a time budget get every request through.
    const apply = await p.reconcile({ flags: { concurrency: 100 }, client: { adaptivePace: false } });
    stop();
    const requests = p.emulator.requests.length;
    figures.add('stormOperations', OPERATIONS);
    figures.add('stormFaults', faults);
    figures.add('stormRequests', requests);
    expect(faults / requests).toBeGreaterThan(0.25);
    expect(apply.stdout).not.toMatch(/ failed:/);
    expect(apply.stdout).toMatch(/1,000 created, 0 updated, 0 deleted, 0 skipped, 0 failed/);
    expect(apply.code).toBe(0);
    const creates = p.starts('create');
    expect(Object.keys(creates)).toHaveLength(OPERATIONS);
    expect(Object.values(creates).filter((count) => count !== 1)).toEqual([]);

    p.emulator.setFaults(undefined);
    const password = 'env-pass-Kd93Jf02Lq';
    await expectConverged(p, { sessions: Object.fromEntries(ids.map((id) => [id, { user: id, password }])) });
  }, 120_000);
});
