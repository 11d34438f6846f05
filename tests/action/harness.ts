/**
 * Runs the Action's entry (`runAction`) as a runner would, against the emulator, a local fake
 * of GitHub's REST API, and a real bare git repository as `origin` with clones as workspaces.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';
import { githubApi } from '../../src/action/github.js';
import { runAction, type ActionDeps, type ActionResult } from '../../src/action/run.js';
import type { ActionIO, Annotation, GitHubEvent } from '../../src/action/types.js';
import { runGit } from '../../src/state/git-repo.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { removeResourceFile, writeResourceFile } from '../helpers/resource-files.js';

export const API_KEY = 'action-test-api-key-5d1e8b';
export const TOKEN = 'ghs_actiontesttoken0123456789';
export const WORKSPACE_ID = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
export const PROJECT = 'action-tests';
export const OWNER = 'acme';
export const REPO = 'sessions';
export const STATE_BRANCH = 'intuned-gitops-state';
export const SECRETS = { ACME_PASSWORD: 'Sup3r-Secret-acme-pw', BETA_PASSWORD: 'Sup3r-Secret-beta-pw' };
const IDENTITY = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.test', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.test' };

export async function git(dir: string, ...args: string[]): Promise<string> {
  const result = await runGit(dir, args, undefined, IDENTITY);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A bare repository playing GitHub's copy of the repo. */
export class Origin {
  private clones = 0;
  private constructor(readonly root: string, readonly path: string) {}

  static async create(root: string): Promise<Origin> {
    const path = join(root, 'origin.git');
    await git(root, 'init', '--quiet', '--bare', '--initial-branch=main', path);
    const origin = new Origin(root, path);
    const first = await origin.clone();
    await writeFile(join(first.dir, 'README.md'), '# sessions\n');
    await git(first.dir, 'add', 'README.md');
    await git(first.dir, 'commit', '--quiet', '-m', 'init');
    await git(first.dir, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    return origin;
  }

  /** A checkout of main, as actions/checkout leaves it. */
  async clone(): Promise<Workspace> {
    const dir = join(this.root, `workspace-${(this.clones += 1)}`);
    await git(this.root, 'clone', '--quiet', this.path, dir);
    return new Workspace(dir);
  }

  /** `state.json` on the state branch, or undefined when the branch does not exist. */
  async state(branch = STATE_BRANCH): Promise<string | undefined> {
    const result = await runGit(this.path, ['show', `refs/heads/${branch}:state.json`]);
    return result.code === 0 ? result.stdout : undefined;
  }

  async commits(branch = STATE_BRANCH): Promise<string[]> {
    return (await git(this.path, 'rev-list', `refs/heads/${branch}`)).split('\n').filter(Boolean);
  }
}

export class Workspace {
  constructor(readonly dir: string) {}

  /** The same checkout seen from a project directory inside it (the `directory` input). */
  project(directory: string): Workspace {
    return new Workspace(join(this.dir, directory));
  }

  file(name: string, body: unknown): Promise<void> {
    return writeResourceFile(this.dir, name, body);
  }

  remove(name: string): Promise<void> {
    return removeResourceFile(this.dir, name);
  }

  /** Writes `intuned-resources/jobs/<name>`. */
  async jobFile(name: string, body: unknown): Promise<void> {
    const path = join(this.dir, 'intuned-resources', 'jobs', name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(body, null, 2));
  }
}

export type IOEvent =
  | { type: 'secret'; value: string }
  | { type: 'info' | 'warning' | 'error'; message: string; annotation?: Annotation }
  | { type: 'output'; name: string; value: string }
  | { type: 'summary'; markdown: string }
  | { type: 'failed'; message: string };

export interface RecordingIO extends ActionIO {
  events: IOEvent[];
  outputs: Record<string, string>;
  summaries: string[];
  annotations: { message: string; annotation?: Annotation }[];
  failed: string | undefined;
  /** Everything that would reach the log, the summary, outputs and failure, as one string. */
  printed(): string;
}

export function recordingIO(): RecordingIO {
  const io: RecordingIO = {
    events: [],
    outputs: {},
    summaries: [],
    annotations: [],
    failed: undefined,
    setSecret: (value) => void io.events.push({ type: 'secret', value }),
    info: (message) => void io.events.push({ type: 'info', message }),
    warning: (message, annotation) => void io.events.push({ type: 'warning', message, ...(annotation ? { annotation } : {}) }),
    error(message, annotation) {
      io.events.push({ type: 'error', message, ...(annotation ? { annotation } : {}) });
      io.annotations.push({ message, ...(annotation ? { annotation } : {}) });
    },
    setOutput(name, value) {
      io.events.push({ type: 'output', name, value });
      io.outputs[name] = value;
    },
    async summary(markdown) {
      io.events.push({ type: 'summary', markdown });
      io.summaries.push(markdown);
    },
    setFailed(message) {
      io.events.push({ type: 'failed', message });
      io.failed = message;
    },
    printed: () => io.events.filter((event) => event.type !== 'secret').map((event) => JSON.stringify(event)).join('\n'),
  };
  return io;
}

export function prEvent(options: { number: number; headSha?: string; headRepo?: string | null }): GitHubEvent {
  const base = { repo: { full_name: `${OWNER}/${REPO}` } };
  const headRepo = options.headRepo === undefined ? `${OWNER}/${REPO}` : options.headRepo;
  const head = { sha: options.headSha ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', repo: headRepo === null ? null : { full_name: headRepo } };
  return { name: 'pull_request', payload: { action: 'synchronize', number: options.number, pull_request: { number: options.number, head, base }, repository: base.repo } };
}

/** Records on the fake GitHub that `mergeSha` is pull request `number`'s merge (or squash, or rebase) commit. */
export function mergedPull(github: FakeGitHub, number: number, mergeSha: string, commits: string[] = [sha(`head-of-${number}`)]): void {
  github.pulls.push({ number, commits, mergeCommitSha: mergeSha, mergedAt: '2026-12-03T10:00:00Z' });
}

/** A commit-shaped hex string made from a name, for fake pushes and pull requests. */
export function sha(name: string): string {
  return createHash('sha1').update(name).digest('hex');
}

export function pushEvent(): GitHubEvent {
  return { name: 'push', payload: { ref: 'refs/heads/main', repository: { full_name: `${OWNER}/${REPO}` } } };
}

export interface RunOptions {
  workspace: Workspace;
  event: GitHubEvent;
  inputs?: ActionDeps['inputs'];
  env?: Record<string, string | undefined>;
  openState?: ActionDeps['openState'];
  now?: Date;
  /** A cancel of the workflow run (the entry aborts it on SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

export class Fixture {
  private constructor(
    readonly root: string,
    readonly emulator: EmulatorHandle,
    readonly github: FakeGitHub,
    readonly origin: Origin,
  ) {}

  static async create(options: EmulatorOptions = {}): Promise<Fixture> {
    const root = await mkdtemp(join(tmpdir(), 'intuned-gitops-action-'));
    const emulator = await startEmulator({ apiKey: API_KEY, operationDurationMs: 100, ...options });
    const github = await startFakeGitHub({ owner: OWNER, repo: REPO });
    return new Fixture(root, emulator, github, await Origin.create(root));
  }

  async run(options: RunOptions): Promise<{ result: ActionResult; io: RecordingIO }> {
    const io = recordingIO();
    const result = await runAction({
      inputs: { 'api-key': API_KEY, 'workspace-id': WORKSPACE_ID, project: PROJECT, 'api-url': this.emulator.url, 'github-token': TOKEN, ...options.inputs },
      env: {
        GITHUB_API_URL: this.github.url,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '4242',
        GITHUB_SHA: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
        ...SECRETS,
        ...options.env,
      },
      event: options.event,
      workspace: options.workspace.dir,
      io,
      github: githubApi,
      ...(options.openState ? { openState: options.openState } : {}),
      ...(options.now ? { now: () => options.now! } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { result, io };
  }

  /** Requests the fake GitHub answered, as `METHOD path`. */
  githubCalls(): string[] {
    return this.github.requests.map((request) => `${request.method} ${request.path}`);
  }

  async close(): Promise<void> {
    await this.github.close();
    await this.emulator.close();
    await rm(this.root, { recursive: true, force: true });
  }
}

export function session(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { parameters, ...extra };
}
