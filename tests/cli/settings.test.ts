import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { resolveSettings, type RunConfig } from '../../src/front-end/settings.js';
import { readSettings } from '../../src/action/inputs.js';

const ENV = {
  INTUNED_PROJECT: ' acme ',
  INTUNED_WORKSPACE_ID: 'ws-1',
  INTUNED_API_KEY: ' key-0123456789\n',
  INTUNED_API_URL: 'http://127.0.0.1:8080/api/v1/workspace',
  INTUNED_API_GENERATION: 'legacy',
  INTUNED_GITOPS_STATE_KEY: 'state-key-1234',
};
const CONFIG_KEYS = ['project', 'workspaceId', 'apiKey', 'apiUrl', 'apiGeneration', 'stateKey', 'force', 'concurrency', 'timeoutMs', 'adaptivePace'] as const;
const configOf = (settings: RunConfig) => Object.fromEntries(CONFIG_KEYS.map((key) => [key, settings[key]]));

describe('one resolver for both front ends', () => {
  it('gives the CLI and the Action the same config from the same environment', () => {
    const cli = resolveSettings({}, ENV);
    const action = readSettings({ inputs: {}, env: ENV, eventName: 'push', workspace: '/repo' });
    expect(configOf(cli)).toEqual({
      project: 'acme',
      workspaceId: 'ws-1',
      apiKey: 'key-0123456789',
      apiUrl: 'http://127.0.0.1:8080/api/v1/workspace',
      apiGeneration: 'legacy',
      stateKey: 'state-key-1234',
      force: false,
      concurrency: 10,
      timeoutMs: 600_000,
      adaptivePace: true,
    });
    expect(configOf(action)).toEqual(configOf(cli));
  });

  it('checks concurrency the same way, naming the flag or the input', () => {
    expect(() => resolveSettings({ concurrency: 101 }, ENV)).toThrow(new InputError('--concurrency must be a whole number from 1 to 100'));
    expect(() => readSettings({ inputs: { concurrency: '101' }, env: ENV, eventName: 'push', workspace: '/repo' })).toThrow(new InputError('the concurrency input must be a whole number from 1 to 100'));
    expect(resolveSettings({ concurrency: 3 }, ENV).concurrency).toBe(readSettings({ inputs: { concurrency: '3' }, env: ENV, eventName: 'push', workspace: '/repo' }).concurrency);
  });
});
