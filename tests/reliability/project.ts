/**
 * A project directory and an in-process emulator, run two ways: the built CLI as a process (as
 * a user runs it), or `reconcileCommand` in this process with an API client whose retry waits
 * are recorded and shortened, so a storm of faults costs no wall time. Every output, error and
 * file either way goes to the test file's Transcript.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createIntunedClient } from '../../src/api/client.js';
import type { ClientOptions } from '../../src/api/options.js';
import { reconcileCommand } from '../../src/commands/reconcile.js';
import { startEmulator, type EmulatorHandle, type EmulatorOptions, type RequestEvent } from '../../src/emulator/index.js';
import { describeError, EXIT_ERROR } from '../../src/errors.js';
import { bufferOutput } from '../../src/io.js';
import type { ReconcileFlags } from '../../src/settings.js';
import { parseStateDocument } from '../../src/state/document.js';
import type { StateDocument } from '../../src/state/types.js';
import { CLI, collect } from '../helpers/project.js';
import type { Figures } from './figures.js';
import { seeded } from './random.js';
import { API_KEY, baseEnv, PROJECT, WORKSPACE } from './secrets.js';
import type { Transcript } from './transcript.js';
import { removeResourceFile, writeResourceFile } from '../helpers/resource-files.js';

export const STATE_FILE = join('.intuned-gitops', 'state.json');
/** A retry wait in-process lasts at most this long; the wait asked for is kept in `sleeps`. */
const SHORTENED_RETRY_MS = 5;
/** Emulator statuses that only an injected fault produces here (0: socket dropped). */
const FAULT_STATUSES = new Set([0, 429, 500, 502, 503]);

export interface RunOutcome {
  code: number | null;
  /** Set when a spawned run was ended by a signal (a kill). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface InProcessRun {
  dryRun?: boolean;
  flags?: ReconcileFlags;
  env?: Record<string, string>;
  /** Client options over the test's defaults (e.g. a short `requestTimeoutMs`, real `sleep`). */
  client?: Partial<ClientOptions>;
}

export class Project {
  /** Retry waits the in-process client asked for, in ms. */
  readonly sleeps: number[] = [];
  private readonly hooks = new Set<(event: RequestEvent) => void>();
  private runs = 0;
  private emulatorHandle: EmulatorHandle | undefined;

  private constructor(
    readonly dir: string,
    private readonly transcript: Transcript,
    private readonly figures: Figures,
  ) {}

  static async create(options: { transcript: Transcript; figures: Figures; emulator?: EmulatorOptions }): Promise<Project> {
    const dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-reliability-'));
    const project = new Project(dir, options.transcript, options.figures);
    project.emulatorHandle = await startEmulator({
      apiKey: API_KEY,
      operationDurationMs: 60,
      ...options.emulator,
      onRequest: (event) => {
        if (FAULT_STATUSES.has(event.status)) options.figures.add('faultsInjected');
        options.figures.add('requestsServed');
        for (const hook of project.hooks) hook(event);
      },
    });
    return project;
  }

  get emulator(): EmulatorHandle {
    return this.emulatorHandle!;
  }

  get env(): Record<string, string> {
    return baseEnv(this.emulator.url);
  }

  /** Calls `hook` after every request the emulator answers, until the returned function is called. */
  onRequest(hook: (event: RequestEvent) => void): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  file(name: string, body: unknown): Promise<void> {
    return writeResourceFile(this.dir, name, body);
  }

  remove(name: string): Promise<void> {
    return removeResourceFile(this.dir, name);
  }

  /** The state as the next run reads it; throws when it does not parse. */
  async state(): Promise<StateDocument | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, STATE_FILE), 'utf8');
    } catch {
      return undefined;
    }
    this.transcript.add(`state after run ${this.runs}`, text);
    return parseStateDocument(text, STATE_FILE);
  }

  /** The built CLI as a process; resolves when it exits. */
  async cli(args: string[], env: Record<string, string> = {}): Promise<RunOutcome> {
    return this.record(`cli ${args.join(' ')}`, await collect(this.spawn(args, env)));
  }

  spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    this.runs += 1;
    this.figures.add('cliRuns');
    return spawn(process.execPath, [CLI, ...args, '--dir', this.dir], {
      env: { ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Keeps what a spawned run printed (also for runs killed on purpose). */
  record(where: string, result: RunOutcome): RunOutcome {
    this.transcript.add(`${where} stdout`, result.stdout);
    this.transcript.add(`${where} stderr`, result.stderr);
    this.figures.add('timeoutsReported', result.stdout.match(/ timed out after /g)?.length ?? 0);
    this.figures.add('outcomeUnknownReported', result.stdout.match(/ failed: outcome unknown/g)?.length ?? 0);
    return result;
  }

  /** `reconcile` in this process, errors mapped to exit codes as the CLI's entry does. */
  async reconcile(run: InProcessRun = {}): Promise<RunOutcome> {
    this.runs += 1;
    this.figures.add('inProcessRuns');
    const env = { ...this.env, ...run.env };
    const client = createIntunedClient({
      baseUrl: this.emulator.url,
      apiKey: API_KEY,
      workspaceId: WORKSPACE,
      project: PROJECT,
      random: seeded(this.runs),
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
      this.transcript.addError('reconcile', error);
      output.err(`error: ${describeError(error)}\n`);
      code = EXIT_ERROR;
    } finally {
      await client.close();
    }
    return this.record(`reconcile${run.dryRun ? ' --dry-run' : ''}`, { code, stdout: output.stdout, stderr: output.stderr });
  }

  /** Operations the emulator started, of one kind, per session ID. */
  starts(kind: 'create' | 'update'): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const operation of this.emulator.operations()) {
      if (operation.kind === kind) counts[operation.authSessionId] = (counts[operation.authSessionId] ?? 0) + 1;
    }
    return counts;
  }

  /** Scans every file the runs wrote, then removes the project. */
  async close(): Promise<void> {
    for (const operation of this.emulatorHandle?.operations() ?? []) {
      if (operation.status === 'failed' || operation.status === 'canceled') this.figures.add(`operationsEnded${operation.status === 'failed' ? 'Failed' : 'Canceled'}`);
    }
    await this.emulatorHandle?.close();
    this.figures.add('filesScanned', await this.transcript.addTree('file', this.dir));
    await rm(this.dir, { recursive: true, force: true });
  }
}
