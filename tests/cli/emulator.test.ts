import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CLI, collect } from '../helpers/project.js';

function emulator(args: string[]) {
  return collect(spawn(process.execPath, [CLI, 'emulator', ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('intuned-gitops emulator refuses bad switches in one line', () => {
  it.each([
    [['--port', '99999'], '--port must be a whole number from 0 to 65535 (got 99999)'],
    [['--port', 'abc'], '--port must be a whole number from 0 to 65535'],
    [['--error-rate', '5'], '--error-rate must be a number from 0 to 1 (got 5)'],
    [['--latency', '-1'], '--latency must be a number of at least 0 (got -1)'],
    [['--max-concurrent-operations', '0'], '--max-concurrent-operations must be a whole number of at least 1 (got 0)'],
  ])('%j', async (args, message) => {
    const result = await emulator([...args, '--port' === args[0] ? '--host=127.0.0.1' : '--port=0']);
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: `error: ${message}\n` });
  });

  it('says a busy port is busy, without a stack', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await emulator(['--port', String(port)]);
      expect(result).toMatchObject({ code: 1, stdout: '', stderr: `error: port 127.0.0.1:${port} is already in use: stop what listens there, or pick another --port (0: any free port)\n` });
    } finally {
      server.close();
    }
  });
});
