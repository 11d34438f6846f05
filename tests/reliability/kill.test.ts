/**
 * The kill suite: the built CLI applies a dozen sessions, then change after change, and is
 * SIGKILLed at seeded points in every run; each round ends with a run to the end. Asserted
 * after every kill: the state parses (atomic writes), no session is orphaned, none is created
 * twice, the unmanaged one is untouched. Asserted after every round: convergence to an
 * all-noop plan, each session holding exactly its file's values, the state owning exactly the
 * declared sessions. `kill-changes.test.ts` runs another seed and mix (updates, deletes), in
 * its own file so the two run in parallel.
 */
import { expect, it } from 'vitest';
import { runKillSuite } from './kill-driver.js';
import type { Project } from '../helpers/project.js';
import { reliabilitySuite } from './suite.js';

const { figures, createProject } = reliabilitySuite('kill');
let project: Project | undefined;


it('converges after SIGKILLs during creates, adds and removes, losing and duplicating nothing', async () => {
  project = await createProject({ operationDurationMs: 80 });
  await runKillSuite({ project, figures, seed: 7001, initial: 12, rounds: 3, killsPerRound: 3, changes: ['add', 'add', 'remove', 'edit'] });
  expect(figures.get('kills')).toBeGreaterThanOrEqual(5);
}, 60_000);
