/** `file:PATH` state: a JSON file replaced atomically (write a temp file, fsync, rename), locked by `PATH.lock`. */
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StateError } from '../errors.js';
import type { StateBackend, StateDocument } from './types.js';
import { parseStateDocument, serializeState } from './document.js';
import { fileLocking } from './file-lock.js';

export function fileStateBackend(options: { path: string; dir: string; spec: string }): StateBackend {
  const path = isAbsolute(options.path) ? options.path : resolve(options.dir, options.path);
  return {
    description: options.spec,
    locking: fileLocking({ statePath: path, description: options.spec }),
    async read() {
      await removeStaleTemporaries(path);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new StateError(`cannot read the state file ${path}: ${(error as Error).message}`);
      }
      return parseStateDocument(text, path);
    },
    async write(document: StateDocument) {
      await writeAtomically(path, serializeState(document));
    },
  };
}

export async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new StateError(`cannot write the state file ${path}: ${(error as Error).message}`);
  }
}

/** A temp file older than this was left by a run killed mid-write, not by one writing now. */
const STALE_TEMPORARY_MS = 60_000;

async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const temporary = join(dirname(path), name);
    const info = await stat(temporary).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_TEMPORARY_MS) await rm(temporary, { force: true });
  }
}
