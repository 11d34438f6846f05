/**
 * `git:BRANCH` state: `state.json` on a branch of the repository's `origin`.
 *
 * - read: fetch the branch (absent: no state yet).
 * - write: a local checkpoint in the git directory (never the work tree), so the many writes of
 *   an apply cost a file rename each, not a push.
 * - lock: a ref beside the branch, taken and removed by pushes with a lease (git-lock.ts), so
 *   one apply at a time runs against the branch, from any number of clones.
 * - finish: one commit on top of the fetched commit, built with plumbing (no checkout), pushed
 *   with a lease so the push fails if the branch moved. Then re-read, merge (git-merge.ts) and
 *   retry, a bounded number of times with jittered backoff.
 *
 * A runner killed before `finish` loses its checkpoint (GitHub-hosted runners are discarded);
 * the branch still holds the previous state, and the next run converges from it: a session
 * created but not recorded is found remotely with a file's ID and adopted by one update, never
 * created twice. Where the checkpoint survives (a self-hosted runner, a laptop) and the branch
 * has not moved since, the next read picks it up, so even that update is saved.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { StateError } from '../errors.js';
import { parseStateDocument, serializeState } from './document.js';
import { writeAtomically } from './file.js';
import { mergeStates } from './git-merge.js';
import { GitRepo } from './git-repo.js';
import { gitLocking } from './git-lock.js';
import type { StateBackend, StateDocument } from './types.js';
import { definedOnly } from '../engine/optional.js';

export const STATE_FILE = 'state.json';
export const DEFAULT_REMOTE = 'origin';
/** Pushes tried per finish before giving up; each lost race costs a fetch and a merge. */
export const MAX_PUSH_ATTEMPTS = 6;
/** First wait after a lost race; doubles each time, jittered ×0.5–1.5 so racing runs spread out. */
export const PUSH_RETRY_BASE_MS = 200;
const CHECKPOINT_FORMAT_VERSION = 1;

export interface GitStateOptions {
  branch: string;
  /** The project directory; git finds the repository from it. */
  dir: string;
  /** `git:BRANCH`, for messages. */
  spec: string;
  /** Default `origin`. */
  remote?: string;
  /** The state commit's message (default names the workspace and project). */
  message?: string;
  /** Tests make the backoff instant or move the branch while it waits. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface RemoteState {
  /** The branch's commit; undefined when the branch does not exist. */
  sha?: string;
  /** state.json as stored, to skip a push that would change nothing. */
  text?: string;
  document?: StateDocument;
}

interface Session {
  repo: GitRepo;
  checkpoint: string;
  /** What this run started from: its changes are measured against it when merging. */
  read: RemoteState;
  /** The remote as last fetched. */
  remote: RemoteState;
}

export function gitStateBackend(options: GitStateOptions): StateBackend {
  const remoteName = options.remote ?? DEFAULT_REMOTE;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  let opened: Promise<Session> | undefined;
  let recovered: StateDocument | undefined;

  const fetchState = async (repo: GitRepo): Promise<RemoteState> => {
    const sha = await repo.fetchBranch(options.branch);
    const text = sha ? await repo.readFile(sha, STATE_FILE) : undefined;
    const where = `${STATE_FILE} on ${remoteName}/${options.branch}`;
    return { ...definedOnly({ sha }), ...(text === undefined ? {} : { text, document: parseStateDocument(text, where) }) };
  };

  let repository: Promise<GitRepo> | undefined;
  const openRepo = (): Promise<GitRepo> => (repository ??= GitRepo.open({ dir: options.dir, remote: remoteName, branch: options.branch }));

  const open = (): Promise<Session> =>
    (opened ??= (async () => {
      const repo = await openRepo();
      const checkpoint = join(repo.gitDir, 'intuned-gitops', encodeURIComponent(remoteName), `${encodeURIComponent(options.branch)}.json`);
      const read = await fetchState(repo);
      recovered = await readCheckpoint(checkpoint, read.sha);
      return { repo, checkpoint, read, remote: read };
    })());

  return {
    description: options.spec,
    locking: gitLocking({ repo: openRepo, branch: options.branch, remote: remoteName, description: options.spec }),
    async read() {
      const session = await open();
      // A copy: the run changes what it is given, and `read.document` must stay what this run
      // started from, the base that `finish` merges against.
      if (recovered) return recovered;
      return session.read.text === undefined ? undefined : parseStateDocument(session.read.text, `${STATE_FILE} on ${remoteName}/${options.branch}`);
    },
    async write(document) {
      const session = await open();
      const checkpoint = { formatVersion: CHECKPOINT_FORMAT_VERSION, base: session.read.sha ?? null, state: document };
      await writeAtomically(session.checkpoint, `${JSON.stringify(checkpoint)}\n`);
    },
    async finish(document) {
      const session = await open();
      const message = options.message ?? `intuned-gitops state: workspace ${document.workspaceId}, project ${document.project}`;
      for (let attempt = 1; ; attempt += 1) {
        const merged = mergeStates({ base: session.read.document, ours: document, theirs: session.remote.document });
        // Canonical bytes: a diff shows only real changes, and an unchanged state makes no push.
        const text = serializeState(merged);
        if (text === session.remote.text) break;
        const commit = await session.repo.commitFile({ ...definedOnly({ parent: session.remote.sha }), path: STATE_FILE, text, message });
        const expected = session.remote.sha;
        if ((await session.repo.push({ commit, branch: options.branch, ...definedOnly({ expected }) })) === 'pushed') {
          session.remote = { sha: commit, text, document: merged };
          break;
        }
        if (attempt >= MAX_PUSH_ATTEMPTS) {
          throw new StateError(
            `the state branch ${options.branch} on ${remoteName} moved during each of ${MAX_PUSH_ATTEMPTS} attempts to push the state: something else is writing it at the same time (applies hold the state's lock, so not another apply of this version). ` +
              `This run's operations are done but not recorded; the next run adopts what they created (one update each) and converges. ` +
              'Find what writes the branch and stop it.',
          );
        }
        await sleep(PUSH_RETRY_BASE_MS * 2 ** (attempt - 1) * (0.5 + random()));
        session.remote = await fetchState(session.repo);
      }
      await rm(session.checkpoint, { force: true });
    },
  };
}

/** A checkpoint left by a run killed before its push, usable only while the branch has not moved. */
async function readCheckpoint(path: string, base: string | undefined): Promise<StateDocument | undefined> {
  let raw: { formatVersion?: unknown; base?: unknown; state?: unknown };
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (raw.formatVersion !== CHECKPOINT_FORMAT_VERSION || raw.base !== (base ?? null)) return undefined;
  try {
    return parseStateDocument(JSON.stringify(raw.state), path);
  } catch {
    // Not ours to repair: the branch still holds a good state, and a run converges from it.
    return undefined;
  }
}
