/**
 * Finding resource files under the project directory, by walking it with the file system
 * rather than a glob library: fast-glob either skips linked folders in silence or follows them
 * out of the project and round a loop 40 times (ELOOP), and a folder skipped in silence is a
 * folder whose sessions the apply deletes.
 *
 * So a linked folder is followed while it stays inside the project, and refused (a problem
 * naming the link) when it leaves it or leads back to a folder that contains it. Links to files
 * are returned and checked by `read.ts`. Names that look meant but do not match are problems.
 *
 * Synchronous for the same reason as `read.ts`: a short-lived process, small folders.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Problem } from '../errors.js';
import { START_OF_FILE } from './positions.js';
import type { ResourceKind } from './kind.js';
import { AUTH_SESSION_KIND, RESOURCES_FOLDER } from './kinds.js';
import { describeFsError } from './read.js';
import { backupOf, idFromFile, nearMissProblem, orphanBackupProblem } from './rules.js';

export { RESOURCES_FOLDER };
export const AUTH_SESSIONS_FOLDER = AUTH_SESSION_KIND.folder;

/** A bound on folders walked, so links cannot make the walk blow up; far above any project. */
export const MAX_DISCOVERED_FOLDERS = 1_000;

const OUTSIDE_ADVICE =
  'intuned-gitops reads only files inside it, so move the folder into the project or copy the files in';

export interface Discovery {
  /** Whether something exists at the kind's folder (`intuned-resources/auth-sessions`). */
  folderFound: boolean;
  /** Resource files, relative to the directory with `/`, sorted. */
  files: string[];
  /** Those of `files` found as files, not links, in folders inside the project: no real path needed to read them. */
  plainFiles: ReadonlySet<string>;
  /** Folders that cannot be walked and names that look meant but do not match. */
  problems: Problem[];
}

interface Walk {
  kind: ResourceKind;
  dir: string;
  root: string;
  files: string[];
  plainFiles: Set<string>;
  problems: Problem[];
  folders: number;
  /** Backups of resource files, checked once every file is known (orphanBackups). */
  backups: { file: string; id: string }[];
}

function problem(file: string, message: string): Problem {
  return { file, ...START_OF_FILE, message };
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function shown(root: string, real: string): string {
  return relative(root, real).split('\\').join('/') || '. (the project directory)';
}

type LinkTarget = { kind: 'folder'; real: string } | { kind: 'refused'; problem: Problem } | { kind: 'other' };

function loopProblem(root: string, rel: string, real: string): Problem {
  return problem(
    rel,
    `is a symbolic link to ${shown(root, real)}, a folder that contains it, so following it ` +
      'would loop; remove the link',
  );
}

/** What a link leads to; `chain` holds the real paths of the folders that contain it. */
function linkTarget(walk: Walk, rel: string, chain: readonly string[]): LinkTarget {
  let real: string;
  try {
    real = realpathSync.native(join(walk.dir, rel));
    if (!statSync(real).isDirectory()) return { kind: 'other' };
  } catch {
    return { kind: 'other' }; // A dangling link: checked by its name, like any other entry.
  }
  if (chain.includes(real)) return { kind: 'refused', problem: loopProblem(walk.root, rel, real) };
  if (!isWithin(walk.root, real)) {
    return {
      kind: 'refused',
      problem: problem(rel, `is a symbolic link to a folder outside the project directory; ${OUTSIDE_ADVICE}`),
    };
  }
  return { kind: 'folder', real };
}

function readFolder(walk: Walk, rel: string): Dirent[] | undefined {
  try {
    return readdirSync(join(walk.dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (error) {
    walk.problems.push(problem(rel, `folder cannot be read (${errnoCode(error) ?? 'unknown error'}); check its permissions`));
    return undefined;
  }
}

function walkFolder(walk: Walk, rel: string, chain: readonly string[]): void {
  walk.folders += 1;
  if (walk.folders > MAX_DISCOVERED_FOLDERS) {
    if (walk.folders === MAX_DISCOVERED_FOLDERS + 1) {
      walk.problems.push(
        problem(
          walk.kind.folder,
          `holds more than ${MAX_DISCOVERED_FOLDERS} folders (counting each linked folder every ` +
            'time it is reached); link fewer folders',
        ),
      );
    }
    return;
  }
  const real = chain[chain.length - 1]!;
  for (const entry of readFolder(walk, rel) ?? []) {
    // Hidden entries (editor lock files, .DS_Store, .git) are never resources.
    if (entry.name.startsWith('.')) continue;
    const path = `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      // A folder named like a resource file is reported (by the read), and still walked.
      if (idFromFile(path, walk.kind) !== undefined) walk.files.push(path);
      walkFolder(walk, path, [...chain, join(real, entry.name)]);
      continue;
    }
    const target: LinkTarget = entry.isSymbolicLink() ? linkTarget(walk, path, chain) : { kind: 'other' };
    if (target.kind === 'folder') walkFolder(walk, path, [...chain, target.real]);
    else if (target.kind === 'refused') walk.problems.push(target.problem);
    else classifyFile(walk, path, entry.isFile());
  }
}

/** A file, a link to one, a dangling link or anything else that is not a folder. */
function classifyFile(walk: Walk, path: string, plain: boolean): void {
  if (idFromFile(path, walk.kind) !== undefined) {
    walk.files.push(path);
    if (plain) walk.plainFiles.add(path);
    return;
  }
  const backup = backupOf(path, walk.kind);
  if (backup !== undefined) {
    walk.backups.push({ file: path, id: backup });
    return;
  }
  const nearMiss = nearMissProblem(path, walk.kind);
  if (nearMiss) walk.problems.push(nearMiss);
}

/** Backups whose resource no file declares: the file switched off, whose resource an apply would delete. */
function orphanBackups(walk: Walk): Problem[] {
  const declared = new Set(walk.files.map((file) => idFromFile(file, walk.kind)));
  return walk.backups.filter(({ id }) => !declared.has(id)).map(({ file, id }) => orphanBackupProblem(file, id, walk.kind));
}

/** What is at the folder's path, when it is not a folder inside the project. */
function folderProblem(dir: string, root: string, folder: string): Problem | undefined {
  let real: string;
  let resources: string;
  try {
    resources = realpathSync.native(join(dir, RESOURCES_FOLDER));
    real = realpathSync.native(join(dir, folder));
  } catch (error) {
    return problem(folder, describeFsError(error));
  }
  if (real === root || real === resources) return loopProblem(root, folder, real);
  if (!isWithin(root, real)) {
    // Name the link that leaves: intuned-resources itself, or the kind's folder.
    const link = isLink(join(dir, RESOURCES_FOLDER)) ? RESOURCES_FOLDER : folder;
    const name = link.slice(link.lastIndexOf('/') + 1);
    return problem(
      link,
      `the ${name} folder is a symbolic link to a folder outside the project directory; ${OUTSIDE_ADVICE}`,
    );
  }
  if (!statSync(real).isDirectory()) {
    return problem(folder, `is not a folder; resource files go in a folder ${folder}`);
  }
  return undefined;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Case, `-`, `_`, `.` and a plural aside: `Intuned_Resources`, `auth-session`. */
function squashed(name: string): string {
  return name.toLowerCase().replace(/[-_. ]/g, '').replace(/s$/, '');
}

/**
 * Folders spelled almost like `intuned-resources` or the kind's (`auth-sessions`): their files
 * would not be read, so an apply would delete the resources they mean to declare. The
 * `intuned-resources` one is reported with the first kind only.
 */
function nearMissFolders(dir: string, kind: ResourceKind): Problem[] {
  const expected = [
    ...(kind === AUTH_SESSION_KIND ? [{ parent: '', name: RESOURCES_FOLDER }] : []),
    { parent: RESOURCES_FOLDER, name: kind.folder.slice(RESOURCES_FOLDER.length + 1) },
  ];
  return expected.flatMap(({ parent, name }) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(dir, parent), { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((entry) => entry.name !== name && squashed(entry.name) === squashed(name))
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) =>
        problem(
          parent ? `${parent}/${entry.name}` : entry.name,
          `not read: resource folders are named exactly ${kind.folder}; rename it to ${JSON.stringify(name)}`,
        ),
      );
  });
}

/** AuthSession files. `dir` is the absolute project directory, `root` its real path. */
export function discoverResourceFiles(dir: string, root: string): Discovery {
  return discoverKindFiles(dir, root, AUTH_SESSION_KIND);
}

/** The files of one kind, under its folder. */
export function discoverKindFiles(dir: string, root: string, kind: ResourceKind): Discovery {
  const misspelt = nearMissFolders(dir, kind);
  if (!exists(join(dir, kind.folder))) {
    return { folderFound: false, files: [], plainFiles: new Set(), problems: misspelt };
  }
  const refused = folderProblem(dir, root, kind.folder);
  if (refused) return { folderFound: true, files: [], plainFiles: new Set(), problems: [...misspelt, refused] };
  const walk: Walk = { kind, dir, root, files: [], plainFiles: new Set(), problems: misspelt, folders: 0, backups: [] };
  const chain = [root, realpathSync.native(join(dir, RESOURCES_FOLDER)), realpathSync.native(join(dir, kind.folder))];
  walkFolder(walk, kind.folder, chain);
  return { folderFound: true, files: walk.files.sort(), plainFiles: walk.plainFiles, problems: [...walk.problems, ...orphanBackups(walk)] };
}
