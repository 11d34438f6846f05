/**
 * `--timeout` is a deadline for the whole run, with the built CLI as a process: against a
 * server that answers very slowly (never, or one byte at a time), the run ends within a few
 * seconds of the timeout with exit 1 and a message that says it timed out. When the deadline
 * comes while operations are being polled, they stay recorded `started` and the next run picks
 * them up without starting them again.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { expectConverged } from './invariants.js';
import type { Project } from '../helpers/project.js';
import { reliabilitySuite } from './suite.js';
import { collect } from '../helpers/project.js';
import { each, expectedSessions, IDS, writeSessions } from './sessions.js';

const { figures, createProject } = reliabilitySuite('deadline');
/** How late after `--timeout` a run may end and still count as prompt. */
const GRACE_MS = 4_000;
/** A run still going this long after its timeout is killed (the test then fails on the time). */
const KILL_AFTER_MS = 20_000;

type Slowness = 'silent' | 'trickle';

/** A loopback API that takes every request and answers very slowly, or never. */
async function startSlowServer(slowness: Slowness): Promise<{ url: string; close(): Promise<void> }> {
  const open = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((request, response) => {
    open.add(response);
    request.resume();
    if (slowness === 'trickle') {
      // Headers at once, then a valid JSON array one byte a second: each read is quick, the whole is not.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
      const timer = setInterval(() => response.write(' '), 1_000);
      timers.add(timer);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v1/workspace`,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const response of open) response.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** The CLI as a process, timed, killed if it runs far past its timeout. */
async function timedRun(p: Project, args: string[], env: Record<string, string> = {}) {
  const began = performance.now();
  const child = p.spawn(args, env);
  const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  const result = await collect(child).finally(() => clearTimeout(killer));
  p.record(`cli ${args.join(' ')}`, result);
  return { ...result, elapsedMs: performance.now() - began };
}

describe('a server that answers very slowly', () => {
  it.each(['silent', 'trickle'] as const)('%s: `plan` and `apply --timeout 4s` end within a few seconds, exit 1, saying they timed out', async (slowness) => {
    const slow = await startSlowServer(slowness);
    servers.push(slow);
    const p = await createProject();
    await writeSessions(p);
    for (const command of ['plan', 'apply']) {
      const run = await timedRun(p, [command, '--timeout', '4s'], { INTUNED_API_URL: slow.url });
      figures.add('deadlineRuns');
      figures.add('deadlineOvershootMs', Math.max(0, Math.round(run.elapsedMs - 4_000)));
      expect({ signal: run.signal, code: run.code }).toEqual({ signal: null, code: 1 });
      expect(run.elapsedMs).toBeLessThan(4_000 + GRACE_MS);
      expect(run.stderr).toMatch(/timed out/);
      expect(run.stderr.trim().split('\n').filter((line) => line.startsWith('error:'))).toHaveLength(1);
    }
    expect(await p.state()).toBeUndefined();
  }, 60_000);
});

describe('the deadline comes while operations are polled', () => {
  it('ends promptly, keeps them `started`, and the next run resumes them without a second create', async () => {
    // Creates are answered at once; every result poll takes 30 s (past any --timeout here).
    const p = await createProject({ faults: { latencyMs: 30_000, match: /^GET \/auth-sessions\/create\/[^/]+\/result$/ } });
    await writeSessions(p);
    const run = await timedRun(p, ['apply', '--timeout', '3s']);
    figures.add('deadlineRuns');
    figures.add('deadlineOvershootMs', Math.max(0, Math.round(run.elapsedMs - 3_000)));
    expect(run.code).toBe(1);
    expect(run.elapsedMs).toBeLessThan(3_000 + GRACE_MS);
    for (const id of IDS) expect(run.stdout).toMatch(new RegExp(`create ${id} timed out after 3s waiting for create`));
    const state = await p.state();
    for (const id of IDS) expect(state?.sessions[id]?.operation).toMatchObject({ kind: 'create', status: 'started' });

    p.emulator.setFaults(undefined);
    const next = await timedRun(p, ['apply']);
    expect(next.code).toBe(0);
    expect(p.starts('create')).toEqual(each(1));
    await expectConverged(p, { sessions: expectedSessions(), cli: true });
  }, 60_000);
});
