import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collect } from '../helpers/project.js';

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'demo.mjs');

describe('the demo', () => {
  it('writes no escape codes to a pipe and leaves no temporary folder behind', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'intuned-gitops-demo-test-'));
    try {
      const env = { PATH: process.env.PATH ?? '', TMPDIR: temp };
      const result = await collect(spawn(process.execPath, [DEMO], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('$ intuned-gitops reconcile --dry-run --detailed-exitcode');
      expect(result.stdout + result.stderr).not.toContain('\u001b');
      expect(await readdir(temp)).toEqual([]);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }, 60_000);
});
