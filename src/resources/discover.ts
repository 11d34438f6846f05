/**
 * Finding resource files under the project directory. Symbolic links to directories are not
 * followed (no loops, no escapes); links to files are returned and checked by `read.ts`.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { authSessionIdFromFile } from './rules.js';

export const AUTH_SESSIONS_FOLDER = 'intuned-resources/auth-sessions';

export interface Discovery {
  /** Whether `intuned-resources/auth-sessions` exists (as a directory). */
  folderFound: boolean;
  /** Resource files, relative to the directory with `/`, sorted. */
  files: string[];
  /** `.json`/`.jsonc` files in the folder whose names do not end in `.auth-session.json(c)`. */
  misnamed: string[];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function discoverResourceFiles(dir: string): Promise<Discovery> {
  if (!(await isDirectory(join(dir, AUTH_SESSIONS_FOLDER)))) {
    return { folderFound: false, files: [], misnamed: [] };
  }
  const entries = await fg(`${AUTH_SESSIONS_FOLDER}/**/*.{json,jsonc}`, {
    cwd: dir,
    objectMode: true,
    // Entries of every kind: a link or a directory with a resource file's name is reported,
    // not silently skipped.
    onlyFiles: false,
    followSymbolicLinks: false,
    dot: false,
    unique: true,
  });
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const named = (entry: fg.Entry) => authSessionIdFromFile(entry.path) !== undefined;
  return {
    folderFound: true,
    files: sorted.filter(named).map((entry) => entry.path),
    misnamed: sorted
      .filter((entry) => !named(entry) && !entry.dirent.isDirectory())
      .map((entry) => entry.path),
  };
}
