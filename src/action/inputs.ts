/**
 * The Action's inputs (action.yml) as one typed settings object. Each Intuned input falls back
 * to the environment variable the CLI reads, so a workflow may set either.
 */
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from '../engine/apply.js';
import { parseDuration } from '../engine/duration.js';
import { DEFAULT_API_URL, MAX_CONCURRENCY } from '../settings.js';
import { PLAN_MISMATCH_MODES, type PlanMismatchMode } from '../engine/review.js';
import { modeOfEvent, type ActionMode } from './event.js';

/** Exactly the inputs of action.yml (`api-url` is the one beyond SPEC's list: emulator and tests). */
export const INPUT_NAMES = ['api-key', 'workspace-id', 'project', 'mode', 'directory', 'state', 'github-token', 'comment', 'concurrency', 'timeout', 'force', 'plan-mismatch', 'api-url'] as const;
export type InputName = (typeof INPUT_NAMES)[number];
export type ActionInputs = Readonly<Partial<Record<InputName, string>>>;

export const DEFAULT_ACTION_STATE = 'git:intuned-gitops-state';

export interface ActionSettings {
  mode: ActionMode;
  /** The `directory` input as given ('.' by default). */
  directory: string;
  /** Absolute project directory. */
  dir: string;
  /** Absolute repository root (GITHUB_WORKSPACE); annotations are relative to it. */
  workspace: string;
  /** Empty when GitHub withheld the secret (forks, Dependabot) or it is not configured. */
  apiKey: string;
  workspaceId: string;
  project: string;
  apiUrl: string;
  state: string;
  stateKey?: string;
  githubToken: string;
  comment: boolean;
  concurrency: number;
  timeoutMs: number;
  force: boolean;
  /** On a push: what a delete the reviewed plan did not show does. */
  planMismatch: PlanMismatchMode;
}

export interface ReadSettingsOptions {
  inputs: ActionInputs;
  env: Readonly<Record<string, string | undefined>>;
  eventName: string;
  workspace: string;
}

export function readSettings({ inputs, env, eventName, workspace }: ReadSettingsOptions): ActionSettings {
  const input = (name: InputName, fallback?: string) => nonEmpty(inputs[name]) ?? (fallback ? nonEmpty(env[fallback]) : undefined);
  const stateKey = nonEmpty(env.INTUNED_GITOPS_STATE_KEY);
  const directory = input('directory') ?? '.';
  return {
    mode: readMode(input('mode'), eventName),
    directory,
    dir: resolve(workspace, directory),
    workspace: resolve(workspace),
    apiKey: input('api-key', 'INTUNED_API_KEY') ?? '',
    workspaceId: input('workspace-id', 'INTUNED_WORKSPACE_ID') ?? '',
    project: input('project', 'INTUNED_PROJECT') ?? '',
    apiUrl: input('api-url', 'INTUNED_API_URL') ?? DEFAULT_API_URL,
    state: input('state') ?? DEFAULT_ACTION_STATE,
    ...(stateKey ? { stateKey } : {}),
    githubToken: input('github-token') ?? '',
    comment: readBoolean('comment', input('comment'), true),
    concurrency: readConcurrency(input('concurrency')),
    timeoutMs: input('timeout') === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(input('timeout')!, 'the timeout input'),
    force: readBoolean('force', input('force'), false),
    planMismatch: readPlanMismatch(input('plan-mismatch')),
  };
}

/** The inputs a plan or an apply cannot do without, all named at once. */
export function requireIntuned(settings: ActionSettings): void {
  const missing = [
    ...(settings.apiKey ? [] : ['api-key (or INTUNED_API_KEY)']),
    ...(settings.workspaceId ? [] : ['workspace-id (or INTUNED_WORKSPACE_ID)']),
    ...(settings.project ? [] : ['project (or INTUNED_PROJECT)']),
  ];
  if (missing.length > 0) throw new InputError(`missing inputs: ${missing.join(', ')}`);
}

const MODES: readonly ActionMode[] = ['plan', 'apply', 'drift'];

function readMode(value: string | undefined, eventName: string): ActionMode {
  if (MODES.includes(value as ActionMode)) return value as ActionMode;
  if (value !== undefined) throw new InputError(`the mode input ${JSON.stringify(value)} is not plan, apply or drift`);
  const mode = modeOfEvent(eventName);
  if (!mode) throw new InputError(`the ${eventName || 'unknown'} event implies no mode: set the mode input to plan, apply or drift`);
  return mode;
}

function readPlanMismatch(value: string | undefined): PlanMismatchMode {
  if (value === undefined) return 'refuse';
  if (PLAN_MISMATCH_MODES.includes(value as PlanMismatchMode)) return value as PlanMismatchMode;
  throw new InputError(`the plan-mismatch input ${JSON.stringify(value)} is not refuse or warn`);
}

/** YAML 1.2 core booleans, as `core.getBooleanInput` reads them. */
function readBoolean(name: InputName, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(`the ${name} input ${JSON.stringify(value)} is not true or false`);
}

function readConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > MAX_CONCURRENCY) {
    throw new InputError(`the concurrency input must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return number;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
