import { describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../src/emulator/index.js';
import { bufferOutput } from '../../src/front-end/io.js';

async function waitForUrl(output: { stdout: string }): Promise<string> {
  for (let poll = 0; poll < 200; poll += 1) {
    const match = /listening on (\S+)/.exec(output.stdout);
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the emulator never printed its URL');
}

describe('emulatorCommand', () => {
  it('prints one URL line, logs requests without bodies or headers, and stops on abort', async () => {
    const output = bufferOutput();
    const controller = new AbortController();
    const running = emulatorCommand({ port: 0, output, env: { INTUNED_API_KEY: 'cli-key' }, signal: controller.signal, operationDurationMs: 20 });
    const url = await waitForUrl(output);
    expect(output.stdout).toBe(`Intuned API emulator listening on ${url}\n`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/workspace$/);
    expect(output.stderr).toContain(`INTUNED_API_URL=${url}`);

    const created = await fetch(`${url}/ws/projects/p/auth-sessions/create`, {
      method: 'POST',
      headers: { 'x-api-key': 'cli-key', 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'abc', parameters: { password: 'hunter2-secret' } }),
    });
    expect(created.status).toBe(201);
    const refused = await fetch(`${url}/ws/projects/p/auth-sessions?page=1`, { headers: { 'x-api-key': 'wrong' } });
    expect(refused.status).toBe(401);

    controller.abort();
    await running;
    expect(output.stderr).toMatch(/^POST \/ws\/projects\/p\/auth-sessions\/create 201 \d+ms$/m);
    expect(output.stderr).toMatch(/^GET \/ws\/projects\/p\/auth-sessions 401 \d+ms$/m);
    expect(output.stderr).not.toContain('hunter2-secret');
    expect(output.stderr).not.toContain('cli-key');
    expect(output.stderr).toContain('Intuned API emulator stopped');
    await expect(fetch(url)).rejects.toThrow();
  });

  it('stops on SIGTERM and SIGINT and removes its signal handlers', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const before = process.listenerCount(signal);
      const output = bufferOutput();
      const running = emulatorCommand({ port: 0, output, env: {} });
      await waitForUrl(output);
      expect(process.listenerCount(signal)).toBe(before + 1);
      process.emit(signal, signal);
      await running;
      expect(process.listenerCount(signal)).toBe(before);
      expect(output.stderr).toContain('INTUNED_API_KEY=<any non-empty key>');
    }
  });

  it('starts from a seed file of sessions and jobs, and refuses a bad one with the reason', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'emulator-seed-'));
    const good = join(dir, 'seed.json');
    await writeFile(good, JSON.stringify({ sessions: [{ id: 'made-in-dashboard' }], jobs: [{ id: 'nightly', authSessionId: 'made-in-dashboard', runs: [{ id: 'r1', status: 'PENDING' }] }] }));
    const output = bufferOutput();
    const controller = new AbortController();
    const running = emulatorCommand({ port: 0, output, env: {}, signal: controller.signal, seedFile: good });
    const url = await waitForUrl(output);
    const deleted = await fetch(`${url}/ws/projects/p/auth-sessions/made-in-dashboard`, { method: 'DELETE', headers: { 'x-api-key': 'k' } });
    expect(deleted.status).toBe(409);
    controller.abort();
    await running;

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ jobs: [{ id: 1 }] }));
    await expect(emulatorCommand({ port: 0, output: bufferOutput(), env: {}, seedFile: bad })).rejects.toThrow(/--seed .*bad\.json: .*jobs\[0\]\.id/s);
  });

  it('seeds jobs with a definition, and refuses a definition a create would refuse, naming its path', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'emulator-seed-'));
    const good = join(dir, 'seed.json');
    const definition = { payload: [{ apiName: 'export', parameters: {} }], configuration: {}, schedule: { intervals: [{ every: '1h' }] } };
    await writeFile(good, JSON.stringify({ jobs: [{ id: 'nightly', state: 'PAUSED', definition }] }));
    const output = bufferOutput();
    const controller = new AbortController();
    const running = emulatorCommand({ port: 0, output, env: {}, signal: controller.signal, seedFile: good });
    const url = await waitForUrl(output);
    const listed = await fetch(`${url}/ws/projects/p/jobs`, { headers: { 'x-api-key': 'k' } });
    expect(await listed.json()).toMatchObject([{ id: 'nightly', state: 'PAUSED', schedule: definition.schedule, auth_session: null }]);
    controller.abort();
    await running;

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ jobs: [{ id: 'nightly', definition: { ...definition, sink: { type: 'ftp' } } }] }));
    await expect(emulatorCommand({ port: 0, output: bufferOutput(), env: {}, seedFile: bad })).rejects.toThrow(/--seed .*bad\.json: emulator: seedJob nightly: sink\.type: /s);
  });

  it('logs dropped requests as dropped', async () => {
    const { accessLine } = await import('../../src/emulator/command.js');
    expect(accessLine({ method: 'GET', path: '/w/projects/p/jobs', status: 0, durationMs: 1.6 })).toBe('GET /w/projects/p/jobs dropped 2ms\n');
  });
});
