/**
 * Everything a reliability test file produced, scanned for the planted secrets as it is
 * recorded: CLI stdout and stderr, rendered documents, thrown errors (message, enumerable
 * fields, cause, `util.inspect`) and every file a run wrote. Only sizes and findings are
 * kept, so long suites stay light.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { inspect } from 'node:util';
import { plantedSecrets } from './secrets.js';

export interface Leak {
  /** Where it was found, e.g. `cli stderr: reconcile` or `file: .intuned-gitops/state.json`. */
  where: string;
  /** Which planted value (shortened, so a report does not repeat it whole). */
  secret: string;
}

/** Files under a project that are the suite's own inputs, not something the tool produced. */
const INPUT_FOLDER = 'intuned-resources';

export class Transcript {
  readonly leaks: Leak[] = [];
  bytes = 0;
  items = 0;
  private readonly secrets: string[];

  constructor(extraSecrets: readonly string[] = []) {
    this.secrets = [...plantedSecrets(), ...extraSecrets];
  }

  add(where: string, text: string): void {
    this.items += 1;
    this.bytes += Buffer.byteLength(text);
    for (const secret of this.secrets) {
      if (text.includes(secret)) this.leaks.push({ where, secret: `${secret.slice(0, 6)}…` });
    }
  }

  /** An error as every consumer could see it: message, fields, cause, inspection, JSON. */
  addError(where: string, error: unknown): void {
    const fields = error !== null && typeof error === 'object' ? safeJson({ ...error }) : '';
    const cause = error instanceof Error && error.cause !== undefined ? inspect(error.cause, { depth: 8 }) : '';
    this.add(`${where} (error)`, [String(error), fields, cause, inspect(error, { depth: 8 })].join('\n'));
  }

  /** Every file under `dir` except the resource files the test wrote itself. */
  async addTree(where: string, dir: string): Promise<number> {
    let files = 0;
    for (const path of await listFiles(dir)) {
      const name = relative(dir, path);
      if (name.split(/[\\/]/)[0] === INPUT_FOLDER) continue;
      this.add(`${where}: ${name}`, await readFile(path, 'utf8'));
      files += 1;
    }
    return files;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}
