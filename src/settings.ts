/**
 * Resolves a command's settings, flag over environment over default, into one typed object.
 * The API key is read only from the environment: a flag would land in shell history and in
 * process listings.
 */
import { InputError } from './errors.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from './engine/apply.js';
import { parseDuration } from './engine/duration.js';
import { DEFAULT_STATE } from './state/index.js';

import { DEFAULT_API_URL, MAX_CONCURRENCY } from './defaults.js';
export { DEFAULT_API_URL, MAX_CONCURRENCY } from './defaults.js';
export type OutputFormat = 'text' | 'json' | 'markdown';

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

export interface ReconcileSettings {
  dir: string;
  project: string;
  workspaceId: string;
  apiKey: string;
  apiUrl: string;
  state: string;
  stateKey?: string;
  force: boolean;
  output: OutputFormat;
  concurrency: number;
  timeoutMs: number;
  detailedExitcode: boolean;
  /** `legacy`: the older API generation (update with the ID in the body, resumable one-time codes). */
  apiGeneration: 'current' | 'legacy';
  /** The ID of a lock to remove before going on (printed by the run it refused). */
  forceUnlock?: string;
  /** A JSON plan from an earlier `--output json`: refuse this plan if it deletes what that one did not. */
  expectPlan?: string;
}

export function resolveSettings(flags: ReconcileFlags, env: Record<string, string | undefined>): ReconcileSettings {
  const missing: string[] = [];
  const project = flags.project ?? nonEmpty(env.INTUNED_PROJECT);
  const workspaceId = flags.workspaceId ?? nonEmpty(env.INTUNED_WORKSPACE_ID);
  // Trimmed once, here: the key that is sent is the key that is masked and fingerprinted with.
  const apiKey = nonEmpty(env.INTUNED_API_KEY)?.trim();
  if (!project) missing.push('the project: --project or INTUNED_PROJECT');
  if (!workspaceId) missing.push('the workspace ID: --workspace-id or INTUNED_WORKSPACE_ID');
  if (!apiKey) missing.push('the API key: INTUNED_API_KEY (environment only, never a flag)');
  // One line, as every settings error is (SPEC): a CI log shows it whole.
  if (missing.length > 0) throw new InputError(`missing settings: ${missing.join('; ')}`);

  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'json' && output !== 'markdown') {
    throw new InputError(`--output ${JSON.stringify(output)} is not one of text, json, markdown`);
  }
  const concurrency = flags.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new InputError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  const apiGeneration = flags.apiGeneration ?? nonEmpty(env.INTUNED_API_GENERATION) ?? 'current';
  if (apiGeneration !== 'current' && apiGeneration !== 'legacy') {
    throw new InputError(`--api-generation ${JSON.stringify(apiGeneration)} is not one of current, legacy`);
  }
  const stateKey = nonEmpty(env.INTUNED_GITOPS_STATE_KEY);
  if (flags.forceUnlock !== undefined && !/^[\w-]+$/.test(flags.forceUnlock)) {
    throw new InputError('--force-unlock needs the lock ID that the refused apply printed, e.g. --force-unlock 5d1e9a0c7b3f');
  }
  return {
    dir: flags.dir ?? '.',
    project: project!,
    workspaceId: workspaceId!,
    apiKey: apiKey!,
    apiUrl: flags.apiUrl ?? nonEmpty(env.INTUNED_API_URL) ?? DEFAULT_API_URL,
    state: flags.state ?? nonEmpty(env.INTUNED_GITOPS_STATE) ?? DEFAULT_STATE,
    ...(stateKey ? { stateKey } : {}),
    force: flags.force ?? false,
    output,
    concurrency,
    timeoutMs: flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(flags.timeout),
    detailedExitcode: flags.detailedExitcode ?? false,
    apiGeneration,
    ...(flags.forceUnlock !== undefined ? { forceUnlock: flags.forceUnlock } : {}),
    ...(flags.expectPlan !== undefined ? { expectPlan: flags.expectPlan } : {}),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
