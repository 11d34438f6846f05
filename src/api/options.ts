/**
 * The options of the API client, their defaults, and the checks made before any request:
 * the API key only ever travels over https (or to this machine).
 */
import type { Dispatcher } from 'undici';
import { InputError } from '../errors.js';
import { DEFAULT_RETRY_POLICY, RETRY_BUDGET_MS, type RetryPolicy } from './retry.js';

export const DEFAULT_BASE_URL = 'https://app.intuned.io/api/v1/workspace';
/** One attempt (connect, headers and body) may take this long before it counts as failed. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Sockets kept open to the API at most; more requests queue. */
export const DEFAULT_CONNECTIONS = 16;
/** Kept equal to package.json's version (a test checks). */
export const CLIENT_VERSION = '0.1.0';
export const USER_AGENT = `intuned-gitops/${CLIENT_VERSION}`;

export type ApiGeneration = 'current' | 'legacy';

/** One HTTP attempt, for progress and benchmarks. Never holds headers or bodies. */
export interface RequestEvent {
  method: string;
  /** After the base URL. */
  path: string;
  /** The path's template, e.g. `GET /auth-sessions/{id}`. */
  route: string;
  /** Undefined when no response arrived. */
  status?: number;
  /** 1 for the first attempt. */
  attempt: number;
  durationMs: number;
  /** The network error's code when no response arrived. */
  errorCode?: string;
}

export interface ClientStats {
  /** HTTP attempts made, retries included. */
  requests: number;
  /** Attempts that were retries. */
  retries: number;
  /** Time spent waiting between attempts. */
  retryDelayMs: number;
  /** Attempts per route template, e.g. `{'GET /auth-sessions': 2}`. */
  byRoute: Record<string, number>;
  /** Attempts per HTTP status; `none` when no response arrived. */
  byStatus: Record<string, number>;
}

export interface ClientOptions {
  /** Default `DEFAULT_BASE_URL`. `http://` only on loopback. */
  baseUrl?: string;
  apiKey: string;
  workspaceId: string;
  project: string;
  /** `legacy`: the older API (SDK 0.3.x) paths for update and its result. Default `current`. */
  apiGeneration?: ApiGeneration;
  requestTimeoutMs?: number;
  /**
   * When the run must end (on the `now` clock), e.g. start + `--timeout`. No attempt outlasts it
   * and no retry wait runs past it; after it every call fails at once as timed out.
   */
  deadline?: number;
  retry?: Partial<RetryPolicy>;
  /** Default `DEFAULT_CONNECTIONS`; ignored when `dispatcher` is given. */
  connections?: number;
  /** Replaces the client's own Agent (tests pass a MockAgent). Not closed by `close()`. */
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Clock for `Retry-After` dates. */
  now?: () => number;
  /** Called after every attempt; an exception it throws is ignored. */
  onRequest?: (event: RequestEvent) => void;
  /**
   * Masks every other value the run keeps secret (the API key is always masked) in every field
   * read from a response, before anything cuts, stores or prints it. Called at each response,
   * so the values may be learned after the client is made.
   */
  mask?: (text: string) => string;
  /** Pace requests by the server's 429s (`limiter.ts`); default true. Off only to measure without. */
  adaptivePace?: boolean;
}

export interface ResolvedOptions {
  /** e.g. `https://app.intuned.io` */
  origin: string;
  /** e.g. `/api/v1/workspace` (no trailing slash) */
  basePath: string;
  apiKey: string;
  workspaceId: string;
  project: string;
  apiGeneration: ApiGeneration;
  requestTimeoutMs: number;
  deadline: number;
  retry: RetryPolicy;
  connections: number;
  dispatcher: Dispatcher | undefined;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  onRequest: ((event: RequestEvent) => void) | undefined;
  mask: ((text: string) => string) | undefined;
  adaptivePace: boolean;
}

/** Visible ASCII: what an HTTP header value can carry without mangling. */
const API_KEY_PATTERN = /^[\x21-\x7e]+$/;

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Said with every refusal of a URL that is not one: what to write instead. */
const URL_EXAMPLE = 'a URL looks like https://app.intuned.io/api/v1/workspace (or http://127.0.0.1:8080/api/v1/workspace for a local emulator)';

function checkBaseUrl(raw: string): URL {
  // Echoed unless it may hold credentials (`user:password@host`).
  const named = raw.includes('@') ? 'the API URL' : `the API URL ${JSON.stringify(raw)}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${named} is not a URL; ${URL_EXAMPLE}`);
  }
  if (url.username || url.password) {
    throw new InputError('the API URL must not contain a user name or password; the API key goes in INTUNED_API_KEY');
  }
  if (url.search || url.hash) throw new InputError('the API URL must not have a query or a fragment');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new InputError(
      `the API URL ${url.origin} uses http://, which would send the API key in clear; use https:// ` +
        '(http:// is allowed only on loopback: 127.0.0.1, ::1, localhost)',
    );
  }
  // `localhost:8080` parses as a URL of scheme `localhost:`: say what was meant.
  throw new InputError(`${named} does not start with https:// or http://; ${URL_EXAMPLE}`);
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new InputError(`${name} must be a positive number`);
  return value;
}

function required(value: string | undefined, name: string): string {
  if (!value?.trim()) throw new InputError(`${name} is required`);
  return value.trim();
}

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const url = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const apiKey = required(options.apiKey, 'the API key (INTUNED_API_KEY)');
  if (!API_KEY_PATTERN.test(apiKey)) {
    throw new InputError('the API key (INTUNED_API_KEY) holds characters that cannot be sent in an HTTP header');
  }
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  positive(retry.budgetMs, RETRY_BUDGET_MS, 'retry.budgetMs');
  if (options.deadline !== undefined && !Number.isFinite(options.deadline)) throw new InputError('the deadline must be a time');
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    apiKey,
    workspaceId: required(options.workspaceId, 'the workspace ID'),
    project: required(options.project, 'the project name'),
    apiGeneration: options.apiGeneration ?? 'current',
    requestTimeoutMs: positive(options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, 'requestTimeoutMs'),
    deadline: options.deadline ?? Number.POSITIVE_INFINITY,
    retry,
    connections: Math.floor(positive(options.connections, DEFAULT_CONNECTIONS, 'connections')),
    dispatcher: options.dispatcher,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    onRequest: options.onRequest,
    mask: options.mask,
    adaptivePace: options.adaptivePace ?? true,
  };
}
