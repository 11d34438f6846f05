/**
 * Secrets in the Action: each is registered with the runner (`::add-mask::`) before anything
 * could print it, and kept here to mask what the runner does not see: the PR comment, the job
 * summary and the outputs.
 */
import type { Output } from '../io.js';
import type { LoadResult } from '../resources/types.js';
import { collectSecrets, maskSecrets } from '../secrets.js';
import type { ActionIO } from './types.js';

export class ActionSecrets {
  private readonly known = new Set<string>();
  private sorted: string[] = [];

  constructor(private readonly io: ActionIO) {}

  add(...values: (string | undefined)[]): void {
    // Inputs are read trimmed: the trimmed value is the one that could be printed.
    for (const value of values.flatMap((item) => (item?.trim() ? [item.trim()] : []))) {
      if (this.known.has(value)) continue;
      this.known.add(value);
      this.io.setSecret(value);
      // The runner masks line by line: a multi-line value is registered per line too.
      for (const line of value.split(/\r?\n/)) if (line.trim() && line !== value) this.io.setSecret(line);
    }
    this.sorted = [...this.known].sort((a, b) => b.length - a.length);
  }

  /** Every `${env:}` value and parameter string of the loaded files (the CLI's thresholds). */
  addLoaded(load: Pick<LoadResult, 'sessions'>): void {
    this.add(...collectSecrets(load.sessions));
  }

  mask(text: string): string {
    return maskSecrets(text, this.sorted);
  }
}

/** The log as an `Output` (progress and renderers write to it), masked. */
export function logOutput(io: ActionIO, secrets: ActionSecrets): Output {
  const write = (text: string) => {
    const trimmed = text.endsWith('\n') ? text.slice(0, -1) : text;
    if (trimmed) io.info(secrets.mask(trimmed));
  };
  return { out: write, err: write, interactive: false };
}
