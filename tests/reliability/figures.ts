/**
 * The figures of a reliability test file (faults injected, kills survived, inputs tried, ...)
 * written as JSON to a folder outside the repo, for `scripts/reliability-report.mjs` and
 * RELIABILITY.md. Each file writes its own document, so parallel test files never race.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transcript } from './transcript.js';

/** Override with INTUNED_GITOPS_RELIABILITY_DIR; the report script reads the same place. */
export const FIGURES_DIR = process.env.INTUNED_GITOPS_RELIABILITY_DIR ?? join(tmpdir(), 'intuned-gitops-reliability');

export class Figures {
  private readonly counters: Record<string, number> = {};

  constructor(readonly suite: string) {}

  add(name: string, amount = 1): void {
    if (amount === 0) return;
    this.counters[name] = (this.counters[name] ?? 0) + amount;
  }

  get(name: string): number {
    return this.counters[name] ?? 0;
  }

  async write(transcript: Transcript): Promise<void> {
    const document = {
      suite: this.suite,
      finishedAt: new Date().toISOString(),
      node: process.version,
      counters: {
        ...this.counters,
        outputsScanned: transcript.items,
        bytesScanned: transcript.bytes,
        secretLeaks: transcript.leaks.length,
      },
    };
    await mkdir(FIGURES_DIR, { recursive: true });
    await writeFile(join(FIGURES_DIR, `${this.suite}.json`), `${JSON.stringify(document, null, 2)}\n`);
  }
}
