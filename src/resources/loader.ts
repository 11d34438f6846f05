/**
 * Loads every AuthSession resource file under a project directory: finds, reads and checks
 * each file, then applies the rules across files (one file per ID). Every problem of every
 * file comes back at once, sorted, as data; only a missing project directory throws.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import { checkKindText } from './check.js';
import { discoverKindFiles, type Discovery } from './discover.js';
import { missingVariableProblems, type MissingVariable } from './env.js';
import { unknownReferenceWarnings, type Referrer } from './graph.js';
import type { KindName, ResourceKind } from './kind.js';
import { AUTH_SESSION_KIND, JOB_KIND } from './kinds.js';
import { START_OF_FILE, type Position } from './positions.js';
import { intunedJsonWarnings } from './intuned-json.js';
import { readResourceFile } from './read.js';
import { pathKey } from './body.js';
import {
  compareProblems,
  duplicateIdProblems,
  idFromFile,
  idProblemMessages,
  idWarningMessages,
} from './rules.js';
import type { AuthSessionSpec, DesiredJob, DesiredSession, JobSpec, LoadOptions, LoadResult } from './types.js';

/** A file checked without problems: what it declares. */
interface Declared<Spec> {
  id: string;
  file: string;
  spec: Spec;
  secrets: string[];
  secretPaths: (string | number)[][];
  unsetEnv?: string[];
  /** Where each of the kind's references is in the file, by `pathKey`, for the plan's errors. */
  referencePositions?: Record<string, Position>;
}

interface FileResult<Spec = unknown> {
  id: string;
  file: string;
  problems: Problem[];
  warnings: Problem[];
  secrets: string[];
  missingEnv?: MissingVariable[];
  declared?: Declared<Spec>;
  positionOf?: (path: (string | number)[]) => Position | undefined;
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

function loadFile<Spec>(file: string, kind: ResourceKind<Spec>, context: LoadContext, plain: boolean): FileResult<Spec> {
  const id = idFromFile(file, kind) ?? '';
  const atStart = (message: string): Problem => ({ file, ...START_OF_FILE, message });
  const problems: Problem[] = idProblemMessages(id, kind).map(atStart);
  const warnings: Problem[] = idWarningMessages(id, kind).map(atStart);
  const read = readResourceFile({ root: context.root, path: join(context.dir, file), example: kind.words.example, plain });
  if (!read.ok) {
    const { line, column, message } = read;
    problems.push({ file, line, column, message });
    return { id, file, problems, warnings, secrets: [] };
  }
  const check = checkKindText(kind, {
    file,
    text: read.text,
    env: context.env,
    requireEnv: context.requireEnv,
  });
  // Missing variables are reported once across all files (loadResources), not per file.
  const perVariable = new Set(check.missingEnvProblems);
  problems.push(...check.problems.filter((problem) => !perVariable.has(problem)));
  const { secrets, missingEnv } = check;
  const result: FileResult<Spec> = { id, file, problems, warnings, secrets, missingEnv };
  // Only a kind that names others looks up positions later (graph.ts); for the rest, keeping
  // the lookup would keep every file's syntax tree alive until all files are read.
  if (check.positionOf && kind.references.length > 0) result.positionOf = check.positionOf;
  if (problems.length > 0 || !check.spec) return result;
  result.declared = { id, file, spec: check.spec, secrets, secretPaths: check.secretPaths ?? [] };
  if (check.unsetEnv.length > 0) result.declared.unsetEnv = check.unsetEnv;
  const positions = referencePositions(kind, check.positionOf);
  if (positions) result.declared.referencePositions = positions;
  return result;
}

interface KindLoad<Spec> {
  discovery: Discovery;
  results: FileResult<Spec>[];
  /** Files without problems (cross-file ones included), sorted by ID. */
  declared: Declared<Spec>[];
  problems: Problem[];
}

function loadKind<Spec>(kind: ResourceKind<Spec>, context: LoadContext): KindLoad<Spec> {
  const discovery = discoverKindFiles(context.dir, context.root, kind);
  const results = discovery.files.map((file) => loadFile(file, kind, context, discovery.plainFiles.has(file)));
  const problems = [
    ...discovery.problems,
    ...results.flatMap((result) => result.problems),
    ...duplicateIdProblems(results.filter((result) => result.id !== '')),
  ];
  const withProblems = new Set(problems.map((problem) => problem.file));
  const declared = results
    .filter((result) => !withProblems.has(result.file))
    .flatMap((result) => (result.declared ? [result.declared] : []))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { discovery, results, declared, problems };
}

function toSession({ id, file, spec, secrets, unsetEnv }: Declared<AuthSessionSpec>): DesiredSession {
  return { id, file, spec, secrets, ...(unsetEnv ? { unsetEnv } : {}) };
}

function toJob({ id, file, spec, secrets, secretPaths, unsetEnv, referencePositions }: Declared<JobSpec>): DesiredJob {
  const job: DesiredJob = { id, file, spec, secrets, secretPaths };
  if (unsetEnv) job.unsetEnv = unsetEnv;
  if (referencePositions) job.referencePositions = referencePositions;
  return job;
}

export async function loadResources(options: LoadOptions): Promise<LoadResult> {
  const dir = resolve(options.dir);
  const context: LoadContext = {
    dir,
    root: await projectRoot(dir),
    env: options.env ?? process.env,
    requireEnv: options.requireEnv ?? true,
  };
  const sessionLoad = loadKind(AUTH_SESSION_KIND, context);
  const jobLoad = loadKind(JOB_KIND, context);
  const declaredIds = new Map<KindName, Set<string>>([
    [AUTH_SESSION_KIND.name, new Set(sessionLoad.results.map((result) => result.id))],
    [JOB_KIND.name, new Set(jobLoad.results.map((result) => result.id))],
  ]);
  const results = [...sessionLoad.results, ...jobLoad.results];
  return {
    dir,
    folderFound: sessionLoad.discovery.folderFound,
    fileCount: sessionLoad.discovery.files.length,
    sessions: sessionLoad.declared.map(toSession),
    jobs: jobLoad.declared.map(toJob),
    jobFolderFound: jobLoad.discovery.folderFound,
    jobFileCount: jobLoad.discovery.files.length,
    problems: [
      ...sessionLoad.problems,
      ...jobLoad.problems,
      ...missingVariableProblems(results.flatMap((result) => result.missingEnv ?? [])),
    ].sort(compareProblems),
    warnings: [
      ...intunedJsonWarnings({ dir, root: context.root, sessionFiles: sessionLoad.discovery.files.length }),
      ...[
        ...results.flatMap((result) => result.warnings),
        ...unknownReferenceWarnings(AUTH_SESSION_KIND, referrers(sessionLoad), declaredIds),
        ...unknownReferenceWarnings(JOB_KIND, referrers(jobLoad), declaredIds),
      ].sort(compareProblems),
    ],
    secrets: [...new Set(results.flatMap((result) => result.secrets))],
  };
}

function referencePositions(kind: ResourceKind<unknown>, positionOf: FileResult['positionOf']): Record<string, Position> | undefined {
  if (!positionOf || kind.references.length === 0) return undefined;
  const positions: Record<string, Position> = {};
  for (const reference of kind.references) {
    const at = positionOf([...reference.path]);
    if (at) positions[pathKey(reference.path)] = at;
  }
  return positions;
}

function referrers<Spec>(load: KindLoad<Spec>): Referrer[] {
  const positions = new Map(load.results.map((result) => [result.file, result.positionOf]));
  return load.declared.map(({ id, file, spec, secretPaths }) => {
    const positionOf = positions.get(file);
    return { id, file, spec, secretPaths, ...(positionOf ? { positionOf } : {}) };
  });
}
