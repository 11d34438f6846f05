/**
 * Concurrent applies: round after round, two built CLIs apply the same changes at the same
 * moment, on a `file:` state and on a `git:` state from two clones of one bare origin; some
 * rounds start right after an apply was SIGKILLed holding the lock. Asserted every round:
 * exactly one apply runs and the other is refused at once naming the holder, no session is
 * created twice, and the state knows every session that exists; at the end everything converges.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseStateDocument } from '../../src/state/document.js';
import type { StateDocument } from '../../src/state/types.js';
import { Origin, STATE_BRANCH, type Workspace } from '../action/harness.js';
import { CLI, collect } from '../helpers/project.js';
import { writeResourceFile } from '../helpers/resource-files.js';
import { createRequests } from '../helpers/create-requests.js';
import { expand, expectConverged } from './invariants.js';
import type { Project, RunOutcome } from '../helpers/project.js';
import { ENV_SECRETS, secretSession } from './secrets.js';
import { reliabilitySuite } from './suite.js';

const { figures, createProject, transcript } = reliabilitySuite('concurrent');
const APPLY = ['apply', '--concurrency', '4'];
const ROUNDS = 3;
const ADDED_PER_ROUND = 3;
/** Rounds that start after an apply was killed holding the lock. */
const KILLED_BEFORE = new Set([1, 2]);
/** Long enough that the first apply of a pair still holds the lock when the second starts. */
const OPERATION_MS = 1000;
const LOCKED = /is locked by another apply since \S+ \([^)]+ ago\): .*pid \d+ on host \S+.*\(lock ID [0-9a-f]{12}\)\. Nothing was changed\./;

interface Target {
  /** Where each of the two racing applies runs (one folder for `file:`, two clones for `git:`). */
  dirs: [string, string];
  args: string[];
  state(): Promise<StateDocument | undefined>;
}

async function declare(target: Target, sessions: Map<string, Record<string, unknown>>, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const id = `conc-${sessions.size + 1}`;
    const body = secretSession(sessions.size + 1);
    sessions.set(id, expand(body.parameters, ENV_SECRETS));
    for (const dir of new Set(target.dirs)) await writeResourceFile(dir, `${id}.auth-session.json`, body);
  }
}

function run(project: Project, dir: string, args: string[]) {
  figures.add('cliRuns');
  return spawn(process.execPath, [CLI, ...APPLY, ...args, '--dir', dir], { env: project.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** An apply killed once its first operation started: it leaves its lock behind. */
async function killedApply(project: Project, target: Target): Promise<void> {
  const before = project.emulator.operations().length;
  const child = run(project, target.dirs[0], target.args);
  const done = collect(child);
  const unhook = project.onRequest(() => {
    if (project.emulator.operations().length > before) child.kill('SIGKILL');
  });
  const result = project.record('killed apply', await done);
  unhook();
  expect(result.signal).toBe('SIGKILL');
  figures.add('appliesKilledHoldingTheLock');
}

async function rounds(project: Project, target: Target): Promise<void> {
  const sessions = new Map<string, Record<string, unknown>>();
  for (let round = 0; round < ROUNDS; round += 1) {
    await declare(target, sessions, round === 0 ? 6 : ADDED_PER_ROUND);
    if (KILLED_BEFORE.has(round)) {
      await declare(target, sessions, 1);
      await killedApply(project, target);
    }
    const pair = await Promise.all(target.dirs.map(async (dir, index) => project.record(`concurrent apply ${round}.${index}`, await collect(run(project, dir, target.args)))));
    figures.add('concurrentApplyPairs');
    expectOneRefused(pair, round);
    figures.add('staleLocksTakenOver', pair.filter((result) => result.stderr.includes('warning: took over the stale lock')).length);

    const creates = createRequests(project.emulator);
    figures.add('duplicateCreates', Object.values(creates).reduce((total, count) => total + count - 1, 0));
    expect({ round, twice: Object.entries(creates).filter(([, count]) => count > 1) }).toEqual({ round, twice: [] });
    const known = new Set(Object.keys((await target.state())?.sessions ?? {}));
    const unknown = project.emulator.sessions().filter((session) => !known.has(session.id));
    figures.add('sessionsUnknownToState', unknown.length);
    expect({ round, unknown: unknown.map((session) => session.id) }).toEqual({ round, unknown: [] });
  }
  figures.add('roundsConverged', ROUNDS);
}

function expectOneRefused(pair: RunOutcome[], round: number): void {
  const codes = pair.map((result) => result.code).sort();
  expect({ round, codes, stderr: codes[0] === 0 ? '' : pair.map((result) => result.stderr).join('\n') }).toEqual({ round, codes: [0, 1], stderr: '' });
  const refused = pair.find((result) => result.code === 1)!;
  expect(refused.stderr).toMatch(LOCKED);
  // Refused before it read anything: it printed no plan.
  expect(refused.stderr).not.toContain('will perform these actions');
  figures.add('appliesRefusedByLock');
}

it('file: state: of two applies at once one runs and one is refused; nothing is created twice or lost from the state', async () => {
  const project = await createProject({ operationDurationMs: OPERATION_MS });
  await rounds(project, { dirs: [project.dir, project.dir], args: [], state: () => project.state() });
  const sessions = Object.fromEntries(project.emulator.sessions().map((session) => [session.id, session.parameters]));
  await expectConverged(project, { sessions, cli: true });
}, 120_000);

it('git: state from two clones: of two applies at once one runs and one is refused; nothing is created twice or lost from the branch', async () => {
  const project = await createProject({ operationDurationMs: OPERATION_MS });
  const root = await mkdtemp(join(tmpdir(), 'intuned-gitops-concurrent-'));
  try {
    const origin = await Origin.create(root);
    const clones: [Workspace, Workspace] = [await origin.clone(), await origin.clone()];
    const state = async () => {
      const text = await origin.state();
      if (text !== undefined) transcript.add('state branch', text);
      return text === undefined ? undefined : parseStateDocument(text, 'state branch');
    };
    await rounds(project, { dirs: [clones[0].dir, clones[1].dir], args: ['--state', `git:${STATE_BRANCH}`], state });
    const plan = project.record('final plan', await collect(spawn(process.execPath, [CLI, 'plan', '--detailed-exitcode', '--state', `git:${STATE_BRANCH}`, '--dir', clones[1].dir], { env: project.env, stdio: ['ignore', 'pipe', 'pipe'] })));
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}, 120_000);
