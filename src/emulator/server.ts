/**
 * The node:http adapter: reads a request, applies faults, checks the API key, routes it to a
 * handler of one project's state and writes the reply. Nothing here knows the API's rules.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FaultGate } from './faults.js';
import { apiError, sessionError } from './http.js';
import type { Reply } from './http.js';
import { settleRuns } from './job-model.js';
import { applyEnd } from './results.js';
import { findRoute } from './routes/index.js';
import type { RouteConfig } from './routes/context.js';
import type { EmulatorStore } from './store.js';
import type { RequestEvent, RequestLogEntry } from './types.js';

export const BASE_PATH = '/api/v1/workspace';
export const MAX_BODY_BYTES = 1_048_576;

export interface ServerDeps {
  store: EmulatorStore;
  faults: FaultGate;
  config: RouteConfig;
  apiKey: string | undefined;
  now: () => number;
  record: (entry: RequestLogEntry, event: RequestEvent) => void;
}

interface ProjectPath {
  workspaceId: string;
  project: string;
  rest: string[];
}

interface Incoming {
  method: string;
  request: IncomingMessage;
  url: URL;
  body: ReadBody;
  target: ProjectPath | undefined;
}

interface ReadBody {
  /** Parsed JSON; undefined for an empty body. */
  json?: unknown;
  invalid?: true;
  tooLarge?: true;
}

export class EmulatorServer {
  readonly server: Server;
  private closed = false;
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Ends keep-alive sockets and pending latency waits so the process can exit. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.sleepers]) wake();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const method = request.method ?? 'GET';
    const url = requestUrl(request);
    const underBase = url.pathname.startsWith(BASE_PATH);
    const path = underBase ? url.pathname.slice(BASE_PATH.length) : url.pathname;
    const body = await readBody(request);
    const target = underBase ? projectPath(path) : undefined;
    const decision = this.deps.faults.decide(`${method} ${target ? `/${target.rest.join('/')}` : path}`);
    if (decision.latencyMs > 0) await this.sleep(decision.latencyMs);
    if (this.closed) {
      response.destroy();
      return;
    }
    const record = (status: number): void => {
      const entry: RequestLogEntry = { method, path: path + url.search, status, at: this.deps.now() };
      if (body.json !== undefined) entry.body = body.json;
      this.deps.record(entry, { method, path, status, durationMs: performance.now() - startedAt });
    };
    if (decision.drop) {
      request.socket.destroy();
      record(0);
      return;
    }
    const reply = decision.reply ?? this.answer({ method, request, url, body, target });
    write(response, reply);
    record(reply.status);
  }

  private answer(incoming: Incoming): Reply {
    const { method, request, url, body, target } = incoming;
    // Job endpoints' typed errors allow only the `user` category, 401 included.
    const jobPath = target?.rest[0] === 'jobs';
    if (!this.authorized(request.headers['x-api-key'])) {
      return apiError(401, 'unauthorized', 'Unauthorized', jobPath ? { category: 'user' } : {});
    }
    const match = target && findRoute(method, target.rest, this.deps.config.legacy);
    if (!target || !match) return apiError(404, 'not-found', `No route for ${method} ${url.pathname}`);
    if (body.tooLarge) return apiError(413, 'payload-too-large', `The request body is over ${MAX_BODY_BYTES} bytes`);
    if (body.invalid) {
      const message = 'The request body is not valid JSON';
      return jobPath ? apiError(400, 'bad-request', message) : sessionError(400, message);
    }
    const now = this.deps.now();
    const project = this.deps.store.project(target.workspaceId, target.project);
    project.book.settle(now, (operation) => applyEnd(project, operation));
    settleRuns(project.jobs.values(), now);
    try {
      return match.handler({
        project,
        params: match.params,
        body: body.json,
        query: url.searchParams,
        now,
        config: this.deps.config,
      });
    } catch {
      return apiError(500, 'internal-server-error', 'Internal server error');
    }
  }

  private authorized(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string' || header === '') return false;
    const expected = this.deps.apiKey;
    if (expected === undefined) return true;
    return timingSafeEqual(digest(header), digest(expected));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

/** `/{workspaceId}/projects/{project}/rest...`, decoded; undefined for any other path. */
function projectPath(path: string): ProjectPath | undefined {
  const parts = path.split('/');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const [empty, workspaceId, projects, project, ...rest] = parts;
  if (empty !== '' || !workspaceId || projects !== 'projects' || !project) return undefined;
  try {
    return {
      workspaceId: decodeURIComponent(workspaceId),
      project: decodeURIComponent(project),
      rest: rest.map((part) => decodeURIComponent(part)),
    };
  } catch {
    return undefined;
  }
}

/** Prefixing the origin keeps a path like `//x` a path (a bare `new URL` would read a host). */
function requestUrl(request: IncomingMessage): URL {
  const raw = request.url ?? '/';
  return new URL(raw.startsWith('/') ? `http://emulator.invalid${raw}` : 'http://emulator.invalid/');
}

async function readBody(request: IncomingMessage): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) return { tooLarge: true };
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return { invalid: true };
  }
}

function write(response: ServerResponse, reply: Reply): void {
  if (response.destroyed) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload = '';
  if (reply.text) {
    headers['content-type'] = reply.text.contentType;
    payload = reply.text.content;
  } else if (reply.body !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(reply.body);
  }
  if (reply.status !== 204) headers['content-length'] = Buffer.byteLength(payload);
  response.writeHead(reply.status, headers);
  response.end(payload);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
