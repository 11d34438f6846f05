/**
 * Runs the built CLI as a user does (`node bin/intuned-gitops.js ...`, a process of its own)
 * and times it from spawn to exit. With `--timings` the CLI prints one JSON line on stderr with
 * its stage timings, request counts and peak RSS; that line is parsed here.
 */
import { spawn } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMINGS_KEY = 'intunedGitopsTimings';
let cli = join(ROOT, 'bin', 'intuned-gitops.js');

/**
 * Runs every later command from a copy of bin/ and build/ taken now: others rebuild build/ in
 * this checkout, and a rebuild half way through a long run would change (or break) what is
 * measured. The copy resolves its dependencies through a link to node_modules.
 */
export function useBuildSnapshot(dir) {
  for (const part of ['bin', 'build', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  cli = join(dir, 'bin', 'intuned-gitops.js');
  return dir;
}

/**
 * @param {{args: string[], env?: Record<string, string>, expectExit?: number}} options
 * @returns {Promise<{code: number, wallMs: number, stdout: string, stderr: string, report?: object}>}
 */
export async function runCli(options) {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...options.args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? -1)));
  const wallMs = performance.now() - started;
  const report = parseTimings(stderr);
  const expected = options.expectExit ?? 0;
  if (code !== expected) {
    const tail = stderr.split('\n').slice(-15).join('\n');
    throw new Error(`intuned-gitops ${options.args.join(' ')} exited ${code}, expected ${expected}:\n${tail}`);
  }
  return { code, wallMs, stdout, stderr, report };
}

function parseTimings(stderr) {
  for (const line of stderr.split('\n').reverse()) {
    if (!line.startsWith(`{"${TIMINGS_KEY}"`)) continue;
    return JSON.parse(line)[TIMINGS_KEY];
  }
  return undefined;
}

/** Median wall time of `--version`: the price of starting node and loading the CLI's modules. */
export async function measureStartup(samples) {
  const times = [];
  for (let index = 0; index < samples; index += 1) times.push((await runCli({ args: ['--version'] })).wallMs);
  return median(times);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall time of one `node <args>` process, from spawn to exit (for `node -e 0`, the floor). */
export async function timeNode(args) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  const code = await new Promise((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? -1)));
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`);
  return performance.now() - started;
}
