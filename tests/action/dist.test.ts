import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let temporary: string | undefined;

afterEach(async () => {
  if (temporary) await rm(temporary, { recursive: true, force: true });
  temporary = undefined;
});

function build(outfile: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'build-action.mjs'), '--outfile', outfile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('dist/index.js', () => {
  it('is what scripts/build-action.mjs builds from the current sources', async () => {
    temporary = await mkdtemp(join(tmpdir(), 'intuned-gitops-dist-'));
    const outfile = join(temporary, 'index.js');
    const built = await build(outfile);
    expect(built, 'the build failed').toMatchObject({ code: 0 });
    const fresh = await readFile(outfile, 'utf8');
    const committed = await readFile(join(ROOT, 'dist', 'index.js'), 'utf8').catch(() => '');
    const stale = fresh !== committed;
    expect(stale, 'dist/index.js is stale: run `npm run build:action` and commit dist/').toBe(false);
  });
});
