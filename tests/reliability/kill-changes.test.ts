/**
 * The kill suite's second half (see `kill.test.ts`): another seed, and changes that are
 * mostly updates (a rotated `${env:}` value, edited parameters) and deletes.
 */
import { expect, it } from 'vitest';
import { runKillSuite } from './kill-driver.js';
import type { Project } from '../helpers/project.js';
import { reliabilitySuite } from './suite.js';

const { figures, createProject } = reliabilitySuite('kill-changes');
let project: Project | undefined;


it('converges after SIGKILLs during updates and deletes, losing and duplicating nothing', async () => {
  project = await createProject({ operationDurationMs: 80 });
  await runKillSuite({ project, figures, seed: 7002, initial: 12, rounds: 3, killsPerRound: 3, changes: ['rotate', 'edit', 'remove', 'add'] });
  expect(figures.get('kills')).toBeGreaterThanOrEqual(5);
}, 60_000);
