/**
 * The kill suite's driver: rounds of desired-state changes, each applied by the built CLI
 * that is SIGKILLed at seeded points (the k-th answered request plus a few ms, or a time
 * after spawn), then run once more to the end. After every kill the state must parse and
 * nothing may be lost, orphaned or created twice; after every round everything converges.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { collect } from '../helpers/project.js';
import type { Figures } from './figures.js';
import { expand, expectConverged } from './invariants.js';
import { STATE_FILE, type Project } from '../helpers/project.js';
import { integer, seeded } from './random.js';
import { baseEnv, ENV_SECRETS, secretSession, type SessionBody } from './secrets.js';

/** A change to the declared sessions between rounds. */
export type Change = 'rotate' | 'edit' | 'add' | 'remove';

export interface KillSuite {
  project: Project;
  figures: Figures;
  seed: number;
  /** Sessions declared before the first kill. */
  initial: number;
  rounds: number;
  killsPerRound: number;
  /** Changes drawn (seeded) before every kill but the first, so each killed run has work. */
  changes: Change[];
}

/**
 * A change costs a run at least two answered requests (its start and a poll) besides the one
 * list, so a kill at request 1..(1 + 2 × changes pending) lands inside the run.
 */
const REQUESTS_PER_CHANGE = 2;
const MAX_KILL_EXTRA_MS = 15;
/** One kill in this many is timed from the spawn instead (start-up, loading, planning). */
const TIME_KILL_EVERY = 5;
const MAX_KILL_AFTER_SPAWN_MS = 700;
const APPLY = ['apply', '--force', '--concurrency', '4'];
const UNMANAGED = 'made-in-dashboard';

interface Desired {
  bodies: Map<string, SessionBody>;
  env: Record<string, string>;
  next: number;
  /** Sessions changed since the last run that finished. */
  pending: number;
}

export async function runKillSuite(suite: KillSuite): Promise<void> {
  const { project, figures } = suite;
  const random = seeded(suite.seed);
  const desired: Desired = { bodies: new Map(), env: {}, next: 0, pending: 0 };
  project.emulator.seedSession({ id: UNMANAGED });
  for (let index = 0; index < suite.initial; index += 1) await add(project, desired);

  for (let round = 0; round < suite.rounds; round += 1) {
    for (let kill = 0; kill < suite.killsPerRound; kill += 1) {
      if (round > 0 || kill > 0) await applyChange(project, desired, suite.changes[integer(random, 0, suite.changes.length - 1)]!, random, round);
      const before = declaredRemote(project, desired);
      const killed = await killedRun(project, desired, random);
      figures.add(killed ? 'kills' : 'runsFinishedBeforeTheirKill');
      if (!killed) desired.pending = 0;
      await checkAfterRun(project, desired, { figures, killed, before, where: `seed ${suite.seed}, round ${round}, kill ${kill}` });
    }
    const rerun = await project.run(APPLY, desired.env);
    expect({ round, code: rerun.code, stderr: rerun.code === 0 ? '' : rerun.stderr }).toEqual({ round, code: 0, stderr: '' });
    desired.pending = 0;
    figures.add('roundsConverged');
    await expectConverged(project, { sessions: expected(desired), unmanaged: [UNMANAGED], env: desired.env });
  }
  figures.add('sessionsManaged', desired.next);
  figures.add('leftoverTempFiles', await leftoverTempFiles(project));
}

async function killedRun(project: Project, desired: Desired, random: () => number): Promise<boolean> {
  const child = project.spawn(APPLY, desired.env);
  const done = collect(child);
  const kill = () => child.kill('SIGKILL');
  let timer: NodeJS.Timeout | undefined;
  let unhook = () => {};
  if (integer(random, 1, TIME_KILL_EVERY) === 1) {
    timer = setTimeout(kill, integer(random, 0, MAX_KILL_AFTER_SPAWN_MS));
  } else {
    const at = integer(random, 1, 1 + REQUESTS_PER_CHANGE * desired.pending);
    const extra = integer(random, 0, MAX_KILL_EXTRA_MS);
    let answered = 0;
    unhook = project.onRequest(() => {
      answered += 1;
      if (answered === at) timer = setTimeout(kill, extra);
    });
  }
  const result = project.record('killed apply', await done);
  unhook();
  clearTimeout(timer);
  return result.signal === 'SIGKILL';
}

/** Declared sessions that exist remotely: none of them may disappear. */
function declaredRemote(project: Project, desired: Desired): string[] {
  return project.emulator.sessions().map((session) => session.id).filter((id) => desired.bodies.has(id));
}

interface AfterRun {
  figures: Figures;
  killed: boolean;
  before: string[];
  /** Seed, round and kill, to replay a failure. */
  where: string;
}

/** What must hold at any instant, even right after a kill. */
async function checkAfterRun(project: Project, desired: Desired, check: AfterRun): Promise<void> {
  const { figures, where } = check;
  const state = await project.state();
  if (check.killed) figures.add('stateParsedAfterKill');
  const owned = new Set(Object.keys(state?.sessions ?? {}));
  // Which windows the kills hit: an API call whose answer was never recorded, or an operation left running.
  for (const session of Object.values(state?.sessions ?? {})) {
    if (session.operation?.status === 'starting') figures.add('operationsLeftStartingByKills');
    if (session.operation?.status === 'started') figures.add('operationsLeftRunningByKills');
  }
  const remote = project.emulator.sessions().map((session) => session.id);
  // Lost: a declared session that existed before the run and is gone after it.
  const lost = check.before.filter((id) => !remote.includes(id));
  // Orphaned: a session nobody declares and the state does not own could never be deleted.
  const orphans = remote.filter((id) => id !== UNMANAGED && !desired.bodies.has(id) && !owned.has(id));
  const duplicates = Object.entries(project.starts('create')).filter(([, count]) => count > 1);
  const unmanaged = { exists: remote.includes(UNMANAGED), owned: owned.has(UNMANAGED) };
  expect({ where, lost, orphans, duplicates, unmanaged }).toEqual({ where, lost: [], orphans: [], duplicates: [], unmanaged: { exists: true, owned: false } });
}

async function applyChange(project: Project, desired: Desired, change: Change, random: () => number, round: number): Promise<void> {
  const ids = [...desired.bodies.keys()];
  const pick = () => ids.splice(integer(random, 0, ids.length - 1), 1)[0]!;
  switch (change) {
    case 'rotate':
      // Derived from the planted value, so the secret scan still recognises it.
      desired.env = { ...desired.env, REL_PASSWORD: `${ENV_SECRETS.REL_PASSWORD}-${desired.next}-${round}-${integer(random, 0, 1e6)}` };
      desired.pending += desired.bodies.size;
      return;
    case 'edit':
      for (let count = 0; count < 3 && ids.length > 0; count += 1) {
        const id = pick();
        const body = desired.bodies.get(id)!;
        const parameters = { ...body.parameters, note: `edited in round ${round}, ${integer(random, 0, 1e6)}` };
        desired.bodies.set(id, { ...body, parameters });
        desired.pending += 1;
        await project.file(`${id}.auth-session.json`, desired.bodies.get(id));
      }
      return;
    case 'add':
      await add(project, desired);
      await add(project, desired);
      return;
    case 'remove':
      for (let count = 0; count < 2 && ids.length > 0; count += 1) {
        const id = pick();
        desired.bodies.delete(id);
        desired.pending += 1;
        await project.remove(`${id}.auth-session.json`);
      }
      return;
  }
}

async function add(project: Project, desired: Desired): Promise<void> {
  // IDs are never reused, so "at most one create per ID" is exact.
  const id = `k-${String(desired.next).padStart(2, '0')}`;
  const body = secretSession(desired.next);
  desired.next += 1;
  desired.bodies.set(id, body);
  desired.pending += 1;
  await project.file(`${id}.auth-session.json`, body);
}

function expected(desired: Desired): Record<string, Record<string, unknown>> {
  const env = { ...baseEnv(''), ...desired.env };
  return Object.fromEntries([...desired.bodies].map(([id, body]) => [id, expand(body.parameters, env)]));
}

/** Temp files of state writes cut short by a kill (harmless: the next write renames its own). */
async function leftoverTempFiles(project: Project): Promise<number> {
  const folder = join(project.dir, dirname(STATE_FILE));
  return (await readdir(folder)).filter((name) => name.endsWith('.tmp')).length;
}
