/**
 * Runs the built CLI as a process, as a user would, against an in-process emulator. The CLI is
 * spawned asynchronously: the emulator answers from this process's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';
import { removeResourceFile, writeResourceFile } from '../helpers/resource-files.js';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'intuned-gitops.js');
export const API_KEY = 'cli-test-api-key-7f3a9c';
export const WORKSPACE = '0b7e4c2a-1f3d-4e5b-8a9c-6d2e1f0a3b4c';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export class Project {
  private constructor(
    readonly dir: string,
    readonly emulator: EmulatorHandle,
    readonly env: Record<string, string>,
  ) {}

  static async create(options: EmulatorOptions = {}): Promise<Project> {
    const dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-cli-'));
    const emulator = await startEmulator({ apiKey: API_KEY, operationDurationMs: 150, ...options });
    const env = {
      PATH: process.env.PATH ?? '',
      INTUNED_API_URL: emulator.url,
      INTUNED_API_KEY: API_KEY,
      INTUNED_WORKSPACE_ID: WORKSPACE,
      INTUNED_PROJECT: 'cli-tests',
      NO_COLOR: '1',
    };
    return new Project(dir, emulator, env);
  }

  /** Writes `intuned-resources/auth-sessions/<name>`. */
  file(name: string, body: unknown): Promise<void> {
    return writeResourceFile(this.dir, name, body);
  }

  /** Writes `intuned-resources/jobs/<name>`. */
  async jobFile(name: string, body: unknown): Promise<void> {
    const path = join(this.dir, 'intuned-resources', 'jobs', name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  }

  remove(name: string): Promise<void> {
    return removeResourceFile(this.dir, name);
  }

  async state(): Promise<string> {
    return readFile(join(this.dir, '.intuned-gitops', 'state.json'), 'utf8');
  }

  spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    return spawn(process.execPath, [CLI, ...args, '--dir', this.dir], { env: { ...this.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  run(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return collect(this.spawn(args, env));
  }

  /** Started operations of a kind per session ID, from the emulator's own record. */
  starts(kind: 'create' | 'update'): Record<string, number> {
    // No prototype: a session ID may be `__proto__` or `constructor`.
    const counts: Record<string, number> = Object.create(null);
    for (const operation of this.emulator.operations()) if (operation.kind === kind) counts[operation.authSessionId] = (counts[operation.authSessionId] ?? 0) + 1;
    return counts;
  }

  async close(): Promise<void> {
    await this.emulator.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function session(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { parameters, ...extra };
}
