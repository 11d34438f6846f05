/**
 * Odd answers about an operation must not wedge the project. A run times out with its creates
 * recorded `started`; then the result of each operation can no longer be read (400, 403, 410,
 * 418, a result status nobody knows). Or the server hands out an operation ID that cannot be
 * used in a path (`..`, 100 KB). Either way the next apply treats the outcome as unknown,
 * adopts each session by exactly one update, stores nothing bad, and converges.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectConverged } from './invariants.js';
import { STATE_FILE, type Project } from '../helpers/project.js';
import { reliabilitySuite } from './suite.js';
import { startFront, type Answer, type TestServer } from './servers.js';
import { each, expectedSessions, IDS, writeSessions } from './sessions.js';

const { figures, createProject } = reliabilitySuite('wedge');
const BASE_PATH = '/api/v1/workspace';
const CREATE_RESULT = /^GET \/auth-sessions\/create\/[^/]+\/result$/;
const CREATE_START = /^POST \/auth-sessions\/create$/;

const fronts: TestServer[] = [];
afterEach(async () => {
  for (const front of fronts.splice(0)) await front.close();
});

type Mode = { kind: 'pass' } | { kind: 'running' } | { kind: 'answer'; answer: Answer } | { kind: 'operation-id'; operationId: string };

/** A project whose in-process runs go through a front that the test switches between modes. */
async function fronted(): Promise<{ p: Project; set(mode: Mode): void; via: { baseUrl: string } }> {
  const p = await createProject();
  await writeSessions(p);
  let mode: Mode = { kind: 'pass' };
  const front = await startFront({
    upstream: new URL(p.emulator.url).origin,
    answer: (target) => {
      if (!CREATE_RESULT.test(target)) return undefined;
      if (mode.kind === 'running') return json(200, { status: 'in_progress', runId: 'run-held-by-the-front' });
      if (mode.kind === 'answer') return mode.answer;
      return undefined;
    },
    rewrite: (target, answer) => {
      if (mode.kind !== 'operation-id' || !CREATE_START.test(target) || answer.status !== 201) return answer;
      return json(201, { ...(JSON.parse(answer.body) as object), operationId: mode.operationId });
    },
  });
  fronts.push(front);
  return { p, set: (next) => (mode = next), via: { baseUrl: `${front.url}${BASE_PATH}` } };
}

function json(status: number, body: unknown): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const unreadable: [string, Answer][] = [
  ['400 invalid operation', json(400, { message: 'invalid operation' })],
  ['403', json(403, { message: 'forbidden' })],
  ['410', json(410, { message: 'operation expired' })],
  ['418', json(418, { message: "I'm a teapot" })],
  ['an unknown result status', json(200, { status: 'expired' })],
  ['a body that is not JSON', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>gone</html>' }],
];

describe('a result that can no longer be read', () => {
  it.each(unreadable)('after a timed-out run, %s for every result: the next apply adopts each session once', async (_name, answer) => {
    const { p, set, via } = await fronted();
    set({ kind: 'running' });
    const first = await p.reconcile({ flags: { timeout: '300ms' }, client: via });
    expect(first.code).toBe(1);
    for (const id of IDS) expect((await p.state())?.sessions[id]?.operation).toMatchObject({ kind: 'create', status: 'started' });

    set({ kind: 'answer', answer });
    figures.add('wedgingAnswersTried');
    const plan = await p.reconcile({ dryRun: true, client: via });
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    const apply = await p.reconcile({ client: via });
    expect(apply.code).toBe(0);
    expect(p.starts('create')).toEqual(each(1));
    expect(p.starts('update')).toEqual(each(1));
    await expectConverged(p, { sessions: expectedSessions() });
  });
});

describe('an operation ID that cannot be used', () => {
  it.each([
    ['..', '..'],
    ['100 KB long', 'a'.repeat(100_000)],
    ['holding a slash', 'op/../../jobs'],
  ])('an ID %s: outcome unknown, nothing stored, and the next apply adopts each session once', async (_name, operationId) => {
    const { p, set, via } = await fronted();
    set({ kind: 'operation-id', operationId });
    figures.add('wedgingAnswersTried');
    const first = await p.reconcile({ client: via });
    expect(first.code).toBe(1);
    for (const id of IDS) expect(first.stdout).toMatch(new RegExp(`create ${id} failed: outcome unknown`));
    const text = await readFile(join(p.dir, STATE_FILE), 'utf8');
    expect(text).not.toContain(`"${operationId}"`);
    expect(text.length).toBeLessThan(20_000);

    set({ kind: 'pass' });
    const apply = await p.reconcile({ client: via });
    expect(apply.code).toBe(0);
    expect(p.starts('create')).toEqual(each(1));
    expect(p.starts('update')).toEqual(each(1));
    await expectConverged(p, { sessions: expectedSessions() });
  });

  it('a state that already holds such an ID (an older version stored it) is not sent, and converges', async () => {
    const { p, set, via } = await fronted();
    set({ kind: 'running' });
    expect((await p.reconcile({ flags: { timeout: '300ms' }, client: via })).code).toBe(1);
    const path = join(p.dir, STATE_FILE);
    const state = JSON.parse(await readFile(path, 'utf8')) as { sessions: Record<string, { operation: { operationId: string } }> };
    for (const session of Object.values(state.sessions)) session.operation.operationId = '..';
    await writeFile(path, JSON.stringify(state));
    figures.add('wedgingAnswersTried');

    set({ kind: 'pass' });
    const apply = await p.reconcile({ client: via });
    expect(apply.code).toBe(0);
    expect(p.emulator.requests.filter((request) => request.path.includes('/create/../'))).toEqual([]);
    expect(p.starts('update')).toEqual(each(1));
    await expectConverged(p, { sessions: expectedSessions() });
  });
});
