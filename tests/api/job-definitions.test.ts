/** The job list's definitions: in a job file's shape, whatever shape the list gave. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { json, useMockClient } from './mock.js';

const setup = useMockClient();

/** A list item as the SDK's schema describes it, list-only fields included. */
const listItem = {
  id: 'nightly-scrape',
  workspace_id: 'ws-1',
  project_id: 'p-1',
  created_at: '2025-01-01T00:00:00Z',
  state: 'PAUSED',
  next_run_time: null,
  last_run_time: '2025-01-02T00:00:00Z',
  schedule_id: 'temporal-1',
  reason: { type: 'paused', message: 'Paused by a user', timestamp: '2025-01-02T00:00:00Z' },
  payload: [{ apiName: 'list', parameters: { page: 1 }, requestTimeout: 600, retry: { maximumAttempts: 3 } }],
  configuration: { retry: { maximumAttempts: 3 }, requestTimeout: 600 },
  schedule: { intervals: [{ every: '1h' }], jitter: '5m' },
  sink: { type: 's3', bucket: 'b', region: 'eu-west-1', accessKeyId: 'AKIA1', secretAccessKey: 's3-secret', skipOnFail: false, futureKey: 1 },
  proxy: { version: 'v1', url: 'http://user:pw@proxy.example:8080' },
  auth_session: { id: 'shop-login', checkAttempts: 3, createAttempts: 3 },
  origin: 'API',
};

async function listed(items: unknown[]) {
  const { pool, client, path } = setup();
  pool.intercept({ path: path('/jobs'), method: 'GET' }).reply(200, items, json);
  return client.listJobs();
}

describe('job definitions from the list', () => {
  it('hold the job file\'s fields only, nested values as sent, and the proxy object as its URL', async () => {
    const [job] = await listed([listItem]);
    expect(job).toEqual({
      id: 'nightly-scrape',
      state: 'PAUSED',
      auth_session: { id: 'shop-login', checkAttempts: 3, createAttempts: 3 },
      stateReason: { type: 'paused', message: 'Paused by a user' },
      definition: {
        payload: listItem.payload,
        configuration: listItem.configuration,
        schedule: listItem.schedule,
        sink: listItem.sink,
        proxy: 'http://user:pw@proxy.example:8080',
        auth_session: listItem.auth_session,
      },
    });
  });

  it.each([
    ['a string (as get-one gives it)', 'http://p.example:1', 'http://p.example:1'],
    ['null', null, null],
    ['an object without a URL', { version: 'v1', url: null }, null],
  ])('take a proxy given as %s', async (_name, proxy, expected) => {
    const [job] = await listed([{ id: 'j', payload: [], configuration: {}, proxy }]);
    expect(job?.definition).toEqual({ payload: [], configuration: {}, proxy: expected });
  });

  it('keep null as null and leave out what the answer left out', async () => {
    const [job] = await listed([{ id: 'j', configuration: {}, schedule: null, sink: null, auth_session: null }]);
    expect(job?.definition).toEqual({ configuration: {}, schedule: null, sink: null, auth_session: null });
    expect(job?.definition).not.toHaveProperty('payload');
    expect(job?.definition).not.toHaveProperty('proxy');
  });

  it('read the session under its camelCase name when the snake_case one is absent', async () => {
    const [job] = await listed([{ id: 'j', authSession: { id: 'a3', checkAttempts: 1 } }]);
    expect(job).toMatchObject({ auth_session: { id: 'a3' }, definition: { auth_session: { id: 'a3', checkAttempts: 1 } } });
  });

  it('keep a `__proto__` key as data', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs'), method: 'GET' }).reply(200, '[{"id":"j","configuration":{"__proto__":{"polluted":true}}}]', json);
    const [job] = await client.listJobs();
    expect(Object.keys(job!.definition!.configuration!)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('drop a reason that does not fit rather than fail the list', async () => {
    const [job] = await listed([{ id: 'j', reason: { message: 'no type' } }]);
    expect(job).not.toHaveProperty('stateReason');
  });

  it('that do not fit fail the list by path, never quoting a value', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: path('/jobs'), method: 'GET' }).reply(200, [{ id: 'j', payload: 'not-a-list', sink: 'Bearer hidden-9f2' }], json);
    const error = await client.listJobs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/\[0\]\.payload: .*expected array.*\[0\]\.sink: expected an object/);
    expect((error as ApiError).message).not.toContain('hidden-9f2');
  });
});
