/**
 * `intuned-gitops validate`: checks every resource file offline and lists every problem as
 * `path:line:col: message`, then one line that counts them. Exit 1 when there is any problem.
 */
import { plural } from '../../render/summary.js';
import { EXIT_ERROR, EXIT_OK, formatProblem } from '../../errors.js';
import type { Output } from '../../front-end/io.js';
import { AUTH_SESSIONS_FOLDER } from '../../resources/discover.js';
import { loadResources } from '../../resources/loader.js';
import type { LoadResult } from '../../resources/types.js';
import { definedOnly } from '../../engine/optional.js';

export interface ValidateOptions {
  dir: string;
  /** Environment for `${env:NAME}`; defaults to process.env. */
  env?: Record<string, string | undefined>;
  output: Output;
  format?: 'text' | 'json';
  /** Whether an unset variable is a problem (default true). */
  requireEnv?: boolean;
  /**
   * `false` (`--no-env`): read no variable, so every check but the values runs without the
   * secrets (pre-commit hooks, contributors); references are still checked for form.
   */
  readEnv?: boolean;
}

function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${plural(count, one, many)}`;
}

function unsetVariables(result: LoadResult): string[] {
  const declared = [...result.sessions, ...(result.jobs ?? [])];
  return [...new Set(declared.flatMap((resource) => resource.unsetEnv ?? []))].sort();
}

function summary(result: LoadResult): string {
  if (result.problems.length > 0) {
    const files = new Set(result.problems.map((problem) => problem.file)).size;
    return `${counted(result.problems.length, 'problem')} in ${counted(files, 'file')}`;
  }
  const jobFiles = result.jobFileCount ?? 0;
  if (!result.folderFound && jobFiles === 0) {
    return `Nothing to manage: no ${AUTH_SESSIONS_FOLDER} folder in ${result.dir}.`;
  }
  if (result.fileCount === 0 && jobFiles === 0) {
    return `Nothing to manage: no *.auth-session.jsonc or .json files in ${AUTH_SESSIONS_FOLDER}.`;
  }
  const sessions = counted(result.sessions.length, 'auth session');
  const files = counted(result.fileCount + jobFiles, 'file');
  if (jobFiles === 0) return `✓ ${sessions} valid in ${files}`;
  return `✓ ${sessions} and ${counted(result.jobs?.length ?? 0, 'job')} valid in ${files}`;
}

function renderJson(result: LoadResult): string {
  const document = {
    formatVersion: 1,
    valid: result.problems.length === 0,
    folderFound: result.folderFound,
    fileCount: result.fileCount,
    // IDs and files only: a session's spec holds secrets.
    sessions: result.sessions.map(({ id, file }) => ({ id, file })),
    jobFileCount: result.jobFileCount ?? 0,
    jobs: (result.jobs ?? []).map(({ id, file }) => ({ id, file })),
    problems: result.problems,
    warnings: result.warnings ?? [],
    unsetEnv: unsetVariables(result),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function validateCommand(options: ValidateOptions): Promise<number> {
  const readEnv = options.readEnv ?? true;
  const env = readEnv ? options.env : {};
  const result = await loadResources({
    dir: options.dir,
    ...definedOnly({ env }),
    requireEnv: readEnv && (options.requireEnv ?? true),
  });
  const exitCode = result.problems.length > 0 ? EXIT_ERROR : EXIT_OK;
  if (options.format === 'json') {
    options.output.out(renderJson(result));
    return exitCode;
  }
  for (const problem of result.problems) options.output.out(`${formatProblem(problem)}\n`);
  for (const warning of result.warnings ?? []) {
    options.output.out(`${formatProblem({ ...warning, message: `warning: ${warning.message}` })}\n`);
  }
  options.output.out(`${summary(result)}\n`);
  const unset = unsetVariables(result);
  if (unset.length > 0) {
    const why = readEnv ? 'not set' : 'not read (--no-env)';
    options.output.err(`note: ${why}, so values using them were not fully checked: ${unset.join(', ')}\n`);
  }
  return exitCode;
}
