/**
 * The fault suite: the emulator's fault switches (5xx, 429 with Retry-After, dropped
 * sockets, latency) and scripted outcomes (failed, canceled, never finishing) against whole
 * reconcile runs. Each case ends on the remote sessions, the state and the exit code the spec
 * names, then clears the faults and demands convergence to an all-noop plan.
 *
 * Runs are in-process, with retry waits recorded rather than slept; `faults-clock.test.ts`
 * has the cases about the CLI's own clock, run as a process.
 */
import { describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { expectConverged } from './invariants.js';
import type { Project } from '../helpers/project.js';
import { reliabilitySuite } from './suite.js';
import { cyclingServerErrors, FirstArrivals } from './random.js';
import { secretSession } from './secrets.js';
import { each, expectedSessions, IDS, named, ROTATED_ENV, SESSIONS, writeSessions } from './sessions.js';

const { figures, createProject } = reliabilitySuite('faults');
/** Faults per request target, far within the client's retry budget: every retryable request must get through. */
const BURST = 3;

let project: Project | undefined;

async function standard(emulator: EmulatorOptions = {}): Promise<Project> {
  project = await createProject(emulator);
  await writeSessions(project);
  return project;
}

describe('5xx bursts', () => {
  it('retries every read, poll and create through a burst of 500/502/503 and converges', async () => {
    const burst = new FirstArrivals(/^(GET|POST|DELETE) /, BURST);
    const p = await standard({ faults: { serverErrorRate: 1, match: burst }, random: cyclingServerErrors() });
    const apply = await p.reconcile();
    expect(apply.code).toBe(0);
    expect(burst.count).toBeGreaterThanOrEqual(SESSIONS * BURST);
    // Every injected fault was answered by exactly one more attempt.
    expect(p.sleeps).toHaveLength(burst.count);
    expect(p.starts('create')).toEqual(each(1));
    p.emulator.setFaults(undefined);
    await expectConverged(p, { sessions: expectedSessions() });
  });

  it('does not repeat an update start answered 500 (exit 1, state says failed); the next run updates once', async () => {
    const p = await standard({ random: () => 0.1 });
    expect((await p.reconcile()).code).toBe(0);
    p.emulator.setFaults({ serverErrorRate: 1, match: /^POST \/auth-sessions\/[^/]+\/update$/ });
    const refused = await p.reconcile({ env: ROTATED_ENV });
    expect(refused.code).toBe(1);
    for (const id of IDS) expect(refused.stdout).toMatch(new RegExp(`update ${id} failed: outcome unknown`));
    expect(p.starts('update')).toEqual({});
    const state = await p.state();
    for (const id of IDS) expect(state?.sessions[id]?.operation).toMatchObject({ kind: 'update', status: 'failed', code: 'outcome-unknown' });

    p.emulator.setFaults(undefined);
    expect((await p.reconcile({ dryRun: true, env: ROTATED_ENV, flags: { detailedExitcode: true } })).code).toBe(2);
    expect((await p.reconcile({ env: ROTATED_ENV })).code).toBe(0);
    expect(p.starts('update')).toEqual(each(1));
    await expectConverged(p, { sessions: expectedSessions(ROTATED_ENV), env: ROTATED_ENV });
  });

  it('repeats an update start answered 503 (the server says it did not act) and converges in one run', async () => {
    const p = await standard({ random: () => 0.9 });
    expect((await p.reconcile()).code).toBe(0);
    const burst = new FirstArrivals(/^POST \/auth-sessions\/[^/]+\/update$/, BURST);
    p.emulator.setFaults({ serverErrorRate: 1, match: burst });
    expect((await p.reconcile({ env: ROTATED_ENV })).code).toBe(0);
    expect(burst.count).toBe(SESSIONS * BURST);
    expect(p.starts('update')).toEqual(each(1));
    p.emulator.setFaults(undefined);
    await expectConverged(p, { sessions: expectedSessions(ROTATED_ENV), env: ROTATED_ENV });
  });
});

describe('429 storms', () => {
  it('waits as long as Retry-After says, for reads, creates and update starts alike', async () => {
    const retryAfterSeconds = 4;
    let storm = new FirstArrivals(/./, 2);
    const p = await standard({ faults: { rateLimitRate: 1, retryAfterSeconds, match: storm } });
    expect((await p.reconcile()).code).toBe(0);
    storm = new FirstArrivals(/./, 2);
    p.emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds, match: storm });
    expect((await p.reconcile({ env: ROTATED_ENV })).code).toBe(0);
    expect(storm.count).toBeGreaterThanOrEqual(SESSIONS * 2);
    expect(p.sleeps.length).toBeGreaterThanOrEqual(2 * SESSIONS * 2);
    // Retry-After replaces the backoff; only the jitter (under 1 s) is added.
    for (const wait of p.sleeps) expect(wait).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
    for (const wait of p.sleeps) expect(wait).toBeLessThan(retryAfterSeconds * 1000 + 1000);
    expect(p.starts('update')).toEqual(each(1));
    p.emulator.setFaults(undefined);
    await expectConverged(p, { sessions: expectedSessions(ROTATED_ENV), env: ROTATED_ENV });
  });
});

describe('dropped connections', () => {
  it('retries reads, polls and creates whose socket was dropped, creating each session once', async () => {
    const drops = new FirstArrivals(/^(GET|DELETE|POST \/auth-sessions\/create$)/, BURST);
    const p = await standard({ faults: { dropRate: 1, match: drops } });
    expect((await p.reconcile()).code).toBe(0);
    expect(drops.count).toBeGreaterThanOrEqual(SESSIONS * BURST);
    expect(p.starts('create')).toEqual(each(1));
    p.emulator.setFaults(undefined);
    await expectConverged(p, { sessions: expectedSessions() });
  });

  it('leaves an update whose start got no answer `starting` (exit 1); the next run updates it', async () => {
    const p = await standard();
    expect((await p.reconcile()).code).toBe(0);
    p.emulator.setFaults({ dropRate: 1, match: /^POST \/auth-sessions\/s-[01]\/update$/ });
    const dropped = await p.reconcile({ env: ROTATED_ENV });
    expect(dropped.code).toBe(1);
    expect(dropped.stdout).toMatch(/update s-0 failed: outcome unknown/);
    expect(dropped.stdout).toMatch(/update s-1 failed: outcome unknown/);
    const state = await p.state();
    expect(state?.sessions['s-0']?.operation).toMatchObject({ kind: 'update', status: 'starting' });
    expect(state?.sessions['s-2']?.operation).toMatchObject({ kind: 'update', status: 'succeeded' });

    p.emulator.setFaults(undefined);
    const plan = await p.reconcile({ dryRun: true, env: ROTATED_ENV });
    expect(plan.stdout).toMatch(/s-0 +the outcome of an earlier update is unknown/);
    expect((await p.reconcile({ env: ROTATED_ENV })).code).toBe(0);
    expect(p.starts('update')).toEqual(each(1));
    await expectConverged(p, { sessions: expectedSessions(ROTATED_ENV), env: ROTATED_ENV });
  });
});

describe('slow responses', () => {
  it('retries reads that outlast the per-attempt timeout', async () => {
    const slow = new FirstArrivals(/^GET /, 1);
    const p = await standard({ faults: { latencyMs: 800, match: slow } });
    expect((await p.reconcile({ client: { requestTimeoutMs: 500 } })).code).toBe(0);
    expect(slow.count).toBeGreaterThan(SESSIONS);
    expect(p.sleeps).toHaveLength(slow.count);
    figures.add('slowResponsesInjected', slow.count);
    p.emulator.setFaults(undefined);
    await expectConverged(p, { sessions: expectedSessions() });
  });

  it('reports a create the server started after the client gave up as outcome unknown, then adopts it once', async () => {
    const slow = new FirstArrivals(/^POST \/auth-sessions\/create$/, 1);
    const p = await standard({ faults: { latencyMs: 1_200, match: slow } });
    // Real waits: the repeat comes 1 s (timeout) + at least 500 ms (backoff) after the first
    // attempt, which the server acts on at 1.2 s: by then the session exists.
    const apply = await p.reconcile({ client: { requestTimeoutMs: 1_000, sleep: (ms) => delay(ms) } });
    expect(apply.code).toBe(1);
    figures.add('slowResponsesInjected', slow.count);
    const failed = named(apply.stdout, (id) => `create ${id} failed: outcome unknown`);
    expect(failed).toHaveLength(1);
    const state = await p.state();
    expect(state?.sessions[failed[0]!]?.operation).toMatchObject({ kind: 'create', status: 'failed', code: 'outcome-unknown' });
    expect(p.emulator.sessions().map((session) => session.id).sort()).toEqual(IDS);

    p.emulator.setFaults(undefined);
    expect((await p.reconcile()).code).toBe(0);
    expect(p.starts('update')).toEqual({ [failed[0]!]: 1 });
    await expectConverged(p, { sessions: expectedSessions() });
  });
});

describe('operations that end failed or canceled', () => {
  it('reports failed and canceled logins with their codes, records them, and retries only them once fixed', async () => {
    const p = await standard();
    const marked = (index: number, marker: string) => ({ ...secretSession(index), parameters: { ...secretSession(index).parameters, mode: marker } });
    await p.file('s-0.auth-session.json', marked(0, 'emulator:fail'));
    await p.file('s-1.auth-session.json', marked(1, 'emulator:cancel'));
    const apply = await p.reconcile();
    expect(apply.code).toBe(1);
    expect(apply.stdout).toMatch(/create s-0 failed: .*\(auth-check-failed\)/);
    expect(apply.stdout).toMatch(/create s-1 failed: .*\(terminated\)/);
    const remote = Object.fromEntries(p.emulator.sessions().map((session) => [session.id, session.status]));
    expect(remote).toEqual({ 's-0': 'EXPIRED', 's-1': 'EXPIRED', 's-2': 'READY', 's-3': 'READY', 's-4': 'READY' });
    const state = await p.state();
    expect(state?.sessions['s-0']?.operation).toMatchObject({ kind: 'create', status: 'failed', code: 'auth-check-failed' });
    expect(state?.sessions['s-1']?.operation).toMatchObject({ kind: 'create', status: 'canceled', code: 'terminated' });
    expect(state?.sessions['s-0']?.applied).toBeUndefined();

    // A later update that flips to failed leaves the session EXPIRED and the old fingerprint in place.
    await p.file('s-2.auth-session.json', marked(2, 'emulator:fail'));
    expect((await p.reconcile()).code).toBe(1);
    expect(p.emulator.sessions().find((session) => session.id === 's-2')?.status).toBe('EXPIRED');
    expect((await p.state())?.sessions['s-2']?.operation).toMatchObject({ kind: 'update', status: 'failed' });

    for (const index of [0, 1, 2]) await p.file(`s-${index}.auth-session.json`, secretSession(index));
    const plan = await p.reconcile({ dryRun: true });
    expect(plan.stdout).toMatch(/~ update\s+s-0\s+last update failed/);
    expect(plan.stdout).toMatch(/~ update\s+s-1\s+last update was canceled/);
    expect(plan.stdout).toMatch(/~ update\s+s-2\s+last update failed/);
    expect((await p.reconcile()).code).toBe(0);
    expect(p.starts('create')).toEqual(each(1));
    await expectConverged(p, { sessions: expectedSessions() });
  });
});
