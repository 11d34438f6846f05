import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, collect } from '../helpers/project.js';

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

describe('import --help', () => {
  it('says jobs are the default kind, that secrets become references, and that the API key is needed', async () => {
    const help = await cli(['import', '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('[choices: "job", "auth-session"] [default: "job"]');
    expect(text).toContain('Secrets become ${env:NAME} references');
    expect(text).toContain('INTUNED_API_KEY');
  });
});

describe('README', () => {
  it('lists every flag of reconcile in its flag table', async () => {
    const help = await cli(['reconcile', '--help']);
    const flags = [...help.stdout.matchAll(/^\s+(--[a-z-]+)/gm)].map((match) => match[1]!).filter((flag) => flag !== '--help' && flag !== '--version');
    expect(flags).toContain('--api-generation');
    const readme = await readFile(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');
    const table = readme.split('\n').filter((line) => line.startsWith('| `--'));
    expect(flags.filter((flag) => !table.some((line) => line.startsWith(`| \`${flag}`)))).toEqual([]);
  });
});
