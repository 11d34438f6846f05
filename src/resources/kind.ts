/**
 * A resource kind as data (STYLE 11): where its files live, the schema they are checked with,
 * how a file becomes the body sent to Intuned, and which fields carry secrets. The loader,
 * the checks and the file-name rules iterate over kinds instead of naming one; the engine is
 * meant to take its order and operations from here too (not done yet: it knows sessions only).
 */
import type { z } from 'zod';
import { pathKey } from './body.js';

/** Kept apart from the descriptors so the command line can offer them without loading schemas. */
export const KIND_NAMES = ['auth-session', 'job'] as const;
export type KindName = (typeof KIND_NAMES)[number];

/**
 * How messages name each kind, kept here (not in the descriptors) so the engine and the
 * renderers can use them without loading the schemas: `counted` after a number ("2
 * AuthSessions", "1 job"), `short` before an ID where a plan holds both kinds ("job x").
 */
export const KIND_WORDS: Readonly<Record<KindName, { counted: string; short: string }>> = {
  'auth-session': { counted: 'AuthSession', short: 'session' },
  job: { counted: 'job', short: 'job' },
};

/**
 * A path into a file's value. `*` matches one key or index, `**` the rest of the path (any
 * depth, including none).
 */
export type FieldPattern = readonly string[];

/** Words for messages about one kind's files (zod's own are never shown: they may hold values). */
export interface IssueWords {
  /** "the file must hold an object like …". */
  example: string;
  /** What a key takes, by key name, or `name[]` for the items of the array `name`. */
  expected: Readonly<Record<string, string>>;
  /** Appended to "missing required key "k": add it", by key name. */
  missingHints: Readonly<Record<string, string>>;
  /** Appended when a top-level key is unknown and no key is close enough to suggest. */
  unknownTopLevelHint: string;
}

export interface IdRules {
  pattern: RegExp;
  minLength: number;
  /** In words, for "rename the file using only …". */
  allowed: string;
  /** Warnings about IDs the API may refuse but that are not known to be wrong. */
  warnings?: (id: string) => string[];
}

export interface ResourceKind<Spec = unknown> {
  name: KindName;
  /** For summaries: "auth session", "job". */
  noun: string;
  /** Intuned's name for it, in messages: "AuthSession", "Job". */
  title: string;
  /** Relative to the project directory, `/` separators. */
  folder: string;
  /** Longest first, so `.jsonc` is not read as `.json` + `c`. */
  suffixes: readonly string[];
  /** The marker in a near-miss file name (`.auth-session`, miswritten): group 1 is the ID. */
  misspelledSuffix: RegExp;
  ids: IdRules;
  /** The file's definition, also the source of its JSON Schema. */
  schema: z.ZodType;
  words: IssueWords;
  /** The file's value (already checked by `schema`) without `$schema`: what is sent. */
  toSpec: (file: Record<string, unknown>) => Spec;
  /**
   * Fields whose values are secret-bearing whatever they hold: never shown, compared by keyed
   * fingerprint. Any value substituted from `${env:}` is secret-bearing too, wherever it is.
   */
  secretFields: readonly FieldPattern[];
  jsonSchemaText: () => string;
  /**
   * Fields naming a resource of another kind (a job's `auth_session.id`): the graph. The apply
   * must finish the referenced resource before this one, and delete it only after.
   */
  references: readonly Reference[];
}

export interface Reference {
  /** Where the referenced ID is in the spec. */
  path: readonly string[];
  kind: KindName;
}

/** The value at `path` in a file's spec, own keys only (`__proto__` is a key like any other). */
export function valueAt(spec: unknown, path: readonly (string | number)[]): unknown {
  let current = spec;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function matchesField(path: readonly (string | number)[], pattern: FieldPattern): boolean {
  for (let index = 0; index < pattern.length; index++) {
    const part = pattern[index];
    if (part === '**') return true;
    if (index >= path.length) return false;
    if (part !== '*' && part !== String(path[index])) return false;
  }
  return path.length === pattern.length;
}

export function isSecretField(path: readonly (string | number)[], patterns: readonly FieldPattern[]): boolean {
  return patterns.some((pattern) => matchesField(path, pattern));
}

/**
 * The concrete paths of every secret-bearing leaf in `value`: those under a secret field
 * and those that received a value from the environment (`substituted`, as `pathKey`s).
 */
export function secretPaths(
  value: unknown,
  patterns: readonly FieldPattern[],
  substituted: ReadonlySet<string>,
): (string | number)[][] {
  const found: (string | number)[][] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) visit(item, [...path, key]);
      return;
    }
    if (isSecretField(path, patterns) || substituted.has(pathKey(path))) found.push(path);
  };
  visit(value, []);
  return found;
}
