/**
 * A local fake of the three GitHub REST endpoints the Action uses (list, create and edit issue
 * comments), on real loopback HTTP, with GitHub's pagination (`Link` headers, `per_page` up to
 * 100) and its body limit. It records every request.
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
  body?: { body?: string };
}

export interface FakeGitHub {
  url: string;
  requests: FakeRequest[];
  comments(issue: number): FakeComment[];
  seed(issue: number, body: string): FakeComment;
  /** Tokens that may read but not write (a fork's read-only GITHUB_TOKEN). */
  readOnlyTokens: Set<string>;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { owner: string; repo: string }): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const requests: FakeRequest[] = [];
  const readOnlyTokens = new Set<string>();
  let nextId = 1000;
  const prefix = `/repos/${options.owner}/${options.repo}/issues`;

  const seed = (issue: number, body: string): FakeComment => {
    const comment = { id: nextId++, issue, body };
    comments.push(comment);
    return comment;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const text = await readBody(request);
    const body = text ? (JSON.parse(text) as { body?: string }) : undefined;
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
    if (list && request.method === 'GET') {
      const issue = Number(list[1]);
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE), MAX_PER_PAGE);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = comments.filter((comment) => comment.issue === issue);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (n: number, rel: string) => `<${url.origin}${url.pathname}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
      const links: Record<string, string> = page < last ? { link: [link(page + 1, 'next'), link(last, 'last')].join(', ') } : {};
      return send(200, all.slice((page - 1) * perPage, page * perPage).map(toWire), links);
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
    readOnlyTokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
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
