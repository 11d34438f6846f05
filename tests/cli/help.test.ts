import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, collect } from './harness.js';

function cli(args: string[]) {
  return collect(spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('reconcile --help', () => {
  it.each([['reconcile'], ['plan'], ['apply']])('%s names INTUNED_API_KEY and every default', async (command) => {
    const help = await cli([command, '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('INTUNED_API_KEY');
    expect(text).toContain('INTUNED_GITOPS_STATE_KEY');
    expect(text).toContain('[default: https://app.intuned.io/api/v1/workspace]');
    expect(text).toContain('[default: file:.intuned-gitops/state.json]');
    expect(text).toContain('[default: 10]');
    expect(text).toContain('[default: 10m]');
  });
});
