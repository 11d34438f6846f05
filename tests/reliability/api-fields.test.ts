/**
 * Every field the client reads from the API is masked before it is stored, printed or cut.
 * A scripted API fronts the emulator and plants every value the run keeps secret (the API key,
 * the state key, `${env:}` values, literal parameter values, proxy passwords) in each field:
 * error and result codes, messages (also past the 300th character), reason types, correlation
 * IDs, 400 bodies, operation IDs and statuses. The built CLI then applies and plans in every
 * output format, and stdout, stderr and the state are scanned for each value.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Figures } from './figures.js';
import type { Project, RunOutcome } from '../helpers/project.js';
import { openProject } from './suite.js';
import { API_KEY, ENV_SECRETS, LITERAL_SECRETS, secretSession, STATE_KEY } from './secrets.js';
import { startScriptedApi, type Reply, type Script, type TestServer } from './servers.js';
import { Transcript } from './transcript.js';

const transcript = new Transcript();
const figures = new Figures('api-fields');
const BASE_PATH = '/api/v1/workspace';
/** Puts a secret past the client's 300-character cut of a message. */
const PADDING = 'x'.repeat(292);

/** Exactly the values the run knows as secret (the files below use each of them). */
const KNOWN = [API_KEY, STATE_KEY, ...Object.values(ENV_SECRETS), `${LITERAL_SECRETS.username}#0`, LITERAL_SECRETS.pin, LITERAL_SECRETS.proxyPassword];
const ALL = KNOWN.join(' ~ ');
/** Header values are ASCII; the values that are not go in bodies only. */
const ASCII = KNOWN.filter((value) => /^[\x20-\x7e]+$/.test(value)).join(' ~ ');
let project: Project | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await project?.close();
  await server?.close();
  project = undefined;
  server = undefined;
});
afterAll(async () => {
  await figures.write(transcript);
  expect(transcript.leaks).toEqual([]);
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/**
 * What one session's request is answered with, given the secret to put where the client cuts,
 * and what the runs must show of it (masked), so that no case passes by not happening.
 */
type Case = [name: string, answer: (cut: string) => Reply, shown: string];

/** Answers to the start of a create or update. */
const STARTS: Case[] = [
  ['a 400: code, long message, details, correlation ID', (cut) => json(400, { code: ALL, message: `${PADDING}${cut} and more`, details: { echoed: ALL }, correlationId: ALL }), `${PADDING.slice(0, 40)}***`],
  ['a 409: error.message, error.code, correlation ID in a header', (cut) => json(409, { error: { message: `${PADDING}${cut}`, code: ALL } }, { 'x-correlation-id': ASCII }), '"code": "[redacted] ~ ***'],
  ['an operation ID holding a secret', (cut) => json(200, { operationId: `op-${cut}`, status: 'pending' }), 'which is not used or stored'],
  ['a 200 whose body is not JSON', (cut) => ({ status: 200, body: `${cut} is not json` }), 'it starts "***'],
  ['an error page that is not JSON', (cut) => ({ status: 418, body: `<html>${cut} ${ALL}</html>` }), '<html>***'],
];

/** Answers to a poll of a create or update. */
const RESULTS: Case[] = [
  ['failed: message, error.code, category, correlation ID, doc URL', () => json(200, { status: 'failed', message: `${PADDING}${ALL}`, error: { message: ALL, code: ALL, category: ALL, correlationId: ALL, docUrl: ALL } }), '"code": "[redacted] ~ ***'],
  ['failed, older API: the code as a string', () => json(200, { status: 'failed', error: `${PADDING}${ALL}` }), `"code": "${PADDING}[redacted]`],
  ['canceled: reason.type and reason.message', () => json(200, { status: 'canceled', reason: { type: ALL, message: `${PADDING}${ALL}`, docUrl: ALL } }), `${PADDING}[redacted]`],
  ['an unknown status', () => json(200, { status: ALL }), "unknown result status '[redacted] ~"],
  ['more information asked for', () => json(200, { status: 'requested_more_info', id: 'info-1', details: { requestType: ALL, messageToUser: `${PADDING}${ALL}`, choices: [ALL] } }), `("${PADDING}[redacted]`],
];

/** A list whose types and statuses hold secrets (neither is shown today; they must stay masked if ever). */
const LISTED: Case = ['types and statuses holding secrets', () => json(200, [{ id: 'unmanaged-one', type: ALL, status: ALL }]), 'unmanaged-one'];

/** An answer to the list of sessions, the first request of a plan. */
const LIST_REFUSED: Case = ['a 400 refusing the list', (cut) => json(400, { code: ALL, message: `${PADDING}${cut}`, correlationId: ALL }), `${PADDING.slice(0, 40)}***`];

/** sec-<i> takes its proxy password from the environment for even i, from the file for odd i: that is what is cut. */
const cutFor = (index: number) => (index % 2 === 0 ? ENV_SECRETS.REL_PROXY_PASSWORD : LITERAL_SECRETS.proxyPassword);
const indexIn = (text: string) => Number(/sec-(\d+)/.exec(text)?.[1] ?? 0);

const START = /^POST .*\/auth-sessions\/(create|[^/]+\/update)$/;
const RESULT = /^GET .*\/auth-sessions\/(.+\/)?(create|update)\/([^/]+)\/result$/;
const LIST = /^GET .*\/auth-sessions$/;

/** Session sec-<i> gets case i of `starts`, or (its start passed on) case i of `results`; every list gets `list`. */
function script(cases: { starts?: Case[]; results?: Case[]; list?: Case }): Script {
  const sessionOf = new Map<string, number>();
  return ({ method, url, body }) => {
    const request = `${method} ${url}`;
    if (START.test(request)) {
      const index = indexIn(`${url} ${body}`);
      const started = cases.starts?.[index];
      if (started) return started[1](cutFor(index));
      return { pass: (text) => void sessionOf.set(String((JSON.parse(text) as { operationId?: string }).operationId), index) };
    }
    const result = RESULT.exec(request);
    const index = result ? sessionOf.get(decodeURIComponent(result[3]!)) : undefined;
    const answer = index === undefined ? undefined : cases.results?.[index];
    if (answer) return answer[1](cutFor(index!));
    if (LIST.test(request) && cases.list) return cases.list[1](cutFor(0));
    return undefined;
  };
}

async function hostileProject(sessions: number, cases: Parameters<typeof script>[0]): Promise<Project> {
  project = await openProject(transcript, figures);
  for (let index = 0; index < sessions; index += 1) await project.file(`sec-${index}.auth-session.json`, secretSession(index));
  server = await startScriptedApi(new URL(project.emulator.url).origin, script(cases));
  return project;
}

/** Every form a secret can be quoted in, and what a cut would leave of it after the padding. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const value of KNOWN) {
    for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) if (text.includes(form)) found.push(form.slice(0, 8));
    if (text.includes(`xxxxxxxx${value.slice(0, 3)}`)) found.push(`cut ${value.slice(0, 3)}`);
  }
  return found;
}

async function expectMasked(p: Project, runs: string[][], cases: Case[], env: Record<string, string> = {}): Promise<void> {
  const outcomes: RunOutcome[] = [];
  for (const args of runs) outcomes.push(await p.run(args, { INTUNED_API_URL: `${server!.url}${BASE_PATH}`, ...env }));
  const printed = outcomes.map((run) => run.stdout + run.stderr).join('\n');
  const state = JSON.stringify((await p.state()) ?? {});
  expect(leaks(printed)).toEqual([]);
  expect(leaks(state)).toEqual([]);
  for (const [name, , shown] of cases) expect(printed.includes(shown), `${name}: "${shown}" in the output`).toBe(true);
}

const APPLIES = [['apply', '--output', 'json'], ['apply', '--output', 'markdown'], ['apply']];

describe('every field the client reads is masked before it is stored, printed or cut', () => {
  it(`answers to starts: ${[...STARTS, LISTED].map(([name]) => name).join('; ')}`, async () => {
    const p = await hostileProject(STARTS.length, { starts: STARTS, list: LISTED });
    await expectMasked(p, APPLIES, [...STARTS, LISTED]);
  });

  it(`answers to polls: ${RESULTS.map(([name]) => name).join('; ')}`, async () => {
    const p = await hostileProject(RESULTS.length, { results: RESULTS });
    await expectMasked(p, APPLIES, RESULTS);
  });

  it('answers to the list: a 400 with code, long message and correlation ID', async () => {
    const p = await hostileProject(2, { list: LIST_REFUSED });
    await expectMasked(p, [['plan', '--output', 'json'], ['plan'], ['apply', '--output', 'markdown']], [LIST_REFUSED]);
  });

  it('an API key given with a trailing newline is masked as it is sent, trimmed', async () => {
    const echoKey: Case = ['the key quoted in a failed result', () => json(200, { status: 'failed', message: `login refused for ${API_KEY}` }), 'login refused for '];
    const p = await hostileProject(1, { results: [echoKey] });
    await expectMasked(p, [['apply', '--output', 'json'], ['apply']], [echoKey], { INTUNED_API_KEY: `${API_KEY}\n` });
  });
});
