/**
 * The run after a SIGKILL mid-apply, through the built CLI: what it says about the operations
 * the killed run started, whether they still run (it waits for them) or ended meanwhile (it
 * records them). Either way they are counted, never "No changes".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collect, Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

const IDS = ['ses-a', 'ses-b', 'ses-c'];
let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function recordsStarted(p: Project): Promise<boolean> {
  const state = await p.state().catch(() => undefined);
  return IDS.every((id) => state?.sessions[id]?.operation?.kind === 'update' && state.sessions[id]!.operation!.status === 'started');
}

/** Applies three sessions, changes them, and kills the apply once its three updates have started. */
async function killedMidUpdate(): Promise<Project> {
  const p = (project = await Project.create({ operationDurationMs: 2_500 }));
  for (const id of IDS) await p.file(`${id}.auth-session.json`, session({ value: 'x' }));
  expect((await p.run(['apply'])).code).toBe(0);
  for (const id of IDS) await p.file(`${id}.auth-session.json`, session({ value: 'y' }));
  const child = p.spawn(['apply']);
  const done = collect(child);
  const deadline = Date.now() + 15_000;
  while (Object.keys(p.starts('update')).length < IDS.length && Date.now() < deadline) await sleep(20);
  // Killed once the state records the three operation IDs (a fixed wait was too short on a
  // loaded machine, and the next run then rightly started the updates again).
  while (!(await recordsStarted(p)) && Date.now() < deadline) await sleep(20);
  child.kill('SIGKILL');
  await done;
  return p;
}

describe('the run after a killed apply (the built CLI)', () => {
  it('waits for the updates still running, says so, and counts them as updated', async () => {
    const p = await killedMidUpdate();
    const rerun = await p.run(['apply']);
    expect(rerun.code, rerun.stderr).toBe(0);
    for (const id of IDS) expect(rerun.stderr).toContain(`update ${id}: waiting for the update an earlier run started`);
    expect(rerun.stderr).not.toContain(': started');
    expect(rerun.stdout).toContain('Apply complete: 0 created, 3 updated, 0 deleted, 0 skipped, 0 failed (3 were operations an earlier run started).');
    expect(rerun.stdout).not.toContain('No changes');
    expect(p.starts('update')).toEqual({ 'ses-a': 1, 'ses-b': 1, 'ses-c': 1 });
  }, 60_000);

  it('records the updates that ended meanwhile and counts them, instead of saying "No changes"', async () => {
    const p = await killedMidUpdate();
    await sleep(3_000);
    const rerun = await p.run(['apply']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).not.toContain('No changes');
    expect(rerun.stdout).toContain('Nothing to start: 3 operations an earlier run started have finished, and the apply records them as applied.');
    expect(rerun.stdout).toContain('  ✓ update ses-a succeeded (started by an earlier run)');
    expect(rerun.stdout).toContain('Apply complete: 0 created, 3 updated, 0 deleted, 0 skipped, 0 failed (3 were operations an earlier run started).');
    expect(p.starts('update')).toEqual({ 'ses-a': 1, 'ses-b': 1, 'ses-c': 1 });
    const after = await p.run(['plan', '--output', 'json']);
    expect(JSON.parse(after.stdout).changes.map((change: { reason: string }) => change.reason)).toEqual(['up to date', 'up to date', 'up to date']);
  }, 60_000);
});
