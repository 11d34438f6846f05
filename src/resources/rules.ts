/**
 * Rules about file names and across files: the ID a file name gives, and one file per ID.
 * Each returns problems as data; the loader collects them with everything else.
 */
import type { Problem } from '../errors.js';
import type { ResourceKind } from './kind.js';
import { AUTH_SESSION_KIND, KINDS } from './kinds.js';
import { START_OF_FILE } from './positions.js';

/** Longest first, so `.jsonc` is not read as `.json` + `c`. */
export const RESOURCE_FILE_SUFFIXES = AUTH_SESSION_KIND.suffixes;

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** The ID a file of `kind` declares (`crm/acme.auth-session.jsonc` → `acme`), if it is one. */
export function idFromFile(file: string, kind: ResourceKind): string | undefined {
  const name = baseName(file);
  const suffix = kind.suffixes.find((candidate) => name.endsWith(candidate));
  return suffix === undefined ? undefined : name.slice(0, -suffix.length);
}

export function authSessionIdFromFile(file: string): string | undefined {
  return idFromFile(file, AUTH_SESSION_KIND);
}

/** What is wrong with an ID, for a person who must rename the file. */
export function idProblemMessages(id: string, kind: ResourceKind = AUTH_SESSION_KIND): string[] {
  const { pattern, minLength, allowed } = kind.ids;
  // JSON.stringify: a file name may hold control characters that must not reach a terminal raw.
  const shown = JSON.stringify(id);
  const messages: string[] = [];
  if (id.length < minLength) {
    messages.push(
      minLength === 1
        ? `ID ${shown} (from the file name) is empty; rename the file`
        : `ID ${shown} (from the file name) is too short: an ID needs at least ` +
            `${minLength} characters; rename the file`,
    );
  }
  if (id.length > 0 && !pattern.test(id)) {
    const forbidden = [...new Set([...id].filter((char) => !pattern.test(char)))];
    messages.push(
      `ID ${shown} (from the file name) has characters that are not allowed: ` +
        `${forbidden.map((char) => JSON.stringify(char)).join(', ')}; rename the file using ` +
        `only ${allowed}`,
    );
  }
  return messages;
}

/** IDs that are valid but that Intuned may refuse (unconfirmed rules), as warnings. */
export function idWarningMessages(id: string, kind: ResourceKind): string[] {
  return idProblemMessages(id, kind).length === 0 ? (kind.ids.warnings?.(id) ?? []) : [];
}

/** Extensions of data files: in the auth-sessions folder, such a file is meant as a resource. */
const DATA_EXTENSIONS = new Set(['json', 'jsonc', 'json5', 'yaml', 'yml', 'toml']);
const JSON_EXTENSIONS = new Set(['json', 'jsonc']);

/**
 * The name a file was probably meant to have, when its name looks meant as a resource file
 * but does not match (`X.AUTH-SESSION.JSON`, `x.auth-session.yaml`, `x.authsession.json`,
 * `x.json`); undefined for other files (a README) and for names that match.
 */
export function intendedFileName(
  file: string,
  kind: ResourceKind = AUTH_SESSION_KIND,
): { name: string; rewrite: boolean } | undefined {
  const name = baseName(file);
  if (idFromFile(name, kind) !== undefined || backupOf(name, kind) !== undefined) return undefined;
  // `billing.auth-session.json ` (a space an editor or a shell left) reads as another name.
  const trimmed = name.trim();
  if (trimmed !== name && idFromFile(trimmed, kind) !== undefined) return { name: trimmed, rewrite: false };
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const isData = DATA_EXTENSIONS.has(extension);
  const marker = kind.suffixes[0]!.slice(0, kind.suffixes[0]!.lastIndexOf('.'));
  // `acme.auth-session` (no extension) has its marker last; `acme.yaml` has it nowhere;
  // `acme.auth-session.txt` has it before a wrong extension.
  const stem = isData ? name.slice(0, dot) : name;
  const marked = kind.misspelledSuffix.exec(stem) ?? (dot > 0 ? kind.misspelledSuffix.exec(name.slice(0, dot)) : null);
  if (!isData && !marked) return undefined;
  const id = marked ? marked[1]! : withoutPartialMarker(stem, marker);
  const json = JSON_EXTENSIONS.has(extension);
  return { name: `${id}${json ? `${marker}.${extension}` : kind.suffixes[0]}`, rewrite: isData && !json };
}

/** `acme.auth.json`, `acme.session.json`: half of the marker, to drop from the ID suggested. */
function withoutPartialMarker(stem: string, marker: string): string {
  const parts = marker.replace(/^\./, '').split('-').map((part) => part.replace(/[^a-z]/gi, ''));
  const partial = new RegExp(`^(.+?)[-._ ](?:${parts.join('|')})s?$`, 'i').exec(stem);
  return partial ? partial[1]! : stem;
}

/** What editors, merge tools and people add to keep an old copy or to switch a file off. */
const BACKUP_SUFFIX = /(?:\.(?:bak|orig|old|disabled|backup)|~)$/i;

/**
 * The ID of a resource file this is a backup of (`billing.auth-session.json.bak` → `billing`).
 * A backup is not read; beside its file that is right, but alone it is the file switched off,
 * and the apply would delete its session (the loader checks which).
 */
export function backupOf(file: string, kind: ResourceKind = AUTH_SESSION_KIND): string | undefined {
  const name = baseName(file);
  const original = name.replace(BACKUP_SUFFIX, '');
  return original === name ? undefined : idFromFile(original, kind);
}

/** A backup whose resource no file declares any more: an error, since the apply would delete it. */
export function orphanBackupProblem(file: string, id: string, kind: ResourceKind = AUTH_SESSION_KIND): Problem {
  const original = baseName(file).replace(BACKUP_SUFFIX, '');
  return {
    file,
    ...START_OF_FILE,
    message:
      `not read: a backup of ${JSON.stringify(id)}'s file, and no file declares ${JSON.stringify(id)}, so an apply would delete that ${kind.noun}; ` +
      `rename it back to ${JSON.stringify(original)} to keep it, or delete this backup to let it go`,
  };
}

/**
 * A near-miss name is an error, not a warning: the file is not read, so the session the user
 * meant to declare is not created, and an apply deletes it if the tool manages it.
 */
export function nearMissProblem(file: string, kind: ResourceKind = AUTH_SESSION_KIND): Problem | undefined {
  const folderName = kind.folder.slice(kind.folder.lastIndexOf('/') + 1);
  // A file of another kind in this kind's folder: it is not read here, and not there either.
  const other = KINDS.find((candidate) => candidate !== kind && idFromFile(file, candidate) !== undefined);
  if (other) {
    return {
      file,
      ...START_OF_FILE,
      message: `not read: ${other.noun} files go in ${other.folder}, not in the ${folderName} folder; move it there`,
    };
  }
  const intended = intendedFileName(file, kind);
  if (!intended) return undefined;
  const rename = JSON.stringify(intended.name);
  return {
    file,
    ...START_OF_FILE,
    message:
      `not read: resource file names end in ${kind.suffixes.join(' or ')}, in lower ` +
      'case, with the ID before it; ' +
      (intended.rewrite
        ? `resource files are JSON (comments allowed), so write it as JSON and name it ${rename}`
        : `rename it to ${rename}`) +
      `, or move it out of the ${folderName} folder`,
  };
}

export interface DeclaredId {
  id: string;
  file: string;
}

/** Two files for one ID: each file gets a problem naming the others. */
export function duplicateIdProblems(declared: readonly DeclaredId[]): Problem[] {
  const filesById = new Map<string, string[]>();
  for (const { id, file } of declared) {
    filesById.set(id, [...(filesById.get(id) ?? []), file]);
  }
  const problems: Problem[] = [];
  for (const [id, files] of filesById) {
    if (files.length < 2) continue;
    for (const file of files) {
      const others = files.filter((other) => other !== file).join(', ');
      problems.push({
        file,
        ...START_OF_FILE,
        message:
          `duplicate ID ${JSON.stringify(id)}: also declared by ${others}; ` +
          'keep one file per ID',
      });
    }
  }
  return problems;
}

/** Problems sorted by file, line, column (then message, so the order is total). */
export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.message !== b.message) return a.message < b.message ? -1 : 1;
  return 0;
}
