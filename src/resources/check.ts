/**
 * Checking one resource file's text: parse, substitute `${env:NAME}`, validate with the zod
 * definition, and report every problem at its line and column. Pure: no file system.
 */
import type { Problem } from '../errors.js';
import { buildBody, type BodyProblem } from './body.js';
import { missingVariableProblems, type Env, type MissingVariable } from './env.js';
import { issueProblems } from './issues.js';
import { parseJsonc } from './parse.js';
import { secretPaths, type ResourceKind } from './kind.js';
import { AUTH_SESSION_KIND } from './kinds.js';
import { findNodeAtLocation } from 'jsonc-parser';
import { positionIndex, type Position } from './positions.js';
import type { AuthSessionSpec } from './types.js';

export interface CheckTextOptions {
  /** Path relative to the project directory, for the problems. */
  file: string;
  text: string;
  env: Env;
  requireEnv: boolean;
}

export interface TextCheck<Spec = AuthSessionSpec> {
  problems: Problem[];
  /** Set when there is no problem. */
  spec?: Spec;
  /** With `spec`: the paths in it of secret-bearing values (the kind's fields and `${env:}` values). */
  secretPaths?: (string | number)[][];
  secrets: string[];
  unsetEnv: string[];
  /** With `requireEnv`: unset or empty variables, each at its first use in the file. */
  missingEnv: MissingVariable[];
  /** The problems (in `problems`) about them, one per variable; the loader groups them across files instead. */
  missingEnvProblems: Problem[];
  /** Where a value of the file is, for problems found later (cross-file rules). */
  positionOf?: (path: (string | number)[]) => Position | undefined;
}

/** An AuthSession file's text. */
export function checkResourceText(options: CheckTextOptions): TextCheck {
  return checkKindText(AUTH_SESSION_KIND, options);
}

/** A file of any kind: the same parse, substitution and positions, the kind's schema and words. */
export function checkKindText<Spec>(kind: ResourceKind<Spec>, options: CheckTextOptions): TextCheck<Spec> {
  const positionAt = positionIndex(options.text);
  const toProblem = ({ offset, message }: BodyProblem): Problem => ({
    file: options.file,
    ...positionAt(offset),
    message,
  });
  const parsed = parseJsonc(options.text);
  if (!parsed.ok) return { problems: [toProblem(parsed)], secrets: [], unsetEnv: [], missingEnv: [], missingEnvProblems: [] };

  const body = buildBody(parsed.root, {
    text: options.text,
    env: options.env,
    requireEnv: options.requireEnv,
  });
  const problems = body.problems.map(toProblem);
  const result = kind.schema.safeParse(body.value);
  if (!result.success) {
    problems.push(...issueProblems(result.error.issues, parsed.root, body, kind).map(toProblem));
  }
  const missingEnv = body.missingEnv.map(({ name, empty, offset }) => ({ name, empty, file: options.file, ...positionAt(offset) }));
  const missingEnvProblems = missingVariableProblems(missingEnv);
  problems.push(...missingEnvProblems);
  const check: TextCheck<Spec> = { problems, secrets: body.secrets, unsetEnv: body.unsetEnv, missingEnv, missingEnvProblems };
  // The walked value, not zod's copy: zod rebuilds records with plain assignment, which
  // would turn a "__proto__" parameter into a prototype. Without problems the only issues
  // left are formats of values with unset variables (allowed by requireEnv: false).
  check.positionOf = (path) => {
    const node = findNodeAtLocation(parsed.root, path);
    return node ? positionAt(node.offset) : undefined;
  };
  if (problems.length === 0) {
    check.spec = kind.toSpec(body.value as Record<string, unknown>);
    check.secretPaths = secretPaths(check.spec, kind.secretFields, body.substituted);
  }
  return check;
}
