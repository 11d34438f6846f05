/**
 * The client's one masking step: every field it reads from a response (error bodies, headers,
 * results, started operations) passes through its `mask` before anything cuts or keeps it.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { RunSecrets } from '../../src/secrets.js';
import { json, useMockClient } from './mock.js';

const SECRET = 'proxy-pw-Tq83Lm';
const setup = useMockClient();
/** Masks `acme` and `done` too: a secret may be a session's name or one of the API's status words. */
const mask = (text: string) => text.split(SECRET).join('***').replace(/acme|done/g, '***');

function rendered(value: unknown): string {
  return `${JSON.stringify(value)}\n${inspect(value, { depth: 10, showHidden: true })}`;
}

describe('the client masks every field it reads', () => {
  it('in an error body: a message cut after a secret that straddles the cut, the code, the correlation ID', async () => {
    const { pool, client, path } = setup({ mask });
    const message = `${'x'.repeat(292)}${SECRET} and more`;
    pool.intercept({ path: path('/auth-sessions') }).reply(400, { message, code: `code-${SECRET}`, correlationId: `corr-${SECRET}` }, json);
    pool.intercept({ path: path('/jobs') }).reply(409, { error: { message: 'm' } }, { headers: { ...json.headers, 'x-correlation-id': `h-${SECRET}` } });
    const errors = [await client.listAuthSessions().catch((e: unknown) => e), await client.listJobs().catch((e: unknown) => e)] as ApiError[];
    expect(errors[0]).toMatchObject({ code: 'code-***', correlationId: 'corr-***' });
    expect(errors[0]!.message.startsWith(`${'x'.repeat(292)}**`)).toBe(true);
    expect(errors[1]!.correlationId).toBe('h-***');
    expect(rendered(errors)).not.toContain(SECRET.slice(0, 4));
  });

  it('in a result and a list: messages, codes, reason types, correlation IDs, the prompt of a one-time code, statuses', async () => {
    const { pool, client, path } = setup({ mask });
    const result = (operationId: string) => path(`/auth-sessions/create/${operationId}/result`);
    pool.intercept({ path: result('a') }).reply(200, { status: 'failed', message: SECRET, error: { code: SECRET, message: SECRET, category: SECRET, correlationId: SECRET, docUrl: SECRET } }, json);
    pool.intercept({ path: result('b') }).reply(200, { status: 'canceled', reason: { type: SECRET, message: SECRET } }, json);
    pool.intercept({ path: result('c') }).reply(200, { status: 'requested_more_info', id: 'info-1', details: { requestType: SECRET, messageToUser: SECRET, choices: [SECRET] } }, json);
    pool.intercept({ path: result('d') }).reply(200, { status: `weird-${SECRET}` }, json);
    pool.intercept({ path: result('e') }).reply(200, { status: 'done', authSessionId: 'acme' }, json);
    pool.intercept({ path: path('/auth-sessions') }).reply(200, [{ id: 'acme', type: 'CREDENTIALS', status: `READY ${SECRET}` }], json);
    const results = await Promise.all(['a', 'b', 'c'].map((id) => client.getCreateResult(id)));
    // Names and the API's status words are left alone: masking them would break a plan or a poll.
    expect(await client.getCreateResult('e')).toEqual({ status: 'done', authSessionId: 'acme' });
    expect(await client.listAuthSessions()).toEqual([{ id: 'acme', type: 'CREDENTIALS', status: 'READY ***' }]);
    const unknown = await client.getCreateResult('d').catch((e: unknown) => e);
    expect(results.map((r) => r.status)).toEqual(['failed', 'canceled', 'requested_more_info']);
    expect(results[2]).toMatchObject({ infoRequestId: 'info-1', messageToUser: '***' });
    expect((unknown as ApiError).message).toContain("unknown result status 'weird-***'");
    expect(rendered([results, unknown])).not.toContain(SECRET);
  });

  it('except job definitions, which reach the engine as Intuned holds them; errors about jobs stay masked', async () => {
    const { pool, client, path } = setup({ mask });
    const sink = { type: 'webhook', url: 'https://hooks.example/x', headers: { Authorization: SECRET } };
    const listed = { id: 'j', state: 'PAUSED', reason: { type: 'paused', message: `by ${SECRET}` }, payload: [{ apiName: 'done', parameters: { q: 'acme' } }], configuration: {}, sink, proxy: { version: 'v1', url: `http://u:${SECRET}@h:1` } };
    pool.intercept({ path: path('/jobs'), method: 'GET' }).reply(200, [listed], json);
    pool.intercept({ path: path('/jobs'), method: 'POST' }).reply(400, { code: 'bad-request', message: `bad header ${SECRET}`, retirable: false, correlationId: 'c' }, json);
    const [job] = await client.listJobs();
    expect(job?.definition).toEqual({ payload: listed.payload, configuration: {}, sink, proxy: `http://u:${SECRET}@h:1` });
    expect(job?.stateReason).toEqual({ type: 'paused', message: 'by ***' });
    const error = (await client.createJob({ id: 'j', payload: [], configuration: {}, sink }).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('bad header ***');
    expect(rendered(error)).not.toContain(SECRET);
  });

  it('neither keeps nor polls an operation ID that holds a secret: its outcome is unknown', async () => {
    const { pool, client, path } = setup({ mask });
    pool.intercept({ path: path('/auth-sessions/create'), method: 'POST' }).reply(200, { operationId: `op-${SECRET}` }, json);
    const error = (await client.startCreate({ id: 'new-one', parameters: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('outcome-unknown');
    expect(rendered(error)).not.toContain(SECRET);
  });
});

describe('RunSecrets', () => {
  it('masks the API key trimmed, as it is sent, when it was given with a trailing newline', () => {
    const secrets = new RunSecrets({ apiKey: 'key-with-newline-8c2f\n', stateKey: 'state-key-71dd' });
    expect(secrets.maskApiText('sent key-with-newline-8c2f and state-key-71dd')).toBe('sent *** and ***');
    expect(secrets.outputSecrets()).toContain('key-with-newline-8c2f');
  });

  it('learns the files\' values: short ones and literal parameter values for API text only', () => {
    const secrets = new RunSecrets({ apiKey: 'api-key-0d9e7c55' });
    secrets.learn({
      sessions: [{ id: 's', file: 'f', spec: { parameters: { user: 'literal-user', pin: 'abc' }, proxy: 'http://u:proxy-pass-55@h:1' }, secrets: ['abc'] }],
      secrets: ['abc'],
    });
    expect(secrets.maskApiText('literal-user abc proxy-pass-55')).toBe('*** *** ***');
    expect(secrets.outputSecrets()).toContain('proxy-pass-55');
    expect(secrets.outputSecrets()).not.toContain('literal-user');
  });
});
