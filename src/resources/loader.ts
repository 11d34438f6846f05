/**
 * Loads every AuthSession resource file under a project directory: finds, reads and checks
 * each file, then applies the rules across files (one file per ID). Every problem of every
 * file comes back at once, sorted, as data; only a missing project directory throws.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import { checkResourceText } from './check.js';
import { missingVariableProblems, type MissingVariable } from './env.js';
import { discoverResourceFiles } from './discover.js';
import { START_OF_FILE } from './positions.js';
import { intunedJsonWarnings } from './intuned-json.js';
import { readResourceFile } from './read.js';
import {
  authSessionIdFromFile,
  compareProblems,
  duplicateIdProblems,
  idProblemMessages,
} from './rules.js';
import type { DesiredSession, LoadOptions, LoadResult } from './types.js';

interface FileResult {
  id: string;
  file: string;
  problems: Problem[];
  secrets: string[];
  missingEnv?: MissingVariable[];
  session?: DesiredSession;
}

interface LoadContext {
  dir: string;
  root: string;
  env: Record<string, string | undefined>;
  requireEnv: boolean;
}

async function projectRoot(dir: string): Promise<string> {
  try {
    if ((await stat(dir)).isDirectory()) return await realpath(dir);
  } catch {
    // Reported below as one message, whatever the errno.
  }
  throw new InputError(
    `project directory ${dir} does not exist or is not a directory; check --dir`,
  );
}

function loadFile(file: string, context: LoadContext): FileResult {
  const id = authSessionIdFromFile(file) ?? '';
  const problems: Problem[] = idProblemMessages(id).map((message) => ({
    file,
    ...START_OF_FILE,
    message,
  }));
  const read = readResourceFile({ root: context.root, path: join(context.dir, file) });
  if (!read.ok) {
    const { line, column, message } = read;
    problems.push({ file, line, column, message });
    return { id, file, problems, secrets: [] };
  }
  const check = checkResourceText({
    file,
    text: read.text,
    env: context.env,
    requireEnv: context.requireEnv,
  });
  // Missing variables are reported once across all files (loadResources), not per file.
  const perVariable = new Set(check.missingEnvProblems);
  problems.push(...check.problems.filter((problem) => !perVariable.has(problem)));
  const { secrets, missingEnv } = check;
  if (problems.length > 0 || !check.spec) return { id, file, problems, secrets, missingEnv };
  const session: DesiredSession = { id, file, spec: check.spec, secrets };
  if (check.unsetEnv.length > 0) session.unsetEnv = check.unsetEnv;
  return { id, file, problems, secrets, session };
}

export async function loadResources(options: LoadOptions): Promise<LoadResult> {
  const dir = resolve(options.dir);
  const context: LoadContext = {
    dir,
    root: await projectRoot(dir),
    env: options.env ?? process.env,
    requireEnv: options.requireEnv ?? true,
  };
  const discovery = discoverResourceFiles(dir, context.root);
  const results = discovery.files.map((file) => loadFile(file, context));
  const problems = [
    ...discovery.problems,
    ...results.flatMap((result) => result.problems),
    ...missingVariableProblems(results.flatMap((result) => result.missingEnv ?? [])),
    ...duplicateIdProblems(results.filter((result) => result.id !== '')),
  ].sort(compareProblems);
  const withProblems = new Set(problems.map((problem) => problem.file));
  const sessions = results
    .filter((result) => !withProblems.has(result.file))
    .flatMap((result) => (result.session ? [result.session] : []))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    dir,
    folderFound: discovery.folderFound,
    fileCount: discovery.files.length,
    sessions,
    problems,
    warnings: intunedJsonWarnings({ dir, root: context.root, sessionFiles: discovery.files.length }),
    secrets: [...new Set(results.flatMap((result) => result.secrets))],
  };
}
