/**
 * The settings of a run, resolved once for both front ends: the CLI gives flags, the Action
 * gives its inputs, and `resolveConfig` turns either, over the same environment variables and
 * the same defaults, into one `RunConfig`. The API key is read only from the environment or an
 * Action input: a flag would land in shell history and in process listings.
 */
import { InputError } from '../errors.js';
import { parseDuration } from '../engine/duration.js';
import { definedOnly } from '../engine/optional.js';
import type { ApiGeneration, ClientOptions } from '../api/options.js';
import { DEFAULT_API_URL, DEFAULT_CONCURRENCY, DEFAULT_STATE, DEFAULT_TIMEOUT_MS, MAX_CONCURRENCY } from '../defaults.js';

import type { OutputFormat } from '../render/formats.js';

export type { OutputFormat };
type Env = Readonly<Record<string, string | undefined>>;

/** What the CLI and the Action both need to plan or apply one project. */
export interface RunConfig {
  project: string;
  workspaceId: string;
  /** Trimmed once, here: the key that is sent is the key that is masked and fingerprinted with. */
  apiKey: string;
  apiUrl: string;
  /** `legacy`: the older API generation (update with the ID in the body, resumable one-time codes). */
  apiGeneration: ApiGeneration;
  stateKey?: string;
  force: boolean;
  concurrency: number;
  timeoutMs: number;
  /** Pace requests by the server's 429s; `INTUNED_GITOPS_FIXED_PACE=1` turns it off, only to measure without. */
  adaptivePace: boolean;
}

/**
 * The settings as a front end was given them (undefined: not given). Each falls back to its
 * environment variable, then to its default.
 */
export interface GivenConfig {
  project?: string;
  workspaceId?: string;
  apiKey?: string;
  apiUrl?: string;
  apiGeneration?: string;
  force?: boolean;
  /** A flag's number or an input's text. */
  concurrency?: number | string;
  timeout?: string;
  /** How a message names the setting it refuses: `--concurrency`, `the concurrency input`. */
  names: Record<'concurrency' | 'timeout' | 'apiGeneration', string>;
}

export function resolveConfig(given: GivenConfig, env: Env): RunConfig {
  const stateKey = nonEmpty(env.INTUNED_GITOPS_STATE_KEY);
  return {
    project: given.project ?? nonEmpty(env.INTUNED_PROJECT) ?? '',
    workspaceId: given.workspaceId ?? nonEmpty(env.INTUNED_WORKSPACE_ID) ?? '',
    apiKey: (given.apiKey ?? nonEmpty(env.INTUNED_API_KEY) ?? '').trim(),
    apiUrl: given.apiUrl ?? nonEmpty(env.INTUNED_API_URL) ?? DEFAULT_API_URL,
    apiGeneration: readApiGeneration(given.apiGeneration ?? nonEmpty(env.INTUNED_API_GENERATION), given.names.apiGeneration),
    ...definedOnly({ stateKey }),
    force: given.force ?? false,
    concurrency: readConcurrency(given.concurrency, given.names.concurrency),
    timeoutMs: given.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(given.timeout, given.names.timeout),
    adaptivePace: env.INTUNED_GITOPS_FIXED_PACE !== '1',
  };
}

type Target = 'project' | 'workspaceId' | 'apiKey';

/** The settings a plan or an apply cannot do without that are empty, each as `names` names it, in the order of `names`. */
export function missingTarget(config: Pick<RunConfig, Target>, names: Record<Target, string>): string[] {
  return (Object.keys(names) as Target[]).filter((setting) => !config[setting]).map((setting) => names[setting]);
}

/** The API client's options for a config: the one place a front end's settings become a client. */
export function clientOptionsOf(config: RunConfig, run: Pick<ClientOptions, 'deadline' | 'mask'>): ClientOptions {
  return { baseUrl: config.apiUrl, apiKey: config.apiKey, workspaceId: config.workspaceId, project: config.project, apiGeneration: config.apiGeneration, adaptivePace: config.adaptivePace, ...run };
}

/** A value given as empty or blank is not given; a given value is used trimmed. */
export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readConcurrency(value: number | string | undefined, name: string): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const number = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < 1 || number > MAX_CONCURRENCY) {
    throw new InputError(`${name} must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return number;
}

function readApiGeneration(value: string | undefined, name: string): ApiGeneration {
  const generation = value ?? 'current';
  if (generation !== 'current' && generation !== 'legacy') throw new InputError(`${name} ${JSON.stringify(generation)} is not one of current, legacy`);
  return generation;
}

export interface ReconcileFlags {
  dir?: string;
  project?: string;
  workspaceId?: string;
  apiUrl?: string;
  state?: string;
  force?: boolean;
  output?: string;
  concurrency?: number;
  timeout?: string;
  detailedExitcode?: boolean;
  apiGeneration?: string;
  forceUnlock?: string;
  expectPlan?: string;
}

/** The CLI's `reconcile`: the run's config and what only the command line has. */
export interface ReconcileSettings extends RunConfig {
  dir: string;
  state: string;
  output: OutputFormat;
  detailedExitcode: boolean;
  /** The ID of a lock to remove before going on (printed by the run it refused). */
  forceUnlock?: string;
  /** A JSON plan from an earlier `--output json`: refuse this plan if it deletes what that one did not. */
  expectPlan?: string;
}

/** Flag over environment over default. */
export function resolveSettings(flags: ReconcileFlags, env: Env): ReconcileSettings {
  const config = resolveConfig(
    {
      ...definedOnly({ project: flags.project, workspaceId: flags.workspaceId, apiUrl: flags.apiUrl, apiGeneration: flags.apiGeneration, force: flags.force, concurrency: flags.concurrency, timeout: flags.timeout }),
      names: { concurrency: '--concurrency', timeout: '--timeout', apiGeneration: '--api-generation' },
    },
    env,
  );
  const missing = missingTarget(config, { project: 'the project: --project or INTUNED_PROJECT', workspaceId: 'the workspace ID: --workspace-id or INTUNED_WORKSPACE_ID', apiKey: 'the API key: INTUNED_API_KEY (environment only, never a flag)' });
  // One line, as every settings error is (SPEC): a CI log shows it whole.
  if (missing.length > 0) throw new InputError(`missing settings: ${missing.join('; ')}`);

  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'json' && output !== 'markdown') {
    throw new InputError(`--output ${JSON.stringify(output)} is not one of text, json, markdown`);
  }
  if (flags.forceUnlock !== undefined && !/^[\w-]+$/.test(flags.forceUnlock)) {
    throw new InputError('--force-unlock needs the lock ID that the refused apply printed, e.g. --force-unlock 5d1e9a0c7b3f');
  }
  return {
    ...config,
    dir: flags.dir ?? '.',
    state: flags.state ?? nonEmpty(env.INTUNED_GITOPS_STATE) ?? DEFAULT_STATE,
    output,
    detailedExitcode: flags.detailedExitcode ?? false,
    ...definedOnly({ forceUnlock: flags.forceUnlock, expectPlan: flags.expectPlan }),
  };
}
