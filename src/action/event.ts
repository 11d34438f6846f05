/** What the Action needs from the GitHub event: the mode it implies and the pull request. */
import type { CommentsTarget, GitHubEvent } from './types.js';
import { definedOnly } from '../engine/optional.js';

export type ActionMode = 'plan' | 'apply' | 'drift';

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
const DRIFT_EVENTS = new Set(['schedule', 'workflow_dispatch']);

export interface PullRequest {
  number: number;
  /** `owner/name` of the repository the changes come from; undefined when that fork was deleted. */
  headRepo: string | undefined;
  baseRepo: string | undefined;
  headSha: string | undefined;
  /** From another repository: it gets no secrets, and its code must never see them. */
  fork: boolean;
}

/** `plan` on pull requests, `apply` on pushes, `drift` on schedules and manual runs; other events must say. */
export function modeOfEvent(eventName: string): ActionMode | undefined {
  if (PULL_REQUEST_EVENTS.has(eventName)) return 'plan';
  if (eventName === 'push') return 'apply';
  if (DRIFT_EVENTS.has(eventName)) return 'drift';
  return undefined;
}

export function pullRequestOf(event: GitHubEvent): PullRequest | undefined {
  if (!PULL_REQUEST_EVENTS.has(event.name)) return undefined;
  const pr = record(event.payload.pull_request);
  const number = pr?.number;
  if (typeof number !== 'number') return undefined;
  const head = record(pr?.head);
  const headRepo = fullName(head?.repo);
  const baseRepo = fullName(record(pr?.base)?.repo);
  const headSha = typeof head?.sha === 'string' ? head.sha : undefined;
  return { number, headRepo, baseRepo, headSha, fork: headRepo === undefined || headRepo !== baseRepo };
}

/** `owner/name` from GITHUB_REPOSITORY, else from the payload. */
export function repositoryOf(env: Readonly<Record<string, string | undefined>>, event: GitHubEvent): { owner: string; repo: string } | undefined {
  const name = env.GITHUB_REPOSITORY || fullName(event.payload.repository);
  const [owner, repo, ...rest] = (name ?? '').split('/');
  return owner && repo && rest.length === 0 ? { owner, repo } : undefined;
}

/** What the GitHub client is made with: the token and the repository, on `GITHUB_API_URL` (GitHub Enterprise) when set. */
export function commentsTarget(env: Readonly<Record<string, string | undefined>>, repository: { owner: string; repo: string }, token: string): CommentsTarget {
  return { token, ...repository, ...definedOnly({ apiUrl: env.GITHUB_API_URL || undefined }) };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function fullName(repo: unknown): string | undefined {
  const name = record(repo)?.full_name;
  return typeof name === 'string' ? name : undefined;
}
