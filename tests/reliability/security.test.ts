/**
 * Security checks with the built CLI: the API key goes only to the configured API URL (not to
 * a file's proxy, not along a redirect, never over http:// off loopback), hostile API answers
 * that quote the key do not get it printed or stored, and a proxy's password shows nowhere.
 * Every byte produced here, as in every reliability file, is scanned for the planted secrets.
 */
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createIntunedClient } from '../../src/api/client.js';
import { Figures } from './figures.js';
import { expectConverged, expand } from './invariants.js';
import type { Project } from '../helpers/project.js';
import { openProject } from './suite.js';
import { API_KEY, baseEnv, ENV_SECRETS, LITERAL_SECRETS, PROJECT, secretSession, WORKSPACE } from './secrets.js';
import { startDecoy, startEchoApi, startRedirector, type TestServer } from './servers.js';
import { Transcript } from './transcript.js';

const transcript = new Transcript();
const figures = new Figures('security');
const BASE_PATH = '/api/v1/workspace';

let project: Project | undefined;
const servers: TestServer[] = [];
afterEach(async () => {
  await project?.close();
  project = undefined;
  for (const server of servers.splice(0)) await server.close();
});
afterAll(async () => {
  await figures.write(transcript);
  expect(transcript.leaks).toEqual([]);
});

async function started<T extends TestServer>(server: Promise<T>): Promise<T> {
  const ready = await server;
  servers.push(ready);
  return ready;
}

async function withSessions(count = 2): Promise<Project> {
  project = await openProject(transcript, figures);
  for (let index = 0; index < count; index += 1) await project.file(`sec-${index}.auth-session.json`, secretSession(index));
  return project;
}

/** A non-loopback address of this machine, if it has one: reachable, yet off loopback. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((address) => address?.family === 'IPv4' && !address.internal)?.address;
}

describe('the API key goes only to the configured API URL', () => {
  it('a file whose proxy points at a decoy: the decoy hears nothing, the API gets the proxy as written', async () => {
    const decoy = await started(startDecoy());
    const p = await withSessions(0);
    const proxy = `http://proxy-user:\${env:REL_PROXY_PASSWORD}@127.0.0.1:${decoy.port}`;
    await p.file('decoyed.auth-session.json', { parameters: { password: '${env:REL_PASSWORD}' }, proxy });
    expect((await p.run(['apply'])).code).toBe(0);
    expect(decoy.seen).toEqual([]);
    expect(p.emulator.sessions()[0]?.proxy).toBe(`http://proxy-user:${ENV_SECRETS.REL_PROXY_PASSWORD}@127.0.0.1:${decoy.port}`);
    await expectConverged(p, { sessions: { decoyed: { password: ENV_SECRETS.REL_PASSWORD } }, cli: true });
  });

  it('does not follow a redirect (the built CLI): exit 1, the target hears nothing', async () => {
    const decoy = await started(startDecoy());
    const redirector = await started(startRedirector(decoy.url, 307));
    const p = await withSessions();
    const plan = await p.run(['plan'], { INTUNED_API_URL: `${redirector.url}${BASE_PATH}` });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(new RegExp(`GET /${WORKSPACE}/projects/${PROJECT}/auth-sessions → HTTP 307`));
    expect(redirector.seen.length).toBeGreaterThan(0);
    expect(decoy.seen).toEqual([]);
  });

  it.each([301, 302, 303, 308])('does not follow a %i redirect either', async (status) => {
    const decoy = await started(startDecoy());
    const redirector = await started(startRedirector(decoy.url, status));
    const p = await withSessions();
    const plan = await p.reconcile({ dryRun: true, client: { baseUrl: `${redirector.url}${BASE_PATH}` } });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`→ HTTP ${status}`);
    expect(decoy.seen).toEqual([]);
  });

  it('refuses http:// off loopback before any request, with a clear message', async () => {
    const decoy = await started(startDecoy('0.0.0.0'));
    const p = await withSessions();
    const external = externalAddress();
    const urls = ['http://example.invalid', `http://0.0.0.0:${decoy.port}`, ...(external ? [`http://${external}:${decoy.port}`] : [])];
    for (const url of urls) {
      const plan = await p.run(['plan'], { INTUNED_API_URL: `${url}${BASE_PATH}` });
      expect(plan.code).toBe(1);
      expect(plan.stderr).toContain('uses http://, which would send the API key in clear; use https://');
    }
    expect(decoy.seen).toEqual([]);
  });

  it('refuses an API URL with credentials in it without repeating them', async () => {
    const p = await withSessions();
    const plan = await p.run(['plan'], { INTUNED_API_URL: `https://user:${ENV_SECRETS.REL_PASSWORD}@app.intuned.io${BASE_PATH}` });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('must not contain a user name or password');
    expect(p.emulator.requestCount()).toBe(0);
  });
});

describe('hostile API answers', () => {
  it('an API that quotes the key in its errors: the key is printed nowhere, stored nowhere, kept in no error', async () => {
    const p = await withSessions();
    const upstream = new URL(p.emulator.url).origin;
    const refusesList = await started(startEchoApi({ upstream, hostile: /^GET .*\/auth-sessions$/, status: 401 }));
    const plan = await p.run(['plan', '--output', 'json'], { INTUNED_API_URL: `${refusesList.url}${BASE_PATH}` });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('[redacted]');
    expect(plan.stderr).toContain('(check INTUNED_API_KEY)');

    const refusesCreate = await started(startEchoApi({ upstream, hostile: /^POST .*\/auth-sessions\/create$/ }));
    const apply = await p.run(['apply', '--output', 'json'], { INTUNED_API_URL: `${refusesCreate.url}${BASE_PATH}` });
    expect(apply.code).toBe(1);
    expect(JSON.parse(apply.stdout).changes.map((change: { status: string }) => change.status)).toEqual(['failed', 'failed']);
    expect(JSON.stringify(await p.state())).toContain('[redacted]');

    const client = createIntunedClient({ baseUrl: `${refusesCreate.url}${BASE_PATH}`, apiKey: API_KEY, workspaceId: WORKSPACE, project: PROJECT });
    const failures = await Promise.allSettled([client.startCreate({ id: 'sec-0', parameters: { user: 'u' } }), client.getAuthSession('sec-0')]);
    await client.close();
    expect(failures[0]?.status).toBe('rejected');
    transcript.addError('client against an echoing API', (failures[0] as PromiseRejectedResult).reason);
    for (const server of [refusesList, refusesCreate]) expect(server.seen.every((request) => request.headers['x-api-key'] === API_KEY)).toBe(true);
  });

  it('an API that quotes the parameters in its errors: no ${env:} value reaches the state', async () => {
    const p = await withSessions();
    const echo = await started(startEchoApi({ upstream: new URL(p.emulator.url).origin, hostile: /^POST .*\/auth-sessions\/create$/, quoteBody: true }));
    expect((await p.run(['apply'], { INTUNED_API_URL: `${echo.url}${BASE_PATH}` })).code).toBe(1);
    const state = JSON.stringify(await p.state());
    for (const secret of [...Object.values(ENV_SECRETS), LITERAL_SECRETS.proxyPassword]) expect(state).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it('an API that quotes the parameters in its errors: no ${env:} value is printed, escaped or not', async () => {
    const p = await withSessions();
    const echo = await started(startEchoApi({ upstream: new URL(p.emulator.url).origin, hostile: /^POST .*\/auth-sessions\/create$/, quoteBody: true }));
    const apply = await p.run(['apply'], { INTUNED_API_URL: `${echo.url}${BASE_PATH}` });
    expect(apply.code).toBe(1);
    for (const secret of [...Object.values(ENV_SECRETS), LITERAL_SECRETS.proxyPassword]) {
      expect(apply.stdout + apply.stderr).not.toContain(secret);
      expect(apply.stdout + apply.stderr).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
  });
});

describe("a proxy's password", () => {
  it('shows in no plan or apply output, in any format, when the proxy changes', async () => {
    const p = await withSessions();
    expect((await p.run(['apply'])).code).toBe(0);
    const rotated = { REL_PROXY_PASSWORD: `${ENV_SECRETS.REL_PROXY_PASSWORD}-rotated` };
    await p.file('sec-1.auth-session.json', { ...secretSession(1), proxy: `http://proxy-user:${LITERAL_SECRETS.proxyPassword}-2@proxy.test:3128` });
    const outputs = [
      await p.reconcile({ dryRun: true, env: rotated }),
      await p.reconcile({ dryRun: true, env: rotated, flags: { output: 'markdown' } }),
      await p.reconcile({ dryRun: true, env: rotated, flags: { output: 'json' } }),
      await p.run(['apply', '--output', 'markdown', '--timings'], rotated),
      await p.run(['plan', '--output', 'json'], rotated),
    ];
    const changes = JSON.parse(outputs[2]!.stdout).changes as { id: string; reason: string }[];
    expect(changes.map((change) => `${change.id}: ${change.reason}`)).toEqual(['sec-0: proxy changed', 'sec-1: proxy changed']);
    for (const output of outputs) expect(output.stdout + output.stderr).not.toMatch(/proxy-pw|proxy-user:/);
    expect(JSON.parse(outputs[4]!.stdout).changes.map((change: { action: string }) => change.action)).toEqual(['noop', 'noop']);
    const env = { ...baseEnv(''), ...rotated };
    expect(p.emulator.sessions().find((session) => session.id === 'sec-0')?.proxy).toBe(expand({ proxy: secretSession(0).proxy }, env).proxy);
  });

  it('shows in no problem about an invalid proxy', async () => {
    const p = await withSessions(0);
    const proxies = {
      scheme: `ftp://proxy-user:${LITERAL_SECRETS.proxyPassword}@proxy.test:21`,
      nohost: 'http://proxy-user:${env:REL_PROXY_PASSWORD}@',
      garbage: `${LITERAL_SECRETS.proxyPassword}`,
    };
    for (const [name, proxy] of Object.entries(proxies)) await p.file(`bad-${name}.auth-session.json`, { parameters: {}, proxy });
    const text = await p.run(['validate']);
    const json = await p.run(['validate', '--output', 'json']);
    expect(text.code).toBe(1);
    expect(text.stdout.match(/"proxy" (is not a valid URL|must start with http:\/\/)/g)).toHaveLength(3);
    expect(JSON.parse(json.stdout).problems).toHaveLength(3);
  });
});
