import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/project.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('intuned-gitops --version', () => {
  it('prints the package version, the same on the quick path as through the parser', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const quick = await run(process.execPath, [CLI, '--version']);
    const parsed = await run(process.execPath, [join(root, 'build', 'cli', 'main.js'), '--version']);
    expect(quick).toEqual({ stdout: `${version}\n`, stderr: '' });
    expect(parsed).toEqual(quick);
  });
});
