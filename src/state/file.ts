/** `file:PATH` state: a JSON file replaced atomically (write a temp file, fsync, rename). */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StateError } from '../errors.js';
import type { StateBackend, StateDocument } from './types.js';
import { parseStateDocument, serializeState } from './document.js';

export function fileStateBackend(options: { path: string; dir: string; spec: string }): StateBackend {
  const path = isAbsolute(options.path) ? options.path : resolve(options.dir, options.path);
  return {
    description: options.spec,
    async read() {
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
