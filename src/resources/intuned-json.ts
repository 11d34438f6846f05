/**
 * Intuned's own project file, `Intuned.json` (or `.jsonc`) at the project root. intuned-gitops
 * does not manage it, but a project that declares sessions while its file leaves AuthSessions
 * (or API access) off will not run them, so `validate` warns. Warnings only: the file is
 * Intuned's, and a project root without one (the files kept elsewhere) is fine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { Problem } from '../errors.js';
import { parseJsonc } from './parse.js';
import { positionIndex, START_OF_FILE } from './positions.js';
import { readResourceFile } from './read.js';

export const INTUNED_PROJECT_FILES = ['Intuned.json', 'Intuned.jsonc'] as const;

interface Setting {
  path: string[];
  /** What the setting is for, after "…is not true, ". */
  why: string;
}

const REQUIRED_SETTINGS: readonly Setting[] = [
  {
    path: ['authSessions', 'enabled'],
    why: 'so Intuned runs no AuthSession of this project; set "authSessions": { "enabled": true, "type": "API" } and deploy the project',
  },
  {
    path: ['apiAccess', 'enabled'],
    why: 'and Intuned needs it for AuthSessions made through its API; set "apiAccess": { "enabled": true } and deploy the project',
  },
];

/** The deepest node of `path` that exists, for the position of the warning. */
function nearestNode(root: Node, path: readonly string[]): Node | undefined {
  for (let length = path.length; length > 0; length -= 1) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (node) return node;
  }
  return undefined;
}

export function intunedJsonWarnings(options: { dir: string; root: string; sessionFiles: number }): Problem[] {
  if (options.sessionFiles === 0) return [];
  const file = INTUNED_PROJECT_FILES.find((name) => existsSync(join(options.dir, name)));
  if (!file) return [];
  const warning = (message: string, position = START_OF_FILE): Problem => ({ file, ...position, message });
  const read = readResourceFile({ root: options.root, path: join(options.dir, file) });
  if (!read.ok) return [warning(`${read.message}; whether AuthSessions are enabled was not checked`)];
  const parsed = parseJsonc(read.text);
  if (!parsed.ok) {
    return [warning(`${parsed.message}; whether AuthSessions are enabled was not checked`, positionIndex(read.text)(parsed.offset))];
  }
  const positionAt = positionIndex(read.text);
  const files = `${options.sessionFiles} ${options.sessionFiles === 1 ? 'file declares' : 'files declare'} AuthSessions`;
  return REQUIRED_SETTINGS.flatMap(({ path, why }) => {
    const node = findNodeAtLocation(parsed.root, path);
    if (node?.type === 'boolean' && node.value === true) return [];
    const at = nearestNode(parsed.root, path);
    return [warning(`${path.join('.')} is not true but ${files}, ${why}`, at ? positionAt(at.offset) : START_OF_FILE)];
  });
}
