import { mkdtemp, readdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError, StateError } from '../../src/errors.js';
import { gitStateBackend, MAX_PUSH_ATTEMPTS, PUSH_RETRY_BASE_MS, type GitStateOptions } from '../../src/state/git.js';
import type { SessionState, StateDocument } from '../../src/state/types.js';
import { git, Origin, STATE_BRANCH, type Workspace } from './harness.js';

let root: string | undefined;

/** Commits to each pushed branch from inside the push, so the push finds the branch moved. */
const RIVAL_HOOK = `#!/bin/sh
unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
export GIT_AUTHOR_NAME=rival GIT_AUTHOR_EMAIL=rival@example.test GIT_COMMITTER_NAME=rival GIT_COMMITTER_EMAIL=rival@example.test
while read old new ref; do
  current=$(git rev-parse -q --verify "$ref")
  git update-ref "$ref" "$(git commit-tree "$(git mktree </dev/null)" \${current:+-p "$current"} -m rival)"
done
`;

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function setup(): Promise<Origin> {
  root = await mkdtemp(join(tmpdir(), 'intuned-gitops-git-state-'));
  return Origin.create(root);
}

function backend(workspace: Workspace, options: Partial<GitStateOptions> = {}) {
  return gitStateBackend({ branch: STATE_BRANCH, dir: workspace.dir, spec: `git:${STATE_BRANCH}`, sleep: async () => {}, ...options });
}

const applied = (id: string): SessionState => ({ file: `${id}.auth-session.json`, applied: { session: `hmac-sha256:${id}`, parameters: {}, settings: {} }, appliedAt: '2025-01-01T00:00:00.000Z' });

function doc(sessions: Record<string, SessionState>): StateDocument {
  return { formatVersion: 1, workspaceId: 'ws', project: 'p', keyId: 'k1', sessions };
}

async function stateOn(origin: Origin): Promise<StateDocument> {
  return JSON.parse((await origin.state())!) as StateDocument;
}

describe('git: state backend', () => {
  it('reads no state from an absent branch, checkpoints in the git directory, and pushes an orphan branch at finish', async () => {
    const origin = await setup();
    const workspace = await origin.clone();
    const state = backend(workspace);
    expect(await state.read()).toBeUndefined();

    await state.write(doc({ acme: applied('acme') }));
    expect(await readdir(join(workspace.dir, '.git', 'intuned-gitops', 'origin'))).toEqual([`${STATE_BRANCH}.json`]);
    expect(await git(workspace.dir, 'status', '--porcelain')).toBe('');
    expect(await origin.state()).toBeUndefined();

    await state.finish!(doc({ acme: applied('acme') }));
    expect(await stateOn(origin)).toEqual(doc({ acme: applied('acme') }));
    expect(await origin.commits()).toHaveLength(1);
    expect(await readdir(join(workspace.dir, '.git', 'intuned-gitops', 'origin'))).toEqual([]);
  });

  it('commits on top of the branch, keeping its other files, and skips a push that changes nothing', async () => {
    const origin = await setup();
    const workspace = await origin.clone();
    await backend(workspace).read();
    await backend(workspace).finish!(doc({ acme: applied('acme') }));
    const other = await origin.clone();
    await git(other.dir, 'fetch', '--quiet', 'origin', STATE_BRANCH);
    await git(other.dir, 'checkout', '--quiet', '-b', 'edit', 'FETCH_HEAD');
    await writeFile(join(other.dir, 'README.md'), 'state of intuned-gitops\n');
    await git(other.dir, 'add', 'README.md');
    await git(other.dir, 'commit', '--quiet', '-m', 'explain the branch');
    await git(other.dir, 'push', '--quiet', 'origin', `HEAD:${STATE_BRANCH}`);

    const state = backend(workspace);
    expect(await state.read()).toEqual(doc({ acme: applied('acme') }));
    await state.finish!(doc({ acme: applied('acme') }));
    expect(await origin.commits()).toHaveLength(2);
    await state.finish!(doc({ acme: applied('acme'), beta: applied('beta') }));
    expect(await origin.commits()).toHaveLength(3);
    expect((await git(origin.path, 'ls-tree', '--name-only', STATE_BRANCH)).split('\n')).toEqual(['README.md', 'state.json']);
  });

  it('merges after a lost race: each run keeps what it changed, deletions included', async () => {
    const origin = await setup();
    const seed = await origin.clone();
    await backend(seed).finish!(doc({ kept: applied('kept'), mine: applied('mine'), gone: applied('gone') }));
    const [first, second] = [backend(await origin.clone()), backend(await origin.clone())];
    const base = (await first.read())!;
    expect(await second.read()).toEqual(base);

    await first.finish!({ ...base, sessions: { ...base.sessions, mine: { ...applied('mine'), appliedAt: '2025-02-02T00:00:00.000Z' }, acme: applied('acme') } });
    const { gone: _gone, ...withoutGone } = base.sessions;
    await second.finish!({ ...base, sessions: { ...withoutGone, beta: applied('beta') } });

    const final = await stateOn(origin);
    expect(Object.keys(final.sessions)).toEqual(['acme', 'beta', 'kept', 'mine']);
    expect(final.sessions.mine!.appliedAt).toBe('2025-02-02T00:00:00.000Z');
    expect(await origin.commits()).toHaveLength(3);
  });

  it('gives up with a StateError after MAX_PUSH_ATTEMPTS races lost in a row', async () => {
    const origin = await setup();
    // A rival that wins every race: it moves the branch while each push is being received.
    const hook = join(origin.path, 'hooks', 'pre-receive');
    await writeFile(hook, RIVAL_HOOK);
    await chmod(hook, 0o755);
    const waits: number[] = [];
    const state = backend(await origin.clone(), { sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
    await state.read();

    const failure = state.finish!(doc({ acme: applied('acme') }));
    await expect(failure).rejects.toThrow(StateError);
    await expect(failure).rejects.toThrow(`moved during each of ${MAX_PUSH_ATTEMPTS} attempts`);
    expect(waits).toEqual(Array.from({ length: MAX_PUSH_ATTEMPTS - 1 }, (_, index) => PUSH_RETRY_BASE_MS * 2 ** index));
    expect(await origin.commits()).toHaveLength(MAX_PUSH_ATTEMPTS);
    expect(await origin.state()).toBeUndefined();
  });

  it('fails at once, naming the reason, when the remote refuses the push for another reason', async () => {
    const origin = await setup();
    const hook = join(origin.path, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "protected branch" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    const waits: number[] = [];
    const state = backend(await origin.clone(), { sleep: async (ms) => void waits.push(ms) });
    await state.read();
    await expect(state.finish!(doc({ acme: applied('acme') }))).rejects.toThrow(/cannot push the state branch intuned-gitops-state to origin: \[remote rejected\] \(pre-receive hook declined\)/);
    expect(waits).toEqual([]);
  });

  it('picks up the checkpoint of a killed run while the branch has not moved, and only then', async () => {
    const origin = await setup();
    const workspace = await origin.clone();
    const killed = backend(workspace);
    await killed.read();
    await killed.write(doc({ acme: applied('acme') }));

    const next = backend(workspace);
    expect(await next.read()).toEqual(doc({ acme: applied('acme') }));
    await next.finish!((await next.read())!);
    expect(await stateOn(origin)).toEqual(doc({ acme: applied('acme') }));

    const killedAgain = backend(workspace);
    await killedAgain.read();
    await killedAgain.write(doc({ acme: applied('acme'), stale: applied('stale') }));
    await backend(await origin.clone()).finish!(doc({ acme: applied('acme'), other: applied('other') }));
    expect(await backend(workspace).read()).toEqual(doc({ acme: applied('acme'), other: applied('other') }));
  });

  it('says what is wrong outside a git repository or with a bad branch name', async () => {
    const origin = await setup();
    const outside = await mkdtemp(join(root!, 'plain-'));
    await expect(gitStateBackend({ branch: 'b', dir: outside, spec: 'git:b' }).read()).rejects.toThrow(/git: state needs the project directory .* inside a git repository/);
    const workspace = await origin.clone();
    await expect(gitStateBackend({ branch: 'bad..name', dir: workspace.dir, spec: 'git:bad..name' }).read()).rejects.toThrow(InputError);
  });
});
