/**
 * The kill suite's second half (see `kill.test.ts`): another seed, and changes that are
 * mostly updates (a rotated `${env:}` value, edited parameters) and deletes.
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { Figures } from './figures.js';
import { runKillSuite } from './kill-driver.js';
import { Project } from './project.js';
import { Transcript } from './transcript.js';

const transcript = new Transcript();
const figures = new Figures('kill-changes');
let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});
afterAll(async () => {
  await figures.write(transcript);
  expect(transcript.leaks).toEqual([]);
});

it('converges after SIGKILLs during updates and deletes, losing and duplicating nothing', async () => {
  project = await Project.create({ transcript, figures, emulator: { operationDurationMs: 80 } });
  await runKillSuite({ project, figures, seed: 7002, initial: 12, rounds: 3, killsPerRound: 3, changes: ['rotate', 'edit', 'remove', 'add'] });
  expect(figures.get('kills')).toBeGreaterThanOrEqual(5);
}, 60_000);
