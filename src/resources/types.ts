import type { Problem } from '../errors.js';
import type { DayName, MonthName } from './job-schema.js';

/** The body fields of a resource file that are sent to Intuned (after `${env:}` substitution). */
export interface AuthSessionSpec {
  parameters: Record<string, unknown>;
  proxy?: string | null;
  createAttempts?: number;
  checkAttempts?: number;
  saveTrace?: boolean;
}

/**
 * A Job file's body: Intuned's create-job body without `id` (keys as on the wire, so
 * `auth_session` is snake_case), keeping only the keys the file sets.
 */
export interface JobSpec {
  payload: JobPayloadItem[];
  configuration: JobConfiguration;
  auth_session?: { id: string; checkAttempts?: number; createAttempts?: number } | null;
  schedule?: JobSchedule | null;
  sink?: JobSink | null;
  proxy?: string | null;
}

export interface JobRetry {
  maximumAttempts?: number;
}

export interface JobPayloadItem {
  apiName: string;
  parameters: Record<string, unknown>;
  requestTimeout?: number;
  retry?: JobRetry;
}

export interface JobConfiguration {
  retry?: JobRetry;
  maxConcurrentRequests?: number;
  requestTimeout?: number;
}

/** A calendar field: a value, a range, an array of those, or "*" (Temporal's ScheduleSpec). */
export type CalendarValue<T> = T | CalendarRange<T> | (T | CalendarRange<T>)[] | '*';
export interface CalendarRange<T> {
  start: T;
  end?: T;
  step?: number;
}

export interface JobCalendar {
  second?: CalendarValue<number>;
  minute?: CalendarValue<number>;
  hour?: CalendarValue<number>;
  dayOfMonth?: CalendarValue<number>;
  month?: CalendarValue<MonthName>;
  year?: CalendarValue<number>;
  dayOfWeek?: CalendarValue<DayName>;
  comment?: string;
}

export interface JobSchedule {
  intervals?: { every: number | string }[];
  calendars?: JobCalendar[];
  jitter?: number | string;
}

export type JobSink =
  | { type: 'webhook'; url: string; headers?: Record<string, string>; skipOnFail?: boolean; apisToSend?: string[] }
  | {
      type: 's3';
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      prefix?: string;
      skipOnFail?: boolean;
      apisToSend?: string[];
      endpoint?: string;
      forcePathStyle?: boolean;
    };

/** One Job as declared by a file. */
export interface DesiredJob {
  /** From the file name: `<id>.job.jsonc`. */
  id: string;
  /** Path relative to the project directory, e.g. `intuned-resources/jobs/nightly/sync.job.jsonc`. */
  file: string;
  /** What will be sent, with every `${env:NAME}` replaced. Holds secrets. */
  spec: JobSpec;
  secrets: string[];
  /**
   * Paths into `spec` of every secret-bearing value: the kind's secret fields (sink headers,
   * S3 keys, the proxy) and every value that came from `${env:}`. Never shown; compared by
   * keyed fingerprint.
   */
  secretPaths: (string | number)[][];
  /** Only with `requireEnv: false`: variables referenced but not set (their text left as written). */
  unsetEnv?: string[];
  /** Where its references (`auth_session.id`) are in the file, by `pathKey`, for the plan's errors. */
  referencePositions?: Record<string, { line: number; column: number }>;
}

/** One AuthSession as declared by a file. */
export interface DesiredSession {
  /** From the file name: `<id>.auth-session.jsonc`. */
  id: string;
  /** Path relative to the project directory, `/` separators, e.g.
   *  `intuned-resources/auth-sessions/crm/acme.auth-session.jsonc`. */
  file: string;
  /** What will be sent, with every `${env:NAME}` replaced by its value. Holds secrets. */
  spec: AuthSessionSpec;
  /** Every value substituted from the environment, so callers can mask them (Action). */
  secrets: string[];
  /**
   * Only with `requireEnv: false`: variables the file references that are not set. Their
   * `${env:NAME}` text is left as written in `spec`, so such a session must not be sent.
   */
  unsetEnv?: string[];
}

export interface LoadOptions {
  /** The project directory (`--dir`). */
  dir: string;
  /** Environment for `${env:NAME}`; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /**
   * Whether a reference to an unset variable is a problem (default true). The Action turns it
   * off for pull requests from forks, which get no secrets but still get `validate`.
   */
  requireEnv?: boolean;
}

export interface LoadResult {
  /** Absolute project directory. */
  dir: string;
  /** Whether `intuned-resources/auth-sessions` exists under dir. */
  folderFound: boolean;
  /** Number of resource files found. */
  fileCount: number;
  /** Every valid file's session, sorted by id (files with problems are left out). */
  sessions: DesiredSession[];
  /**
   * Every valid job file's job, sorted by id. Validated only: the plan and the apply do not
   * read jobs yet.
   */
  jobs?: DesiredJob[];
  /** Whether `intuned-resources/jobs` exists under dir. */
  jobFolderFound?: boolean;
  /** Number of job files found. */
  jobFileCount?: number;
  /** Every problem in every file, sorted by file, line, column. */
  problems: Problem[];
  /** Things that do not stop an apply but probably will not do what the user wants
   *  (`Intuned.json` leaving AuthSessions off). */
  warnings?: Problem[];
  /**
   * Every value substituted from the environment in any file, including files with problems
   * (whose sessions are left out above), so callers can mask them all.
   */
  secrets?: string[];
}
