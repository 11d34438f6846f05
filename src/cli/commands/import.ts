/**
 * `intuned-gitops import [--kind job|auth-session] [ID...]`: writes a file for each resource
 * Intuned holds that no file declares and the state does not own, so the next apply adopts it.
 * It records nothing (the state is only read) and never overwrites a file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createIntunedClient } from '../../api/client.js';
import { intunedPort } from '../../api/port.js';
import type { IntunedApi } from '../../api/types.js';
import { EXIT_ERROR, EXIT_OK } from '../../errors.js';
import { maskingOutput, type Output } from '../../front-end/io.js';
import { renderImportErrors, renderImportJson, renderImportText, type ImportReport } from '../../render/import.js';
import { EnvNames } from '../../resources/env-names.js';
import { jobFileText, type ImportedFile } from '../../resources/job-import.js';
import type { KindName, ResourceKind } from '../../resources/kind.js';
import { importSettings, type ImportFlags, type ImportSettings } from './import-settings.js';
import { AUTH_SESSION_KIND, JOB_KIND } from '../../resources/kinds.js';
import { loadResources } from '../../resources/loader.js';
import { idFromFile } from '../../resources/rules.js';
import { sessionSkeletonText, unmanageableSession } from '../../resources/session-import.js';
import type { LoadResult } from '../../resources/types.js';
import { checkState } from '../../run.js';
import { configSecrets, openIntuned } from '../../front-end/run-options.js';
import { openStateBackend } from '../../state/index.js';
import { isOwned, sessionOf } from '../../state/sessions.js';
import type { StateDocument } from '../../state/types.js';
import { outputFormatOf, reportFailure } from './failure.js';
import { selectImports } from '../../resources/import-select.js';
import type { IntunedPort, Job, RemoteAuthSession } from '../../engine/port.js';
import { definedOnly } from '../../engine/optional.js';

export interface ImportCommandOptions {
  flags: ImportFlags;
  env: Record<string, string | undefined>;
  output: Output;
  /** Tests may pass an in-memory API; otherwise the HTTP client is built from the settings. */
  api?: IntunedApi;
}

/** IDs the project's files give for the kind, with the file giving each (files with problems declare theirs too). */
function declaredIds(load: LoadResult, kind: ResourceKind): Map<string, string> {
  const declared = new Map<string, string>();
  for (const { id, file } of kind.name === JOB_KIND.name ? (load.jobs ?? []) : load.sessions) declared.set(id, file);
  for (const { file } of load.problems) {
    const id = file.startsWith(`${kind.folder}/`) ? idFromFile(file, kind) : undefined;
    if (id && !declared.has(id)) declared.set(id, file);
  }
  return declared;
}

/** Variables the files already reference (read with an empty environment, every one is unset). */
function referencedVariables(load: LoadResult): string[] {
  return [...load.sessions, ...(load.jobs ?? [])].flatMap((resource) => resource.unsetEnv ?? []);
}

/** IDs the state owns (a record marked `owned: false` is someone else's, so unmanaged). */
function ownedIds(document: StateDocument | undefined, kind: KindName): Set<string> {
  const records = kind === JOB_KIND.name ? document?.jobs : document?.sessions;
  if (!records) return new Set();
  return new Set(Object.keys(records).filter((id) => isOwned(sessionOf<{ owned?: false }>(records, id))));
}

/** How one kind is imported: what to list, what can never be imported, and the file for a resource. */
interface KindImport<Resource extends { id: string }> {
  kind: ResourceKind;
  list(port: IntunedPort): Promise<Resource[]>;
  unmanageable?: (resource: Resource) => string | undefined;
  fileOf(resource: Resource, names: EnvNames): ImportedFile;
}

const JOB_IMPORT: KindImport<Job> = { kind: JOB_KIND, list: (port) => port.listJobs(), fileOf: jobFileText };
const SESSION_IMPORT: KindImport<RemoteAuthSession> = {
  kind: AUTH_SESSION_KIND,
  list: (port) => port.listAuthSessions(),
  unmanageable: unmanageableSession,
  fileOf: sessionSkeletonText,
};

/**
 * Writes the file unless one is there (`wx` fails on an existing file instead of replacing it).
 * A file that cannot be written is that resource's failure: the others are still written.
 */
async function writeNew(dir: string, file: string, text: string): Promise<'written' | 'exists' | { code: string }> {
  const path = join(dir, file);
  const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'unknown error';
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    // Here EEXIST means a file where the folder should be, not the resource file.
    return { code: codeOf(error) };
  }
  try {
    await writeFile(path, text, { flag: 'wx' });
    return 'written';
  } catch (error) {
    return codeOf(error) === 'EEXIST' ? 'exists' : { code: codeOf(error) };
  }
}

interface ImportContext {
  settings: ImportSettings;
  port: IntunedPort;
  load: LoadResult;
  document: StateDocument | undefined;
  stateDescription: string;
}

async function importKind<Resource extends { id: string }>(spec: KindImport<Resource>, context: ImportContext): Promise<ImportReport> {
  const { kind } = spec;
  const selections = selectImports({
    kind,
    remote: await spec.list(context.port),
    declared: declaredIds(context.load, kind),
    owned: ownedIds(context.document, kind.name),
    asked: context.settings.ids,
    stateDescription: context.stateDescription,
    ...definedOnly({ unmanageable: spec.unmanageable }),
  });
  // Named in ID order, after every variable the files already use: the same import names alike.
  const names = new EnvNames(referencedVariables(context.load));
  const report: ImportReport = { kind: kind.name, noun: kind.noun, written: [], skipped: [], failed: [] };
  for (const entry of selections) {
    if (entry.action !== 'import') {
      report[entry.action === 'skip' ? 'skipped' : 'failed'].push({ id: entry.id, reason: entry.reason });
      continue;
    }
    const named = `${kind.title} ${JSON.stringify(entry.id)}`;
    const file = spec.fileOf(entry.resource, names);
    if (!file.ok) {
      report.failed.push({ id: entry.id, reason: `${named}: ${file.message}; nothing was written` });
      continue;
    }
    const written = await writeNew(context.settings.dir, file.file, file.text);
    if (written === 'written') report.written.push({ id: entry.id, file: file.file, env: file.env });
    else if (written === 'exists') report.failed.push({ id: entry.id, reason: `${named}: ${file.file} already exists and was left as it is; move it away and import again` });
    else report.failed.push({ id: entry.id, reason: `${named}: ${file.file} could not be written (${written.code})` });
  }
  return report;
}

export async function importCommand(options: ImportCommandOptions): Promise<number> {
  let settings: ImportSettings;
  try {
    settings = importSettings(options.flags, options.env);
  } catch (error) {
    return reportFailure(options.output, outputFormatOf(options.flags.output), error);
  }
  const secrets = configSecrets(settings.config);
  // JSON is not masked as text (a match inside a key would break the document); the client masks what the API says.
  const output = settings.output === 'json' ? options.output : maskingOutput(options.output, () => secrets.outputSecrets());
  const setup = openIntuned(settings.config, secrets, (clientOptions) => options.api ?? createIntunedClient(clientOptions));
  try {
    const load = await loadResources({ dir: settings.dir, env: {}, requireEnv: false });
    const backend = await openStateBackend(settings.state, settings.dir);
    const document = checkState(await backend.read(), backend, settings.config);
    const context: ImportContext = { settings, port: intunedPort(setup.api), load, document, stateDescription: backend.description };
    const report = settings.kind === JOB_KIND.name ? await importKind(JOB_IMPORT, context) : await importKind(SESSION_IMPORT, context);
    output.err(renderImportErrors(report));
    output.out(settings.output === 'json' ? renderImportJson(report) : renderImportText(report));
    return report.failed.length > 0 ? EXIT_ERROR : EXIT_OK;
  } catch (error) {
    return reportFailure(output, settings.output, error, { mask: secrets.mask });
  } finally {
    if (!options.api) await (setup.api as { close?: () => Promise<void> }).close?.();
  }
}
