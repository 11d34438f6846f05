/**
 * Checking one resource file's text: parse, substitute `${env:NAME}`, validate with the zod
 * definition, and report every problem at its line and column. Pure: no file system.
 */
import type { Problem } from '../errors.js';
import { buildBody, type BodyProblem } from './body.js';
import { missingVariableProblems, type Env, type MissingVariable } from './env.js';
import { issueProblems } from './issues.js';
import { parseJsonc } from './parse.js';
import { positionIndex } from './positions.js';
import { authSessionFileSchema, type AuthSessionFile } from './schema.js';
import type { AuthSessionSpec } from './types.js';

export interface CheckTextOptions {
  /** Path relative to the project directory, for the problems. */
  file: string;
  text: string;
  env: Env;
  requireEnv: boolean;
}

export interface TextCheck {
  problems: Problem[];
  /** Set when there is no problem. */
  spec?: AuthSessionSpec;
  secrets: string[];
  unsetEnv: string[];
  /** With `requireEnv`: unset or empty variables, each at its first use in the file. */
  missingEnv: MissingVariable[];
  /** The problems (in `problems`) about them, one per variable; the loader groups them across files instead. */
  missingEnvProblems: Problem[];
}

/** What is sent: the body without `$schema`, keeping only keys the file sets. */
function toSpec(body: AuthSessionFile): AuthSessionSpec {
  const spec: AuthSessionSpec = { parameters: body.parameters };
  if (body.proxy !== undefined) spec.proxy = body.proxy;
  if (body.createAttempts !== undefined) spec.createAttempts = body.createAttempts;
  if (body.checkAttempts !== undefined) spec.checkAttempts = body.checkAttempts;
  if (body.saveTrace !== undefined) spec.saveTrace = body.saveTrace;
  return spec;
}

export function checkResourceText(options: CheckTextOptions): TextCheck {
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
  const result = authSessionFileSchema.safeParse(body.value);
  if (!result.success) {
    problems.push(...issueProblems(result.error.issues, parsed.root, body).map(toProblem));
  }
  const missingEnv = body.missingEnv.map(({ name, empty, offset }) => ({ name, empty, file: options.file, ...positionAt(offset) }));
  const missingEnvProblems = missingVariableProblems(missingEnv);
  problems.push(...missingEnvProblems);
  const check: TextCheck = { problems, secrets: body.secrets, unsetEnv: body.unsetEnv, missingEnv, missingEnvProblems };
  // The walked value, not zod's copy: zod rebuilds records with plain assignment, which
  // would turn a "__proto__" parameter into a prototype. Without problems the only issues
  // left are formats of values with unset variables (allowed by requireEnv: false).
  if (problems.length === 0) check.spec = toSpec(body.value as AuthSessionFile);
  return check;
}
