/**
 * The narrow interfaces the Action's flow talks through. `core.ts` and `github.ts` implement
 * them on `@actions/*`; tests pass recording fakes or point `github.ts` at a local server.
 */

/** Where a file problem is shown in the pull request's diff. */
export interface Annotation {
  /** Relative to the repository root. */
  file: string;
  startLine: number;
  startColumn: number;
  title?: string;
}

/** The runner: log, masks, annotations, outputs, job summary, result. */
export interface ActionIO {
  /** Masks the value in everything the runner logs from now on. */
  setSecret(value: string): void;
  info(message: string): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  /** Marks the step failed (exit code 1) with a message. */
  setFailed(message: string): void;
}

export interface IssueComment {
  id: number;
  body: string;
}

/** Comments of one repository's issues and pull requests. */
export interface CommentsApi {
  /** Every comment, oldest first, page by page (the caller may stop early). */
  list(issue: number): AsyncIterable<IssueComment>;
  create(issue: number, body: string): Promise<IssueComment>;
  update(commentId: number, body: string): Promise<void>;
}

/** A pull request a commit belongs to, as GitHub's commits→pulls endpoint lists it. */
export interface CommitPull {
  number: number;
  /** Merged (`merged_at` set): the commit came to the base branch through it. */
  merged: boolean;
  mergeCommitSha?: string;
  headSha?: string;
  url?: string;
}

export interface Issue {
  number: number;
  body: string;
  url?: string;
}

/** The repository's pull requests and issues, beyond comments. */
export interface GitHubApi extends CommentsApi {
  /** `GET /repos/{owner}/{repo}/commits/{sha}/pulls`. */
  pullsOfCommit(sha: string): Promise<CommitPull[]>;
  /** Open issues (not pull requests) with the label, page by page. */
  openIssues(label: string): AsyncIterable<Issue>;
  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<Issue>;
  /** Edits the body, or closes the issue as completed. */
  updateIssue(number: number, change: { body?: string; close?: boolean }): Promise<void>;
}

export interface CommentsTarget {
  token: string;
  owner: string;
  repo: string;
  /** `GITHUB_API_URL`; default https://api.github.com. */
  apiUrl?: string;
}

/** The webhook event: `GITHUB_EVENT_NAME` and the parsed `GITHUB_EVENT_PATH` payload. */
export interface GitHubEvent {
  name: string;
  payload: Record<string, unknown>;
}
