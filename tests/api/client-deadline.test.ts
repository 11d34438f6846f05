import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createIntunedClient } from '../../src/api/client.js';
import { OUTCOME_UNKNOWN_CODE, TIMED_OUT_CODE } from '../../src/api/failures.js';
import { API_KEY, NOW, WORKSPACE, json, useMockClient } from './mock.js';

const setup = useMockClient();

describe('the deadline (ClientOptions.deadline)', () => {
  it('once passed, fails every call at once, sending nothing', async () => {
    const { client } = setup({ deadline: NOW - 1 });
    await expect(client.listAuthSessions()).rejects.toMatchObject({ code: TIMED_OUT_CODE, status: undefined });
    await expect(client.startUpdate('a1', { parameters: {} })).rejects.toMatchObject({ code: TIMED_OUT_CODE });
    expect(client.stats().requests).toBe(0);
  });

  it('is not slept past: a retry wait that would end after it is not taken', async () => {
    const { pool, client, path, delays } = setup({ deadline: NOW + 2_000 });
    pool.intercept({ path: path('/auth-sessions') }).reply(429, {}, { headers: { 'retry-after': '5' } });
    const error = await client.listAuthSessions().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: TIMED_OUT_CODE, message: expect.stringMatching(/^timed out: .*\(last attempt: HTTP 429\)/) });
    expect(delays).toEqual([]);
  });

  it('lets waits that end before it run as usual', async () => {
    const { pool, client, path, delays } = setup({ deadline: NOW + 2_000 });
    pool.intercept({ path: path('/auth-sessions') }).reply(503, {}, json);
    pool.intercept({ path: path('/auth-sessions') }).reply(200, [], json);
    await expect(client.listAuthSessions()).resolves.toEqual([]);
    expect(delays).toEqual([500]);
  });

  it('keeps the safe rule for a keyed create whose earlier attempt may have acted: outcome unknown', async () => {
    const { pool, client, path } = setup({ deadline: NOW + 400 });
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).reply(500, {}, json);
    await expect(client.startCreate({ id: 'a1', parameters: {} })).rejects.toMatchObject({ code: OUTCOME_UNKNOWN_CODE });
  });
});

describe('the deadline over loopback, against a server that never answers', () => {
  async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
    const server: Server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/workspace`,
      close: () => new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    };
  }

  it.each([
    ['a list', 'timed-out', (c: ReturnType<typeof createIntunedClient>) => c.listAuthSessions()],
    ['an update start (may have acted)', OUTCOME_UNKNOWN_CODE, (c: ReturnType<typeof createIntunedClient>) => c.startUpdate('a1', { parameters: {} })],
  ] as const)('cuts %s at the deadline, not at the 30 s attempt timeout', async (_name, code, call) => {
    const server = await silentServer();
    const client = createIntunedClient({ baseUrl: server.url, apiKey: API_KEY, workspaceId: WORKSPACE, project: 'p', deadline: Date.now() + 300 });
    const began = performance.now();
    try {
      await expect(call(client)).rejects.toMatchObject({ code });
      expect(performance.now() - began).toBeLessThan(2_000);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
