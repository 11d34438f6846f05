/**
 * Loopback servers for the security checks: a decoy that records whatever reaches it, a
 * redirector that sends every request on to the decoy, and a hostile API that fronts the
 * emulator but echoes the API key (and, if asked, the request body) back in its errors.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

async function serve(host: string, handle: (request: IncomingMessage, body: string) => Reply | Promise<Reply>): Promise<TestServer> {
  const seen: Seen[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      Promise.resolve(handle(request, body)).then(
        (reply) => {
          response.writeHead(reply.status, reply.headers ?? {});
          response.end(reply.body ?? '');
        },
        () => response.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers 200 `{}` to anything and keeps every request, headers included. */
export function startDecoy(host = '127.0.0.1'): Promise<TestServer> {
  return serve(host, () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '[]' }));
}

/** Redirects every request, path kept, to `target` with `status`. */
export function startRedirector(target: string, status = 307): Promise<TestServer> {
  return serve('127.0.0.1', (request) => ({ status, headers: { location: `${target}${request.url ?? '/'}` } }));
}

/**
 * Fronts the emulator at `upstream` (its origin). Requests whose `METHOD path` matches `hostile`
 * are refused with a message, a code and a header that quote the `x-api-key` they came with
 * (and the body, with `quoteBody`).
 */
export function startEchoApi(options: { upstream: string; hostile: RegExp; status?: number; quoteBody?: boolean }): Promise<TestServer> {
  return serve('127.0.0.1', async (request, body): Promise<Reply> => {
    if (options.hostile.test(`${request.method} ${request.url}`)) {
      const key = String(request.headers['x-api-key']);
      const quoted = options.quoteBody ? body : '(body not quoted)';
      const message = `rejected ${request.method} with key ${key} and body ${quoted}`;
      return { status: options.status ?? 400, headers: { 'content-type': 'application/json', 'x-echo-key': key }, body: JSON.stringify({ message, code: `bad-key-${key}`, details: { echoed: quoted } }) };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    const answer = await fetch(`${options.upstream}${request.url ?? ''}`, { method: request.method ?? 'GET', headers, ...(body ? { body } : {}) });
    const text = await answer.text();
    return { status: answer.status, headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' }, body: text };
  });
}

/**
 * What a scripted API answers for one request: a reply, or undefined to pass it on to the
 * emulator, or `pass` to pass it on and see the emulator's answer.
 */
export type Script = (request: { method: string; url: string; body: string }) => Reply | { pass: (text: string) => void } | undefined;

/** Fronts the emulator at `upstream` (its origin), answering the requests `script` takes itself. */
export function startScriptedApi(upstream: string, script: Script): Promise<TestServer> {
  return serve('127.0.0.1', async (request, body): Promise<Reply> => {
    const scripted = script({ method: request.method ?? 'GET', url: request.url ?? '', body });
    if (scripted && 'status' in scripted) return scripted;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    const answer = await fetch(`${upstream}${request.url ?? ''}`, { method: request.method ?? 'GET', headers, ...(body ? { body } : {}) });
    const text = await answer.text();
    scripted?.pass(text);
    return { status: answer.status, headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' }, body: text };
  });
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Fronts the emulator at `upstream` (its origin) and lets a test change what comes back:
 * `rewrite` sees each request (`METHOD /path-after-the-base`) and the emulator's answer, and
 * returns the answer to send (the same one to pass it through). `answer`, when it returns a
 * reply, answers without asking the emulator.
 */
export function startFront(options: {
  upstream: string;
  answer?: (target: string) => Answer | undefined;
  rewrite?: (target: string, answer: Answer) => Answer;
}): Promise<TestServer> {
  return serve('127.0.0.1', async (request, body): Promise<Reply> => {
    const target = `${request.method} ${(request.url ?? '').replace(/^\/api\/v1\/workspace\/[^/]+\/projects\/[^/]+/, '')}`;
    const own = options.answer?.(target);
    if (own) return own;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    const upstream = await fetch(`${options.upstream}${request.url ?? ''}`, { method: request.method ?? 'GET', headers, ...(body ? { body } : {}) });
    const answer = { status: upstream.status, headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }, body: await upstream.text() };
    return options.rewrite ? options.rewrite(target, answer) : answer;
  });
}
