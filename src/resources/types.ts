import type { Problem } from '../errors.js';

/** The body fields of a resource file that are sent to Intuned (after `${env:}` substitution). */
export interface AuthSessionSpec {
  parameters: Record<string, unknown>;
  proxy?: string | null;
  createAttempts?: number;
  checkAttempts?: number;
  saveTrace?: boolean;
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
