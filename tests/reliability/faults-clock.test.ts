/**
 * Fault cases about the CLI's own clock, run with the built CLI as a process: a real
 * per-second rate limiter (Retry-After slept for real), and operations that outlast
 * `--timeout`: the timeout names them, the state keeps them `started`, and the next run
 * waits for them rather than starting them again.
 */
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { expectConverged } from './invariants.js';
import type { Project } from '../helpers/project.js';
import { reliabilitySuite } from './suite.js';
import { secretSession } from './secrets.js';
import { each, expectedSessions, IDS, named, writeSessions } from './sessions.js';

const { createProject } = reliabilitySuite('faults-clock');

let project: Project | undefined;

async function standard(emulator: EmulatorOptions = {}): Promise<Project> {
  project = await createProject(emulator);
  await writeSessions(project);
  return project;
}

describe('a real rate limiter', () => {
  it('gets through 429s with Retry-After, waiting for real', async () => {
    const p = await standard({ faults: { requestsPerSecond: 8 } });
    const apply = await p.run(['apply', '--concurrency', '5']);
    expect(apply.code).toBe(0);
    expect(p.emulator.requests.filter((request) => request.status === 429).length).toBeGreaterThan(0);
    p.emulator.setFaults(undefined);
    await expectConverged(p, { sessions: expectedSessions(), cli: true });
  });
});

describe('operations that do not finish in time', () => {
  it('names an operation that never finishes, keeps it `started`, never starts it twice, and lets it go when its file goes', async () => {
    // The deadline covers the whole run, so it leaves a loaded machine time for the other five.
    const p = await standard();
    await p.file('stuck.auth-session.json', { parameters: { ...secretSession(9).parameters, mode: 'emulator:hang' } });
    const first = await p.run(['apply', '--timeout', '2s']);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/create stuck timed out after 2s waiting for create \(last status running\)/);
    const operation = (await p.state())?.sessions.stuck?.operation;
    expect(operation).toMatchObject({ kind: 'create', status: 'started' });
    expect(p.emulator.operations().find((op) => op.operationId === operation?.operationId)?.status).toBe('in_progress');
    for (const id of IDS) expect(p.emulator.sessions().find((session) => session.id === id)?.status).toBe('READY');

    const again = await p.run(['apply', '--timeout', '2s']);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/create stuck .*waiting for the create an earlier run started/);
    expect(again.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 1 started by an earlier run (waiting)');
    expect(again.stdout).toMatch(/create stuck timed out after 2s waiting for create \(last status running\)/);
    expect(p.starts('create').stuck).toBe(1);

    await p.remove('stuck.auth-session.json');
    expect((await p.run(['apply'])).code).toBe(0);
    await expectConverged(p, { sessions: expectedSessions(), cli: true });
  });

  it('times out operations still queued, and the next run waits for them instead of starting them again', async () => {
    const p = await standard({ maxConcurrentOperations: 1, operationDurationMs: 1_000 });
    const first = await p.run(['apply', '--timeout', '2500ms']);
    expect(first.code).toBe(1);
    // Five operations of 1 s, one at a time: at most two end within the run's 2.5 s.
    const timedOut = named(first.stdout, (id) => `create ${id} timed out after 2.5s`);
    expect(timedOut.length).toBeGreaterThanOrEqual(3);
    const state = await p.state();
    for (const id of timedOut) expect(state?.sessions[id]?.operation).toMatchObject({ kind: 'create', status: 'started' });

    const second = await p.run(['apply']);
    expect(second.code).toBe(0);
    expect(p.starts('create')).toEqual(each(1));
    await expectConverged(p, { sessions: expectedSessions(), cli: true });
  });
});
