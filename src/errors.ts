/**
 * The few error types of intuned-gitops. Every entry point (CLI, Action) maps them to an
 * exit code and a message in one place (`failureOf`: `exitCodeFor` and `describeError`);
 * nothing else decides how an error is shown.
 */

/** A problem in a resource file, positioned for `path:line:col: message`. */
export interface Problem {
  /** Path relative to the project directory, with `/` separators. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  /**
   * Set on a warning that only files can raise and the plan settles against Intuned (a job
   * naming a session no file declares): the plan drops it and says what Intuned holds instead.
   */
  offlineOnly?: true;
}

/**
 * One line per problem, always: control characters in a file name or message (a newline, ESC)
 * are escaped, so they can neither split the line, drive the terminal, nor forge a CI
 * workflow command.
 */
export function formatProblem(problem: Problem): string {
  return `${escapeControl(problem.file)}:${problem.line}:${problem.column}: ${escapeControl(problem.message)}`;
}

export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Bad input from the user: invalid resource files, missing settings, bad flags. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
  }
}

/** What the API said when a request failed. Never holds the API key. */
export interface ApiErrorDetails {
  method: string;
  /** Path after the base URL, e.g. `/ws/projects/p/auth-sessions/a1`. */
  path: string;
  /** HTTP status, or undefined when no response arrived (connection error, timeout). */
  status?: number;
  code?: string;
  correlationId?: string;
  retryable: boolean;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly correlationId: string | undefined;
  readonly retryable: boolean;
  constructor(message: string, details: ApiErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.code = details.code;
    this.correlationId = details.correlationId;
    this.retryable = details.retryable;
  }
}

/** A plan refused for safety (too many deletes without --force). */
export class UnsafePlanError extends Error {
  override readonly name = 'UnsafePlanError';
}

/** The state backend could not be read or written, or a compare-and-swap lost too often. */
export class StateError extends Error {
  override readonly name = 'StateError';
}

/** The run was stopped (Ctrl-C); operations already started go on in Intuned. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

/** A bug: something that should not happen. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

/**
 * The exit code an error ends the command with: 1 for every error, an interrupt included (SPEC
 * lists 0, 1 and 2 only; `--detailed-exitcode`'s 2 is a success with changes, never an error).
 */
export function exitCodeFor(_error: unknown): number {
  return EXIT_ERROR;
}

/** How an entry point ends on an error. */
export interface Failure {
  exitCode: number;
  /** `describeError`: for a bug, with its stack. */
  message: string;
  /** Not one of the few types above: a bug, whose stack belongs in a log, never in a comment. */
  bug: boolean;
  /** Its first line: what a comment or a step's result may say. */
  brief: string;
}

export function failureOf(error: unknown): Failure {
  const bug = !(error instanceof InputError || error instanceof ApiError || error instanceof UnsafePlanError || error instanceof StateError || error instanceof InterruptedError);
  const message = describeError(error);
  return { exitCode: exitCodeFor(error), message, bug, brief: bug ? (message.split('\n')[0] ?? message) : message };
}

/**
 * What a terminal shows for an error: one line (or a few) a person can act on, starting with
 * `error:`; file problems come first, one `path:line:col: message` line each. Never a stack
 * unless it is a bug.
 */
export function formatErrorReport(error: unknown): string {
  if (error instanceof InputError && error.problems.length > 0) {
    return [...error.problems.map(formatProblem), `error: ${error.message}`].join('\n');
  }
  return `error: ${describeError(error)}`;
}

/**
 * A list (of a project's sessions, say) answered 404: the list always exists, so the route
 * itself is wrong, and these three settings make it.
 */
function routeHint(error: ApiError): string {
  if (error.status !== 404 || error.method !== 'GET' || !/\/projects\/[^/]+\/[a-z-]+\/?(\?.*)?$/.test(error.path)) return '';
  return '; check that the API URL ends in /api/v1/workspace (INTUNED_API_URL), the workspace ID (INTUNED_WORKSPACE_ID) and the project (INTUNED_PROJECT)';
}

/** The message of an error, without its file problems. */
export function describeError(error: unknown): string {
  if (error instanceof InputError) return error.message;
  if (error instanceof ApiError) {
    const where = `${error.method} ${error.path}`;
    // Without a response the message already says what happened to the connection.
    if (error.status === undefined) return `Intuned API error: ${where}: ${error.message}; check INTUNED_API_URL and the network`;
    const status = `HTTP ${error.status}`;
    const code = error.code ? ` [${error.code}]` : '';
    const correlation = error.correlationId ? ` (correlation ID ${error.correlationId})` : '';
    return `Intuned API error: ${where} → ${status}${code}: ${error.message}${correlation}${routeHint(error)}`;
  }
  if (error instanceof UnsafePlanError || error instanceof StateError || error instanceof InterruptedError) {
    return error.message;
  }
  if (error instanceof Error) {
    return `internal error: ${error.message}\n${error.stack ?? ''}`.trimEnd();
  }
  return `internal error: ${String(error)}`;
}
