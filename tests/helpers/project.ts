/**
 * The tests' one project harness: a project directory and an in-process emulator, run two ways:
 * the built CLI as a process (as a user runs it; spawned asynchronously, so the emulator answers
 * from this process's event loop), or `reconcileCommand` in this process with an API client
 * whose retry waits are recorded and shortened, so a storm of faults costs no wall time. Given a
 * `record`, every output, error and file either way goes to a Transcript, counted in Figures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createIntunedClient } from '../../src/api/client.js';
import type { ClientOptions } from '../../src/api/options.js';
import { reconcileCommand } from '../../src/cli/commands/reconcile.js';
import { seededRandom } from '../../src/emulator/random.js';
import { startEmulator, type EmulatorHandle, type EmulatorOptions, type RequestEvent } from '../../src/emulator/index.js';
import { describeError, EXIT_ERROR } from '../../src/errors.js';
import { bufferOutput } from '../../src/front-end/io.js';
import type { ReconcileFlags } from '../../src/front-end/settings.js';
import { parseStateDocument } from '../../src/state/document.js';
import type { StateDocument } from '../../src/state/types.js';
import type { Figures } from '../reliability/figures.js';
import type { Transcript } from '../reliability/transcript.js';
import { removeResourceFile, writeResourceFile } from './resource-files.js';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'intuned-gitops.js');
export const API_KEY = 'cli-test-api-key-7f3a9c';
export const WORKSPACE = '0b7e4c2a-1f3d-4e5b-8a9c-6d2e1f0a3b4c';
export const STATE_FILE = join('.intuned-gitops', 'state.json');
/** A retry wait in-process lasts at most this long; the wait asked for is kept in `sleeps`. */
const SHORTENED_RETRY_MS = 5;
/** Emulator statuses that only an injected fault produces here (0: socket dropped). */
const FAULT_STATUSES = new Set([0, 429, 500, 502, 503]);

export interface CliResult {
  code: number | null;
  /** Set when a spawned run was ended by a signal (a kill). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}
export type RunOutcome = CliResult;

export interface InProcessRun {
  dryRun?: boolean;
  flags?: ReconcileFlags;
  env?: Record<string, string>;
  /** Client options over the test's defaults (e.g. a short `requestTimeoutMs`, real `sleep`). */
  client?: Partial<ClientOptions>;
}

export interface ProjectOptions {
  /** The environment of every run, given the emulator's URL (by default these tests' credentials). */
  env?: (url: string) => Record<string, string>;
  /** Where outputs, errors, states and files go, and what is counted. */
  record?: { transcript: Transcript; figures: Figures };
}

function defaultEnv(url: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    INTUNED_API_URL: url,
    INTUNED_API_KEY: API_KEY,
    INTUNED_WORKSPACE_ID: WORKSPACE,
    INTUNED_PROJECT: 'cli-tests',
    NO_COLOR: '1',
  };
}

export class Project {
  /** Retry waits the in-process client asked for, in ms. */
  readonly sleeps: number[] = [];
  private readonly hooks = new Set<(event: RequestEvent) => void>();
  private runs = 0;
  private emulatorHandle: EmulatorHandle | undefined;

  private constructor(
    readonly dir: string,
    private readonly options: ProjectOptions,
  ) {}

  static async create(emulator: EmulatorOptions = {}, options: ProjectOptions = {}): Promise<Project> {
    const dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-project-'));
    const project = new Project(dir, options);
    const figures = options.record?.figures;
    project.emulatorHandle = await startEmulator({
      apiKey: defaultEnvOf(options).INTUNED_API_KEY ?? API_KEY,
      operationDurationMs: 150,
      ...emulator,
      onRequest: (event) => {
        if (FAULT_STATUSES.has(event.status)) figures?.add('faultsInjected');
        figures?.add('requestsServed');
        for (const hook of project.hooks) hook(event);
        emulator.onRequest?.(event);
      },
    });
    return project;
  }

  get emulator(): EmulatorHandle {
    return this.emulatorHandle!;
  }

  get env(): Record<string, string> {
    return (this.options.env ?? defaultEnv)(this.emulator.url);
  }

  /** Calls `hook` after every request the emulator answers, until the returned function is called. */
  onRequest(hook: (event: RequestEvent) => void): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /**
   * Calls the emulator's API directly, as the dashboard or another client would: `path` is
   * below the project (`/jobs/x`). The body is parsed JSON, or undefined when empty.
   */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const env = this.env;
    const project = env.INTUNED_PROJECT ?? 'cli-tests';
    const response = await fetch(`${this.emulator.url}/${env.INTUNED_WORKSPACE_ID ?? WORKSPACE}/projects/${project}${path}`, {
      method,
      headers: { 'x-api-key': env.INTUNED_API_KEY ?? API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
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

  /** Removes `intuned-resources/jobs/<name>`. */
  removeJobFile(name: string): Promise<void> {
    return rm(join(this.dir, 'intuned-resources', 'jobs', name));
  }

  /** The state file's text; throws when there is none. */
  async stateText(): Promise<string> {
    return readFile(join(this.dir, STATE_FILE), 'utf8');
  }

  /** The state as the next run reads it, undefined when there is none; throws when it does not parse. */
  async state(): Promise<StateDocument | undefined> {
    let text: string;
    try {
      text = await this.stateText();
    } catch {
      return undefined;
    }
    this.options.record?.transcript.add(`state after run ${this.runs}`, text);
    return parseStateDocument(text, STATE_FILE);
  }

  spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    this.runs += 1;
    this.options.record?.figures.add('cliRuns');
    return spawn(process.execPath, [CLI, ...args, '--dir', this.dir], { env: { ...this.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The built CLI as a process; resolves when it exits. */
  async run(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return this.record(`cli ${args.join(' ')}`, await collect(this.spawn(args, env)));
  }

  /** Keeps what a spawned run printed (also for runs killed on purpose). */
  record(where: string, result: RunOutcome): RunOutcome {
    const record = this.options.record;
    if (!record) return result;
    record.transcript.add(`${where} stdout`, result.stdout);
    record.transcript.add(`${where} stderr`, result.stderr);
    record.figures.add('timeoutsReported', result.stdout.match(/ timed out after /g)?.length ?? 0);
    record.figures.add('outcomeUnknownReported', result.stdout.match(/ failed: outcome unknown/g)?.length ?? 0);
    return result;
  }

  /** `reconcile` in this process, errors mapped to exit codes as the CLI's entry does. */
  async reconcile(run: InProcessRun = {}): Promise<RunOutcome> {
    this.runs += 1;
    this.options.record?.figures.add('inProcessRuns');
    const env = { ...this.env, ...run.env };
    const client = createIntunedClient({
      baseUrl: this.emulator.url,
      apiKey: env.INTUNED_API_KEY ?? API_KEY,
      workspaceId: env.INTUNED_WORKSPACE_ID ?? WORKSPACE,
      project: env.INTUNED_PROJECT ?? 'cli-tests',
      random: seededRandom(this.runs),
      sleep: async (ms) => {
        this.sleeps.push(ms);
        await delay(Math.min(ms, SHORTENED_RETRY_MS));
      },
      ...run.client,
    });
    const output = bufferOutput();
    let code: number;
    try {
      code = await reconcileCommand({ flags: { dir: this.dir, output: 'text', ...run.flags }, dryRun: run.dryRun ?? false, env, output, api: client });
    } catch (error) {
      this.options.record?.transcript.addError('reconcile', error);
      output.err(`error: ${describeError(error)}\n`);
      code = EXIT_ERROR;
    } finally {
      await client.close();
    }
    return this.record(`reconcile${run.dryRun ? ' --dry-run' : ''}`, { code, stdout: output.stdout, stderr: output.stderr });
  }

  /** Operations the emulator started, of one kind, per session ID. */
  starts(kind: 'create' | 'update'): Record<string, number> {
    // No prototype: a session ID may be `__proto__` or `constructor`.
    const counts: Record<string, number> = Object.create(null);
    for (const operation of this.emulator.operations()) if (operation.kind === kind) counts[operation.authSessionId] = (counts[operation.authSessionId] ?? 0) + 1;
    return counts;
  }

  /** Closes the emulator and removes the project (with a record, after scanning every file the runs wrote). */
  async close(): Promise<void> {
    const record = this.options.record;
    for (const operation of this.emulatorHandle?.operations() ?? []) {
      if (operation.status === 'failed' || operation.status === 'canceled') record?.figures.add(`operationsEnded${operation.status === 'failed' ? 'Failed' : 'Canceled'}`);
    }
    await this.emulatorHandle?.close();
    if (record) record.figures.add('filesScanned', await record.transcript.addTree('file', this.dir));
    await rm(this.dir, { recursive: true, force: true });
  }
}

function defaultEnvOf(options: ProjectOptions): Record<string, string> {
  return (options.env ?? defaultEnv)('');
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
