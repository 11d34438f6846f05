/**
 * The Action's inputs (action.yml) as one typed settings object. Each Intuned input falls back
 * to the environment variable the CLI reads, so a workflow may set either.
 */
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { missingTarget, nonEmpty, resolveConfig, type RunConfig } from '../front-end/settings.js';
import { definedOnly } from '../engine/optional.js';
import { PLAN_MISMATCH_MODES, type PlanMismatchMode } from '../engine/review.js';
import { modeOfEvent, type ActionMode } from './event.js';

/** Exactly the inputs of action.yml (`api-url` is the one beyond SPEC's list: emulator and tests). */
export const INPUT_NAMES = ['api-key', 'workspace-id', 'project', 'mode', 'directory', 'state', 'github-token', 'comment', 'concurrency', 'timeout', 'force', 'plan-mismatch', 'api-url'] as const;
export type InputName = (typeof INPUT_NAMES)[number];
export type ActionInputs = Readonly<Partial<Record<InputName, string>>>;

export const DEFAULT_ACTION_STATE = 'git:intuned-gitops-state';

/** The run's config, and what only the Action has. */
export interface ActionSettings extends RunConfig {
  mode: ActionMode;
  /** The `directory` input as given ('.' by default). */
  directory: string;
  /** Absolute project directory. */
  dir: string;
  /** Absolute repository root (GITHUB_WORKSPACE); annotations are relative to it. */
  workspace: string;
  /** Empty when GitHub withheld the secret (forks, Dependabot) or it is not configured. */
  apiKey: string;
  state: string;
  githubToken: string;
  comment: boolean;
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
  const input = (name: InputName) => nonEmpty(inputs[name]);
  const directory = input('directory') ?? '.';
  const mode = readMode(input('mode'), eventName);
  const comment = readBoolean('comment', input('comment'), true);
  const config = resolveConfig(
    {
      ...definedOnly({ project: input('project'), workspaceId: input('workspace-id'), apiKey: input('api-key'), apiUrl: input('api-url'), concurrency: input('concurrency'), timeout: input('timeout') }),
      force: readBoolean('force', input('force'), false),
      names: { concurrency: 'the concurrency input', timeout: 'the timeout input', apiGeneration: 'INTUNED_API_GENERATION' },
    },
    env,
  );
  return {
    ...config,
    mode,
    directory,
    dir: resolve(workspace, directory),
    workspace: resolve(workspace),
    state: input('state') ?? DEFAULT_ACTION_STATE,
    githubToken: input('github-token') ?? '',
    comment,
    planMismatch: readPlanMismatch(input('plan-mismatch')),
  };
}

/** The inputs a plan or an apply cannot do without, all named at once. */
export function requireIntuned(settings: ActionSettings): void {
  const missing = missingTarget(settings, { apiKey: 'api-key (or INTUNED_API_KEY)', workspaceId: 'workspace-id (or INTUNED_WORKSPACE_ID)', project: 'project (or INTUNED_PROJECT)' });
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
