import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { pullRequestOf } from '../../src/action/event.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ACTION_STATE, INPUT_NAMES, readSettings, requireIntuned } from '../../src/action/inputs.js';
import { prEvent } from './harness.js';

const read = (inputs: Record<string, string>, eventName = 'push', env: Record<string, string> = {}) => readSettings({ inputs, env, eventName, workspace: '/repo' });

/** The keys of a top-level section of action.yml (two-space indented names). */
function actionYmlKeys(section: string): string[] {
  const text = readFileSync(join(import.meta.dirname, '../../action.yml'), 'utf8');
  const body = new RegExp(`^${section}:\\n((?:  .*\\n|\\n)*)`, 'm').exec(text)?.[1] ?? '';
  return [...body.matchAll(/^  ([\w-]+):/gm)].map((match) => match[1]!);
}

describe('Action inputs', () => {
  it('are exactly the inputs of action.yml, and it declares the outputs the Action sets', () => {
    expect(actionYmlKeys('inputs').sort()).toEqual([...INPUT_NAMES].sort());
    expect(actionYmlKeys('outputs')).toEqual(['has-changes', 'plan', 'created', 'updated', 'deleted', 'skipped', 'failed', 'plan-comparison', 'drift-issue']);
  });

  it.each([
    ['pull_request', 'plan'],
    ['pull_request_target', 'plan'],
    ['push', 'apply'],
    ['schedule', 'drift'],
    ['workflow_dispatch', 'drift'],
  ])('defaults the mode on %s to %s', (eventName, mode) => {
    expect(read({}, eventName).mode).toBe(mode);
  });

  it('reads defaults the way action.yml states them, and falls back to the CLI environment', () => {
    const settings = read({ 'api-key': ' key-from-input ', directory: 'infra' }, 'push', { INTUNED_PROJECT: 'from-env', INTUNED_GITOPS_STATE_KEY: 'state-key' });
    expect(settings).toMatchObject({
      mode: 'apply',
      apiKey: 'key-from-input',
      project: 'from-env',
      workspaceId: '',
      dir: '/repo/infra',
      directory: 'infra',
      state: DEFAULT_ACTION_STATE,
      stateKey: 'state-key',
      comment: true,
      force: false,
      concurrency: 10,
      timeoutMs: 600_000,
      planMismatch: 'refuse',
    });
    expect(read({ 'plan-mismatch': 'warn', mode: 'drift' })).toMatchObject({ planMismatch: 'warn', mode: 'drift' });
    expect(() => requireIntuned(settings)).toThrow('missing inputs: workspace-id (or INTUNED_WORKSPACE_ID)');
  });

  it.each([
    [{ mode: 'destroy' }, 'the mode input "destroy" is not plan, apply or drift'],
    [{ 'plan-mismatch': 'ignore' }, 'the plan-mismatch input "ignore" is not refuse or warn'],
    [{ comment: 'yes' }, 'the comment input "yes" is not true or false'],
    [{ concurrency: '0' }, 'the concurrency input must be a whole number from 1 to 100'],
    [{ concurrency: '2.5' }, 'the concurrency input must be a whole number from 1 to 100'],
    [{ timeout: 'soon' }, 'the timeout input "soon" is not a duration longer than zero: use e.g. 90s, 10m or 1h30m'],
  ])('refuses %j', (inputs, message) => {
    expect(() => read(inputs)).toThrow(new InputError(message));
  });

  it('reads the API generation from INTUNED_API_GENERATION, as the CLI does', () => {
    expect(read({}).apiGeneration).toBe('current');
    expect(read({}, 'push', { INTUNED_API_GENERATION: 'legacy' }).apiGeneration).toBe('legacy');
    expect(() => read({}, 'push', { INTUNED_API_GENERATION: 'older' })).toThrow(new InputError('INTUNED_API_GENERATION "older" is not one of current, legacy'));
  });

  it('takes YAML booleans for comment and force', () => {
    expect(read({ comment: 'False', force: 'TRUE' })).toMatchObject({ comment: false, force: true });
  });
});

describe('pull requests from the event', () => {
  it('tells a fork, a deleted fork and the same repository apart', () => {
    expect(pullRequestOf(prEvent({ number: 1 }))).toMatchObject({ number: 1, fork: false });
    expect(pullRequestOf(prEvent({ number: 2, headRepo: 'mallory/sessions' }))).toMatchObject({ fork: true, headRepo: 'mallory/sessions' });
    expect(pullRequestOf(prEvent({ number: 3, headRepo: null }))).toMatchObject({ fork: true, headRepo: undefined });
    expect(pullRequestOf({ name: 'push', payload: {} })).toBeUndefined();
  });
});
