/**
 * The CLI bundle (scripts/build-cli.mjs) against the sources it is built from: the bundle puts
 * every string-width behind an ASCII path (scripts/ascii-string-width.mjs) and gives the HTTP
 * client a trimmed undici (scripts/undici-request.cjs), neither of which may change what a
 * user sees. The unbundled build (build/cli/main.js) and the tests run the real ones.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/project.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Width = (text: unknown, options?: Record<string, unknown>) => number;

async function load<T>(...path: string[]): Promise<T> {
  return (await import(pathToFileURL(join(root, ...path)).href)) as T;
}

describe('the bundled CLI', () => {
  it.each([[[]], [['reconcile']], [['plan']], [['apply']], [['validate']], [['emulator']], [['schema']]])(
    'prints the help of %j as the unbundled CLI does, to the byte',
    async (command) => {
      const env = { PATH: process.env.PATH ?? '' };
      const bundled = await run(process.execPath, [CLI, ...command, '--help'], { env });
      const unbundled = await run(process.execPath, [join(root, 'build', 'cli', 'main.js'), ...command, '--help'], { env });
      expect(bundled).toEqual(unbundled);
    },
  );
});

describe('the ASCII path of string-width', () => {
  const copies = [
    { copy: 'string-width', path: ['node_modules', 'string-width'] },
    { copy: "cliui's string-width", path: ['node_modules', 'cliui', 'node_modules', 'string-width'] },
    { copy: "wrap-ansi's string-width", path: ['node_modules', 'wrap-ansi', 'node_modules', 'string-width'] },
  ];

  it.each(copies)('measures every printable ASCII text as $copy does, without loading it', async ({ path }) => {
    const { asciiFirst } = await load<{ asciiFirst(loadReal: () => Width): Width }>('scripts', 'ascii-string-width.mjs');
    const { default: real } = await load<{ default: Width }>(...path, 'index.js');
    let loaded = 0;
    const width = asciiFirst(() => {
      loaded += 1;
      return real;
    });
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, index) => String.fromCharCode(0x20 + index));
    for (const text of ['', ...printable, printable.join(''), '  --dry-run  print the plan, change nothing [boolean]']) {
      for (const options of [undefined, { ambiguousIsNarrow: false }, { countAnsiEscapeCodes: true }]) {
        expect(width(text, options)).toBe(real(text, options));
      }
    }
    expect(loaded).toBe(0);
    // Anything else is the real one's to measure: wide characters, escapes, tabs.
    for (const text of ['日本語', '\u001b[1mbold\u001b[22m', 'a\tb', 'é', '👍']) expect(width(text)).toBe(real(text));
    expect(loaded).toBe(1);
  });
});

describe('the trimmed undici of the bundle', () => {
  type Request = typeof request;
  const trimmed = createRequire(import.meta.url)(join(root, 'scripts', 'undici-request.cjs')) as { Agent: typeof Agent; request: Request };

  /** What a server saw and what the client got, for one request made with `send`. */
  async function exchange(send: Request, AgentOf: typeof Agent, path: string, options: Parameters<Request>[1]) {
    const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];
    const server = createServer((incoming, answer) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk));
      incoming.on('end', () => {
        // The port is each exchange's own.
        const { host, ...headers } = incoming.headers;
        seen.push({ method: incoming.method, url: incoming.url, headers: { ...headers, host: host?.replace(/:\d+$/, ':<port>') }, body });
        answer.writeHead(201, { 'content-type': 'application/json', 'x-echo': incoming.url ?? '' }).end(JSON.stringify({ got: body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dispatcher = new AgentOf({ connections: 1 });
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await send(`http://127.0.0.1:${port}${path}`, { ...options, dispatcher });
      const { date: _date, ...headers } = answer.headers;
      return { seen, status: answer.statusCode, headers, body: await answer.body.text() };
    } finally {
      await dispatcher.close();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it.each([
    { shown: 'a GET with a query', path: '/api/v1/ws/jobs/a%20b/runs?pageSize=10&sortBy=start_time,desc', options: { method: 'GET' as const, headers: { 'x-api-key': 'k' } } },
    { shown: 'a POST with a body', path: '/api/v1/ws/auth-sessions/create', options: { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{"id":"a1"}' } },
    { shown: 'a DELETE', path: '/api/v1/ws/auth-sessions/a1', options: { method: 'DELETE' as const } },
  ])('sends $shown and reads its answer as undici does', async ({ path, options }) => {
    expect(await exchange(trimmed.request, trimmed.Agent, path, options)).toEqual(await exchange(request, Agent, path, options));
  });

  it('refuses any other form of call rather than guess', () => {
    expect(() => trimmed.request('http://127.0.0.1:1/', {})).toThrow(TypeError);
  });
});
