/**
 * A job as Intuned holds it, turned into the text of a job file (`import --kind job`). Pure:
 * the command reads Intuned and writes the file.
 *
 * The file says what Intuned holds, defaults included, so the next apply adopts the job without
 * changing it. Every value at a secret field of the kind (sink headers, S3 keys, the proxy)
 * becomes an `${env:NAME}` reference instead, masked ones too: a secret never reaches the file,
 * and the names are returned for the user to set. The text is checked with the job schema
 * before it is returned, so what `import` writes passes `validate`.
 */
import type { Job } from '../engine/port.js';
import { checkKindText } from './check.js';
import { envNameFor, type EnvNames } from './env-names.js';
import { secretPaths } from './kind.js';
import { JOB_KIND } from './kinds.js';
import { JOB_SCHEMA_ID } from './job-schema.js';

export type ImportedFile = { ok: true; file: string; text: string; env: string[] } | { ok: false; message: string };

/** Where `import` writes a resource: the top of the kind's folder, the kind's first suffix. */
export function importPath(kind: { folder: string; suffixes: readonly string[] }, id: string): string {
  return `${kind.folder}/${id}${kind.suffixes[0]}`;
}

/** The order of a job file's keys (the schema's), whatever order Intuned answers in. */
const FIELDS = ['payload', 'configuration', 'auth_session', 'schedule', 'sink', 'proxy'] as const;

type Value = unknown;
type Path = (string | number)[];

/** `payload[].parameters` are the job's own data: a null there is a value, not an unset field. */
function isParameterValue(path: Path): boolean {
  return path[0] === 'payload' && path[2] === 'parameters' && path.length > 3;
}

/**
 * A copy without null fields (Intuned's "not set", which a file writes by leaving the key out)
 * and with literal `${env:` text escaped as `$${env:`, so the file means exactly the text Intuned
 * holds. Objects have no prototype: a `__proto__` parameter stays a parameter.
 */
function fileValue(value: Value, path: Path): Value {
  if (typeof value === 'string') return value.replace(/\$\{env:/g, () => '$${env:');
  if (Array.isArray(value)) return value.map((item, index) => fileValue(item, [...path, index]));
  if (value === null || typeof value !== 'object') return value;
  const copy = Object.create(null) as Record<string, Value>;
  for (const [key, item] of Object.entries(value)) {
    if (item === null && !isParameterValue([...path, key])) continue;
    if (item !== undefined) copy[key] = fileValue(item, [...path, key]);
  }
  return copy;
}

/** The object holding the value at `path`, and its key there. */
function slotOf(root: Record<string, Value>, path: Path): [Record<string | number, Value>, string | number] {
  let node = root as Record<string | number, Value>;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, Value>;
  return [node, path[path.length - 1]!];
}

/** What a file holds for the job, in the schema's key order; undefined when Intuned left out what a file needs. */
function jobBody(job: Job): Record<string, Value> | undefined {
  const definition = job.definition;
  if (!definition || !Array.isArray(definition.payload) || typeof definition.configuration !== 'object' || definition.configuration === null) return undefined;
  const source: Record<string, Value> = { ...definition, auth_session: definition.auth_session === undefined ? job.auth_session : definition.auth_session };
  const body = Object.create(null) as Record<string, Value>;
  for (const field of FIELDS) {
    if (source[field] !== undefined && source[field] !== null) body[field] = fileValue(source[field], [field]);
  }
  return body;
}

function header(job: Job, env: readonly string[]): string[] {
  const lines = [
    `// Imported from Intuned by \`intuned-gitops import\`: job "${job.id}" as Intuned holds it.`,
    "// The values are Intuned's, its defaults included (timeouts, retries, attempts), so the next",
    '// apply adopts the job as it is: an update or nothing, never a create.',
  ];
  if (env.length > 0) lines.push('// Secrets are not written here: set these variables before the next apply:', ...env.map((name) => `//   ${name}`));
  if (job.state === 'PAUSED') lines.push('// Intuned holds this job paused; a file does not say so, and intuned-gitops never pauses or resumes.');
  return lines;
}

/**
 * The file for `job` (whose ID is a valid job file name: the caller checks), with its secrets
 * replaced by references named from `names`.
 */
export function jobFileText(job: Job, names: EnvNames): ImportedFile {
  const body = jobBody(job);
  if (!body) return { ok: false, message: 'Intuned did not return its payload and configuration, so no file can say what it holds' };
  const env: string[] = [];
  for (const path of secretPaths(body, JOB_KIND.secretFields, new Set())) {
    const [holder, key] = slotOf(body, path);
    // An empty value holds no secret, and a variable set to "" would count as unset: keep it.
    if (holder[key] === '') continue;
    const name = names.claim(envNameFor(['JOB', job.id], path));
    holder[key] = `\${env:${name}}`;
    env.push(name);
  }
  const file = importPath(JOB_KIND, job.id);
  const text = `${[...header(job, env), JSON.stringify({ $schema: JOB_SCHEMA_ID, ...body }, null, 2)].join('\n')}\n`;
  const check = checkKindText(JOB_KIND, { file, text, env: {}, requireEnv: false });
  if (check.problems.length > 0) {
    // Positions would point into a file that is not written; each message names its field.
    return { ok: false, message: `what Intuned holds does not pass as a job file: ${check.problems.map((problem) => problem.message).join('; ')}` };
  }
  return { ok: true, file, text, env };
}
