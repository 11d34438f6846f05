/**
 * What differs between a job file and what Intuned holds, field by field. Intuned returns job
 * definitions (unlike session parameters), so most of a job is compared with its remote value.
 * Both sides are first brought to one form: a field left out equals its documented default
 * (Intuned may answer `requestTimeout: 600`, attempts 3, `skipOnFail: false`), null equals
 * absent, and a calendar `step` without `end` is dropped as the API drops it.
 *
 * Secret-bearing values (sink headers, S3 keys, the proxy, anything from `${env:}`) are
 * compared in memory where Intuned returns them, and by keyed fingerprint of what was last
 * applied where Intuned masks them; their values never leave this module.
 */
import type { FieldPattern } from '../resources/kind.js';
import { isSecretField, matchesField } from '../resources/kind.js';
import { pathKey } from '../resources/body.js';
import type { FieldChange } from './types.js';
import { shorten } from './words.js';

type Path = (string | number)[];

const DEFAULT_REQUEST_TIMEOUT = 600;
const DEFAULT_ATTEMPTS = 3;
/** Fields Intuned leaves out or nulls when unset: absent and null say the same. */
const TOP_LEVEL_FIELDS = ['payload', 'configuration', 'schedule', 'sink', 'proxy', 'auth_session'] as const;
/** A masked secret as an API shows it: `********`, or in part (`Bearer ****`). */
const MASKED = /\*{3,}/;
/**
 * Maps whose keys are the user's own (API parameters, header names): every key counts, not only
 * those a job file's schema names.
 */
const OPEN_MAPS: readonly FieldPattern[] = [['payload', '*', 'parameters', '**'], ['sink', 'headers']];
/** Values longer than this are cut in reasons. */
const SHOWN_VALUE_CHARS = 60;

export interface JobDiffInput {
  /** The file's spec (secrets included). */
  desired: Record<string, unknown>;
  /** What Intuned holds, in a file's shape. */
  remote: Record<string, unknown>;
  secretFields: readonly FieldPattern[];
  /**
   * Paths (as `pathKey`) of values that are secret-bearing beyond the kind's fields: those of
   * the file that came from `${env:}`, and those that did when last applied (a value that was
   * secret stays unshown when the file writes a literal in its place).
   */
  substituted: ReadonlySet<string>;
  /** Keyed fingerprint of each of the file's secret-bearing values, by `pathKey`. */
  secretTargets: Readonly<Record<string, string>>;
  /** The same, as last applied; undefined when unknown (adopted, or never confirmed). */
  appliedSecrets: Readonly<Record<string, string>> | undefined;
  /**
   * Keys a job file can hold: a remote key outside it (a field a newer API added) cannot be
   * written by a file, so it is not a difference.
   */
  knownKeys: ReadonlySet<string>;
}

export interface JobDiff {
  changes: FieldChange[];
  /** Secret-bearing paths that Intuned masks and no apply recorded: they cannot be compared. */
  unknown: string[];
}

export function diffJob(input: JobDiffInput): JobDiff {
  const desired = normalizeJob(input.desired);
  const remote = normalizeJob(input.remote);
  const changes: FieldChange[] = [];
  const unknown: string[] = [];
  const isSecret = (path: Path) => isSecretField(path, input.secretFields) || input.substituted.has(pathKey(path));

  const visit = (want: unknown, have: unknown, path: Path) => {
    if (isSecret(path) && !isContainer(want) && !isContainer(have)) {
      compareSecret(want, have, path);
      return;
    }
    if (Array.isArray(want) && Array.isArray(have)) {
      for (let index = 0; index < Math.max(want.length, have.length); index++) visit(want[index], have[index], [...path, index]);
      return;
    }
    if (isPlainObject(want) && isPlainObject(have)) {
      const open = OPEN_MAPS.some((pattern) => matchesField(path, pattern));
      const keys = new Set([...Object.keys(want), ...Object.keys(have).filter((key) => open || input.knownKeys.has(key) || Object.hasOwn(want, key))]);
      for (const key of [...keys].sort()) visit(ownValue(want, key), ownValue(have, key), [...path, key]);
      return;
    }
    if (sameValue(want, have)) return;
    if (isSecret(path) || containsSecret(want, path) || containsSecret(have, path)) {
      changes.push({ path: displayPath(path), secret: true });
      return;
    }
    changes.push({ path: displayPath(path), secret: false, ...shown('from', have), ...shown('to', want) });
  };

  const containsSecret = (value: unknown, path: Path): boolean => {
    if (!isContainer(value)) return isSecret(path);
    return Object.entries(value as object).some(([key, item]) => containsSecret(item, [...path, Array.isArray(value) ? Number(key) : key]));
  };

  const compareSecret = (want: unknown, have: unknown, path: Path) => {
    const key = pathKey(path);
    if (typeof have === 'string' && MASKED.test(have) && want !== undefined) {
      const applied = input.appliedSecrets?.[key];
      if (applied === undefined) unknown.push(displayPath(path));
      else if (applied !== input.secretTargets[key]) changes.push({ path: displayPath(path), secret: true });
      return;
    }
    if (!sameValue(want, have)) changes.push({ path: displayPath(path), secret: true });
  };

  visit(desired, remote, []);
  return { changes, unknown };
}

/** One form for both sides: defaults filled in, nulls and unset optional fields removed. */
export function normalizeJob(spec: Record<string, unknown>): Record<string, unknown> {
  const job: Record<string, unknown> = {};
  for (const field of TOP_LEVEL_FIELDS) {
    const value = spec[field];
    if (value !== undefined && value !== null) job[field] = structuredClone(value);
  }
  for (const [key, value] of Object.entries(spec)) {
    if (!(TOP_LEVEL_FIELDS as readonly string[]).includes(key) && value !== undefined && value !== null) job[key] = value;
  }
  if (Array.isArray(job.payload)) job.payload = job.payload.map((item) => (isPlainObject(item) ? withRunDefaults(item) : item));
  if (isPlainObject(job.configuration)) job.configuration = withRunDefaults(job.configuration);
  if (isPlainObject(job.auth_session)) {
    job.auth_session = { checkAttempts: DEFAULT_ATTEMPTS, createAttempts: DEFAULT_ATTEMPTS, ...dropNulls(job.auth_session) };
  }
  if (isPlainObject(job.sink)) job.sink = { skipOnFail: false, ...dropNulls(job.sink) };
  if (isPlainObject(job.schedule)) job.schedule = normalizeSchedule(dropNulls(job.schedule));
  return job;
}

/** A payload item or the configuration: the request timeout and the retry's attempts. */
function withRunDefaults(value: Record<string, unknown>): Record<string, unknown> {
  const run = dropNulls(value);
  const retry = isPlainObject(run.retry) ? dropNulls(run.retry) : {};
  return { ...run, requestTimeout: run.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT, retry: { maximumAttempts: DEFAULT_ATTEMPTS, ...retry } };
}

function normalizeSchedule(schedule: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(schedule.calendars)) return schedule;
  const calendars = schedule.calendars.map((calendar) => {
    if (!isPlainObject(calendar)) return calendar;
    return Object.fromEntries(Object.entries(dropNulls(calendar)).map(([key, value]) => [key, normalizeCalendarValue(value)]));
  });
  return { ...schedule, calendars };
}

/** `{start, step}` without `end`: the API silently drops the step. */
function normalizeCalendarValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeCalendarValue);
  if (isPlainObject(value) && value.step !== undefined && value.end === undefined) {
    const { step: _dropped, ...rest } = value;
    return rest;
  }
  return value;
}

function dropNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null && item !== undefined));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]));
  }
  return false;
}

function shown(side: 'from' | 'to', value: unknown): Partial<Record<'from' | 'to', string>> {
  if (value === undefined) return {};
  const text = JSON.stringify(value);
  return { [side]: shorten(text, SHOWN_VALUE_CHARS) };
}

/** `schedule.intervals[0].every`, with odd keys quoted: `sink.headers["X-Api-Key"]`. */
export function displayPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}

function isContainer(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
