/**
 * The kill suite: the built CLI applies a dozen sessions, then change after change, and is
 * SIGKILLed at seeded points in every run; each round ends with a run to the end. Asserted
 * after every kill: the state parses (atomic writes), no session is orphaned, none is created
 * twice, the unmanaged one is untouched. Asserted after every round: convergence to an
 * all-noop plan, each session holding exactly its file's values, the state owning exactly the
 * declared sessions. `kill-changes.test.ts` runs another seed and mix (updates, deletes), in
 * its own file so the two run in parallel.
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { Figures } from './figures.js';
import { runKillSuite } from './kill-driver.js';
import { Project } from './project.js';
import { Transcript } from './transcript.js';

const transcript = new Transcript();
const figures = new Figures('kill');
let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});
afterAll(async () => {
  await figures.write(transcript);
  expect(transcript.leaks).toEqual([]);
});

it('converges after SIGKILLs during creates, adds and removes, losing and duplicating nothing', async () => {
  project = await Project.create({ transcript, figures, emulator: { operationDurationMs: 80 } });
  await runKillSuite({ project, figures, seed: 7001, initial: 12, rounds: 3, killsPerRound: 3, changes: ['add', 'add', 'remove', 'edit'] });
  expect(figures.get('kills')).toBeGreaterThanOrEqual(5);
}, 60_000);
