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
import { Project, type RunOutcome } from './project.js';
import { API_KEY, ENV_SECRETS, LITERAL_SECRETS, secretSession, STATE_KEY } from './secrets.js';
import { startScriptedApi, type Script, type TestServer } from './servers.js';
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
/** sec-0 takes its proxy password from the environment, sec-1 has it written in the file. */
const SESSIONS = 2;
const CUT = [ENV_SECRETS.REL_PROXY_PASSWORD, LITERAL_SECRETS.proxyPassword];

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

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** The secret that session `sec-<i>`'s answers carry where the client cuts: its proxy password. */
function secretFor(body: string): string {
  return CUT[Number(/"id":"sec-(\d+)"/.exec(body)?.[1] ?? 0) % CUT.length]!;
}

const START = /^POST .*\/auth-sessions\/(create|[^/]+\/update)$/;
const RESULT = /^GET .*\/auth-sessions\/(.+\/)?(create|update)\/[^/]+\/result$/;
const LIST = /^GET .*\/auth-sessions$/;

function on(pattern: RegExp, answer: (body: string) => NonNullable<ReturnType<Script>>): Script {
  return ({ method, url, body }) => (pattern.test(`${method} ${url}`) ? answer(body) : undefined);
}

/** Each script, and a piece of what the runs must show, so that a scenario cannot pass by not happening. */
const SCRIPTS: Record<string, [Script, string]> = {
  'a 400 refusing a start: code, long message, details, correlation ID': [
    on(START, (body) => json(400, { code: ALL, message: `${PADDING}${secretFor(body)} and more`, details: { echoed: ALL }, correlationId: ALL })),
    `${PADDING.slice(0, 40)}***`,
  ],
  'a 409 with the secret in error.message and error.code, correlation ID in a header': [
    on(START, (body) => json(409, { error: { message: `${PADDING}${secretFor(body)}`, code: ALL } }, { 'x-correlation-id': ASCII })),
    '"code": "[redacted] ~ ***',
  ],
  'a start answered with an operation ID holding a secret': [
    on(START, (body) => json(200, { operationId: `op-${secretFor(body)}`, status: 'pending' })),
    'operationId: holds a value this run keeps secret',
  ],
  'a start answered 200 with a body that is not JSON': [on(START, (body) => ({ status: 200, body: `${secretFor(body)} is not json` })), 'it starts "***'],
  'an error page that is not JSON': [on(START, (body) => ({ status: 418, body: `<html>${secretFor(body)} ${ALL}</html>` })), '<html>***'],
  'a failed result: message, error.code, category, correlation ID, doc URL': [
    on(RESULT, () => json(200, { status: 'failed', message: `${PADDING}${ALL}`, error: { message: ALL, code: ALL, category: ALL, correlationId: ALL, docUrl: ALL } })),
    '"code": "[redacted] ~ ***',
  ],
  'a failed result of the older API: the error code as a string': [on(RESULT, () => json(200, { status: 'failed', error: `${PADDING}${ALL}` })), `${PADDING}[redacted]`],
  'a canceled result: reason.type and reason.message': [
    on(RESULT, () => json(200, { status: 'canceled', reason: { type: ALL, message: `${PADDING}${ALL}`, docUrl: ALL } })),
    '"code": "[redacted] ~ ***',
  ],
  'a result with an unknown status': [on(RESULT, () => json(200, { status: ALL })), "unknown result status '[redacted] ~"],
  'a result asking for more information': [
    on(RESULT, () => json(200, { status: 'requested_more_info', id: 'info-1', details: { requestType: ALL, messageToUser: `${PADDING}${ALL}`, choices: [ALL] } })),
    `${PADDING}[redacted]`,
  ],
  'a 400 refusing the list': [on(LIST, () => json(400, { code: ALL, message: `${PADDING}${ENV_SECRETS.REL_PASSWORD}`, correlationId: ALL })), `${PADDING.slice(0, 40)}***`],
  'a list whose types and statuses hold secrets': [on(LIST, () => json(200, [{ id: 'unmanaged-one', type: ALL, status: ALL }])), 'unmanaged-one'],
};

async function hostileProject(script: Script): Promise<Project> {
  project = await Project.create({ transcript, figures });
  for (let index = 0; index < SESSIONS; index += 1) await project.file(`sec-${index}.auth-session.json`, secretSession(index));
  server = await startScriptedApi(new URL(project.emulator.url).origin, script);
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

describe('every field the client reads is masked before it is stored, printed or cut', () => {
  it.each(Object.keys(SCRIPTS))('%s', async (name) => {
    const [script, shown] = SCRIPTS[name]!;
    const p = await hostileProject(script);
    const env = { INTUNED_API_URL: `${server!.url}${BASE_PATH}`};
    const runs: RunOutcome[] = [];
    for (const args of [['apply', '--output', 'json'], ['apply', '--output', 'markdown'], ['apply']]) {
      runs.push(await p.cli(args, env));
    }
    const state = JSON.stringify((await p.state()) ?? {});
    const printed = runs.map((run) => run.stdout + run.stderr).join('\n');
    // The planted fields did reach what was printed, masked.
    if (!printed.includes(shown)) console.log(`@@@ ${name}\n${printed.replace(/x{40,}/g, "[pad]").slice(0, 2500)}`);
    expect(printed).toContain(shown);
    expect(leaks(printed)).toEqual([]);
    expect(leaks(state)).toEqual([]);
  });
});
