/**
 * One reliability test file's frame: its transcript (scanned for planted secrets), its figures,
 * and projects that are closed after each test. After the file, the figures are written and the
 * file fails if anything it produced held a secret.
 */
import { afterAll, afterEach, expect } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { Figures } from './figures.js';
import { Project } from '../helpers/project.js';
import { baseEnv } from './secrets.js';
import { Transcript } from './transcript.js';

/** A project on a fresh emulator with this suite's credentials and secrets, its runs recorded. */
export function openProject(transcript: Transcript, figures: Figures, emulator: EmulatorOptions = {}): Promise<Project> {
  return Project.create({ operationDurationMs: 60, ...emulator }, { env: baseEnv, record: { transcript, figures } });
}

export function reliabilitySuite(name: string) {
  const transcript = new Transcript();
  const figures = new Figures(name);
  let current: Project | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  afterAll(async () => {
    await figures.write(transcript);
    expect(transcript.leaks).toEqual([]);
  });
  return {
    transcript,
    figures,
    /** A project on a fresh emulator, closed after the test. */
    async createProject(emulator?: EmulatorOptions): Promise<Project> {
      current = await openProject(transcript, figures, emulator);
      return current;
    },
  };
}
