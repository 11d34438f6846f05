/**
 * `${env:NAME}` references in string values: secrets stay out of the files and come from the
 * environment (CI secrets, a local shell). `$${env:NAME}` is the escape for the literal text
 * `${env:NAME}` (one `$` is dropped, nothing is looked up).
 *
 * Nothing here may put a value into a message: callers get variable names and flags only.
 */

import type { Problem } from '../errors.js';

export type Env = Record<string, string | undefined>;

/**
 * The tool's own keys, never substituted into a file: the API key would go to whoever runs the
 * login script, and the state key would let them confirm guessed secrets from the state's
 * fingerprints, which is what keeping it apart from the state is for.
 */
export const TOOL_KEYS: Readonly<Record<string, string>> = {
  INTUNED_API_KEY: 'the Intuned API key of intuned-gitops itself',
  INTUNED_GITOPS_STATE_KEY: "the key of the state's fingerprints (a login script that gets it can confirm guessed secrets in the state)",
};

/** Names as shells and CI systems allow them. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const REFERENCE_START = '${env:';
/** An optional escaping `$`, the reference, and its closing brace if there is one. */
const REFERENCE = /(\$?)\$\{env:([^}]*)(\}?)/g;

export interface EnvSubstitution {
  /** The text with every reference replaced (unset ones are left as written). */
  value: string;
  /** Whether any reference was replaced. */
  substituted: boolean;
  /** Values taken from the environment (never empty), so callers can mask them. */
  secrets: string[];
  /** Names referenced but unset or empty, in order of first use. */
  unset: string[];
  /** Those of `unset` that are set to the empty string. */
  empty: string[];
  /** The tool's own keys (`TOOL_KEYS`) referenced: left as written, never looked up. */
  toolKeys: string[];
  /** Whether some `${env:` does not form a reference (bad name or no closing brace). */
  malformed: boolean;
}

function lookup(env: Env, name: string): string | undefined {
  // Own properties only: `${env:constructor}` must not find Object.prototype.constructor.
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

export function substituteEnv(text: string, env: Env): EnvSubstitution {
  const result: EnvSubstitution = {
    value: text,
    substituted: false,
    secrets: [],
    unset: [],
    empty: [],
    toolKeys: [],
    malformed: false,
  };
  if (!text.includes(REFERENCE_START)) return result;
  result.value = text.replace(REFERENCE, (match, escape: string, name: string, close: string) => {
    if (escape) return match.slice(1);
    if (!close || !ENV_NAME_PATTERN.test(name)) {
      result.malformed = true;
      return match;
    }
    if (Object.hasOwn(TOOL_KEYS, name)) {
      if (!result.toolKeys.includes(name)) result.toolKeys.push(name);
      return match;
    }
    const value = lookup(env, name);
    // Empty counts as unset: in GitHub Actions a missing secret arrives as "", and sending it
    // would log in with a blank password.
    if (value === undefined || value === '') {
      if (!result.unset.includes(name)) result.unset.push(name);
      if (value === '' && !result.empty.includes(name)) result.empty.push(name);
      return match;
    }
    result.substituted = true;
    if (!result.secrets.includes(value)) result.secrets.push(value);
    return value;
  });
  return result;
}

/** Where in a string's source text the reference to `name` starts (for positions). */
export function referenceOffset(source: string, name: string): number {
  return source.indexOf(`${REFERENCE_START}${name}}`);
}

/** Where in a string's source text the first `${env:` starts. */
export function referenceStartOffset(source: string): number {
  return source.indexOf(REFERENCE_START);
}

/** An unset or empty variable, at the first place a file uses it. */
export interface MissingVariable {
  name: string;
  empty: boolean;
  file: string;
  line: number;
  column: number;
}

/**
 * One problem per variable, at its first use, naming every file that uses it: a secret missing
 * from CI is one thing to fix, however many files use it.
 */
export function missingVariableProblems(uses: readonly MissingVariable[]): Problem[] {
  const byName = new Map<string, MissingVariable[]>();
  for (const use of uses) {
    const group = byName.get(use.name);
    if (group) group.push(use);
    else byName.set(use.name, [use]);
  }
  return [...byName.values()].map((group) => {
    const sorted = group.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    const first = sorted[0]!;
    const files = [...new Set(sorted.map((use) => use.file))];
    const where = files.length > 1 ? `, used by ${files.length} files: ${files.join(', ')}` : '';
    const message = first.empty
      ? `environment variable ${first.name} is empty${where}; set it to its value before running intuned-gitops ` +
        '(in CI, an empty value means the secret is missing or not passed to this job)'
      : `environment variable ${first.name} is not set${where}; set it before running intuned-gitops ` +
        '(in CI, pass it from a secret)';
    return { file: first.file, line: first.line, column: first.column, message };
  });
}
