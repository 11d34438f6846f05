/**
 * The git plumbing behind `git:BRANCH` state: fetch one branch of a remote, read a file from a
 * commit, build a commit on top of another without a work tree, and push it with a lease.
 * Nothing here touches the work tree, the index or HEAD, so a run never disturbs a checkout.
 */
import { spawn } from 'node:child_process';
import { InputError, StateError } from '../errors.js';

export interface Identity {
  name: string;
  email: string;
}

/** GitHub shows a noreply address as a plain author; no account is needed. */
export const STATE_COMMITTER: Identity = { name: 'intuned-gitops', email: 'intuned-gitops@users.noreply.github.com' };

/** A push the remote refused because the branch is not where we last saw it (retry after a re-read). */
const MOVED_REASONS = /stale info|fetch first|non-fast-forward|already exists|cannot lock ref|failed to update ref|incorrect old value/i;

interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  name: string;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class GitRepo {
  private constructor(
    readonly dir: string,
    /** Absolute; shared by every worktree of the repository. */
    readonly gitDir: string,
    readonly remote: string,
  ) {}

  static async open(options: { dir: string; remote: string; branch: string }): Promise<GitRepo> {
    const found = await runGit(options.dir, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
    if (found.code !== 0) {
      throw new StateError(`git: state needs the project directory ${options.dir} inside a git repository with a remote "${options.remote}" (${gitMessage(found)})`);
    }
    const ref = await runGit(options.dir, ['check-ref-format', `refs/heads/${options.branch}`]);
    if (ref.code !== 0 || options.branch.startsWith('-')) throw new InputError(`git:${options.branch}: not a valid branch name`);
    return new GitRepo(options.dir, found.stdout.trim(), options.remote);
  }

  /** The branch's commit on the remote, or undefined when the branch does not exist there. */
  fetchBranch(branch: string): Promise<string | undefined> {
    return this.fetchRef({ ref: `refs/heads/${branch}`, tracking: `refs/remotes/${this.remote}/${branch}`, what: `the state branch ${branch}` });
  }

  /**
   * Fetches one ref of the remote into `tracking`; its commit, or undefined when the remote has
   * no such ref. `transient`: the tracking ref is removed once read (its objects stay for a
   * while), so runs in one clone never race on updating it.
   */
  async fetchRef(options: { ref: string; tracking: string; what: string; transient?: boolean }): Promise<string | undefined> {
    const { ref, tracking } = options;
    const fetched = await this.git(['fetch', '--no-tags', '--quiet', this.remote, `+${ref}:${tracking}`]);
    if (fetched.code !== 0) {
      if (!/couldn't find remote ref/i.test(fetched.stderr)) {
        throw new StateError(`cannot fetch ${options.what} from ${this.remote}: ${gitMessage(fetched)}`);
      }
      await this.git(['update-ref', '-d', tracking]);
      return undefined;
    }
    const sha = (await this.checked(['rev-parse', '--verify', `${tracking}^{commit}`], `read the fetched ${options.what}`)).trim();
    if (options.transient) await this.git(['update-ref', '-d', tracking]);
    return sha;
  }

  /** The text of `path` in the commit's top-level tree, or undefined when it has none. */
  async readFile(commit: string, path: string): Promise<string | undefined> {
    const entry = (await this.tree(commit)).find((item) => item.name === path && item.type === 'blob');
    return entry ? this.checked(['cat-file', 'blob', entry.sha], 'read the state file') : undefined;
  }

  /** A commit whose tree is `parent`'s with `path` set to `text` (a root commit without a parent). */
  async commitFile(options: { parent?: string; path: string; text: string; message: string; identity?: Identity }): Promise<string> {
    const blob = (await this.checked(['hash-object', '-w', '--stdin'], 'store the state file', options.text)).trim();
    const kept = options.parent ? (await this.tree(options.parent)).filter((entry) => entry.name !== options.path) : [];
    const entries = [...kept, { mode: '100644', type: 'blob', sha: blob, name: options.path }];
    const listing = entries.map((entry) => `${entry.mode} ${entry.type} ${entry.sha}\t${entry.name}\0`).join('');
    const tree = (await this.checked(['mktree', '-z'], 'build the state commit', listing)).trim();
    const { name, email } = options.identity ?? STATE_COMMITTER;
    const identity = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
    const parents = options.parent ? ['-p', options.parent] : [];
    return (await this.checked(['commit-tree', tree, ...parents, '-m', options.message], 'build the state commit', undefined, identity)).trim();
  }

  /**
   * Compare-and-swap: the remote takes the commit only while the branch is still at
   * `expected` (absent when undefined). `moved` when it is not; a StateError for anything else.
   */
  push(options: { commit: string; branch: string; expected?: string }): Promise<'pushed' | 'moved'> {
    return this.pushRef({ ...options, ref: `refs/heads/${options.branch}`, what: `the state branch ${options.branch}` });
  }

  /** Compare-and-swap on any ref: sets it to `commit`, or deletes it when `commit` is undefined. */
  async pushRef(options: { commit?: string; ref: string; expected?: string; what: string }): Promise<'pushed' | 'moved'> {
    const { ref } = options;
    // --no-verify: a developer's pre-push hook (tests, linters) has nothing to say about the state.
    const pushed = await this.git(['push', '--porcelain', '--no-verify', `--force-with-lease=${ref}:${options.expected ?? ''}`, this.remote, `${options.commit ?? ''}:${ref}`]);
    if (pushed.code === 0) return 'pushed';
    const refused = pushed.stdout.split('\n').find((line) => line.startsWith('!'));
    if (refused && (refused.includes('[rejected]') || MOVED_REASONS.test(refused))) return 'moved';
    throw new StateError(`cannot push ${options.what} to ${this.remote}: ${refused?.split('\t').pop()?.trim() ?? gitMessage(pushed)}`);
  }

  private async tree(commit: string): Promise<TreeEntry[]> {
    const listing = await this.checked(['ls-tree', '-z', commit], 'read the state branch');
    return listing
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta = '', name = ''] = line.split('\t');
        const [mode = '', type = '', sha = ''] = meta.split(' ');
        return { mode, type, sha, name };
      });
  }

  private git(args: readonly string[], input?: string, env?: Record<string, string>): Promise<GitResult> {
    return runGit(this.dir, args, input, env);
  }

  private async checked(args: readonly string[], what: string, input?: string, env?: Record<string, string>): Promise<string> {
    const result = await this.git(args, input, env);
    if (result.code !== 0) throw new StateError(`git could not ${what}: ${gitMessage(result)}`);
    return result.stdout;
  }
}

export function runGit(dir: string, args: readonly string[], input?: string, env: Record<string, string> = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], {
      // English messages to classify; never a credential prompt that would hang a CI job.
      env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new StateError(`cannot run git for the git: state backend: ${error.message}`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // A git that exits before reading its input must not crash the run with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** git's own last words, with any credentials in a URL hidden. */
function gitMessage(result: GitResult): string {
  const text = (result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`).split('\n').slice(-3).join(' ');
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}
