/**
 * A local fake of the GitHub REST endpoints the Action uses, on real loopback HTTP, with
 * GitHub's pagination (`Link` headers, `per_page` up to 100) and its body limit: issue comments
 * (list, create, edit), the pull requests of a commit (`GET /repos/{o}/{r}/commits/{sha}/pulls`),
 * and issues (list by label and state, create, edit and close). It records every request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const GITHUB_BODY_LIMIT = 65_536;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: RequestBody;
}

interface RequestBody {
  body?: string;
  title?: string;
  labels?: string[];
  state?: string;
  state_reason?: string;
}

/** A pull request as the commits→pulls endpoint sees it. */
export interface FakePull {
  number: number;
  /** Commits on its head branch. */
  commits: string[];
  /** Set once merged: the merge, squash or last rebased commit on the base branch. */
  mergeCommitSha?: string;
  mergedAt?: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  stateReason?: string;
  /** A pull request: GitHub's issues list includes them. */
  pullRequest?: boolean;
}

export interface FakeGitHub {
  url: string;
  requests: FakeRequest[];
  comments(issue: number): FakeComment[];
  seed(issue: number, body: string): FakeComment;
  pulls: FakePull[];
  issues: FakeIssue[];
  /** Tokens that may read but not write (a fork's read-only GITHUB_TOKEN). */
  readOnlyTokens: Set<string>;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { owner: string; repo: string }): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const requests: FakeRequest[] = [];
  const readOnlyTokens = new Set<string>();
  const pulls: FakePull[] = [];
  const issues: FakeIssue[] = [];
  let nextId = 1000;
  let nextIssue = 500;
  const repoPath = `/repos/${options.owner}/${options.repo}`;
  const prefix = `${repoPath}/issues`;

  const seed = (issue: number, body: string): FakeComment => {
    const comment = { id: nextId++, issue, body };
    comments.push(comment);
    return comment;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const text = await readBody(request);
    const body = text ? (JSON.parse(text) as RequestBody) : undefined;
    const authorization = request.headers.authorization;
    requests.push({ method: request.method ?? '', path: url.pathname + url.search, ...(authorization ? { authorization } : {}), ...(body ? { body } : {}) });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(payload));
    };
    if (!authorization) return send(401, { message: 'Requires authentication' });
    const write = request.method === 'POST' || request.method === 'PATCH';
    if (write && readOnlyTokens.has(authorization.replace(/^(token|bearer) /i, ''))) return send(403, { message: 'Resource not accessible by integration' });
    if (write && (body?.body ?? '').length > GITHUB_BODY_LIMIT) return send(422, { message: 'Validation Failed', errors: [{ field: 'body', code: 'custom', message: 'body is too long (maximum is 65536 characters)' }] });

    const list = new RegExp(`^${prefix}/(\\d+)/comments$`).exec(url.pathname);
    const edit = new RegExp(`^${prefix}/comments/(\\d+)$`).exec(url.pathname);
    const commitPulls = new RegExp(`^${repoPath}/commits/([0-9a-f]{7,40})/pulls$`).exec(url.pathname);
    const issue = new RegExp(`^${prefix}/(\\d+)$`).exec(url.pathname);
    const paged = <T>(all: T[]) => {
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE), MAX_PER_PAGE);
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const query = new URLSearchParams(url.searchParams);
      const link = (n: number, rel: string) => {
        query.set('page', String(n));
        return `<${url.origin}${url.pathname}?${query.toString()}>; rel="${rel}"`;
      };
      const links: Record<string, string> = page < last ? { link: [link(page + 1, 'next'), link(last, 'last')].join(', ') } : {};
      return send(200, all.slice((page - 1) * perPage, page * perPage), links);
    };
    if (list && request.method === 'GET') return paged(comments.filter((comment) => comment.issue === Number(list[1])).map(toWire));
    if (commitPulls && request.method === 'GET') {
      const sha = commitPulls[1]!;
      // As GitHub documents it: for a commit on the base branch, the merged pull request that brought it.
      const found = pulls.filter((pull) => pull.mergeCommitSha === sha || pull.commits.includes(sha));
      return paged(found.map((pull) => pullWire(pull, url.origin, options)));
    }
    if (url.pathname === prefix && request.method === 'GET') {
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const state = url.searchParams.get('state') ?? 'open';
      const found = issues.filter((item) => (state === 'all' || item.state === state) && labels.every((label) => item.labels.includes(label)));
      // GitHub lists pull requests here too: an open one with the label must be skipped.
      return paged(found.map((item) => issueWire(item, options)));
    }
    if (url.pathname === prefix && request.method === 'POST') {
      if (!body?.title) return send(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] });
      const created: FakeIssue = { number: nextIssue++, title: body.title, body: body.body ?? '', labels: body.labels ?? [], state: 'open' };
      issues.push(created);
      return send(201, issueWire(created, options));
    }
    if (issue && request.method === 'PATCH') {
      const found = issues.find((item) => item.number === Number(issue[1]));
      if (!found) return send(404, { message: 'Not Found' });
      if (body?.body !== undefined) found.body = body.body;
      if (body?.title !== undefined) found.title = body.title;
      if (body?.state === 'open' || body?.state === 'closed') found.state = body.state;
      if (body?.state_reason !== undefined) found.stateReason = body.state_reason;
      return send(200, issueWire(found, options));
    }
    if (list && request.method === 'POST') return send(201, toWire(seed(Number(list[1]), body?.body ?? '')));
    if (edit && request.method === 'PATCH') {
      const comment = comments.find((item) => item.id === Number(edit[1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = body?.body ?? '';
      return send(200, toWire(comment));
    }
    return send(404, { message: 'Not Found' });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      response.writeHead(500);
      response.end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    comments: (issue) => comments.filter((comment) => comment.issue === issue),
    seed,
    pulls,
    issues,
    readOnlyTokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pullWire(pull: FakePull, origin: string, repo: { owner: string; repo: string }) {
  return {
    number: pull.number,
    state: pull.mergedAt ? 'closed' : 'open',
    html_url: `https://github.com/${repo.owner}/${repo.repo}/pull/${pull.number}`,
    url: `${origin}/repos/${repo.owner}/${repo.repo}/pulls/${pull.number}`,
    merged_at: pull.mergedAt ?? null,
    merge_commit_sha: pull.mergeCommitSha ?? null,
    head: { sha: pull.commits[pull.commits.length - 1] ?? null, ref: `pr-${pull.number}` },
    base: { ref: 'main' },
  };
}

function issueWire(issue: FakeIssue, repo: { owner: string; repo: string }) {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.stateReason ?? null,
    labels: issue.labels.map((name) => ({ name })),
    ...(issue.pullRequest ? { pull_request: { url: `https://api.github.com/repos/${repo.owner}/${repo.repo}/pulls/${issue.number}` } } : {}),
    html_url: `https://github.com/${repo.owner}/${repo.repo}/issues/${issue.number}`,
  };
}

function toWire(comment: FakeComment) {
  return { id: comment.id, body: comment.body, user: { login: 'github-actions[bot]', type: 'Bot' } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
