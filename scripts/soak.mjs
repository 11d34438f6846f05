#!/usr/bin/env node
/**
 * A longer soak than `npm test` can afford: the built CLI against the built emulator for
 * `--minutes`, with random faults switched on, files changing between runs and SIGKILLs at
 * random points; every few runs the faults clear and everything must converge (remote sessions
 * exactly the declared ones with exactly their values, the state owning exactly them, nothing
 * created twice, an all-noop plan). Prints its figures; exits 1 on the first broken promise.
 *
 *   npm run build && node scripts/soak.mjs --minutes 10 --sessions 40 --seed 7
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'intuned-gitops.js');
const { startEmulator, seededRandom } = await import(join(ROOT, 'build', 'emulator', 'index.js'));

const { values: args } = parseArgs({ options: { minutes: { type: 'string', default: '5' }, sessions: { type: 'string', default: '40' }, seed: { type: 'string', default: '1' } } });
const DEADLINE = Date.now() + Number(args.minutes) * 60_000;
const SESSIONS = Number(args.sessions);
/** Runs between two convergence checks. */
const RUNS_PER_ROUND = 6;
const API_KEY = 'soak-api-key-4f7c1e9b';
const PROJECT = 'soak';
const WORKSPACE = '7d1c0b4e-3a2f-4e6d-9c8b-1a0f2e3d4c5b';
const UNMANAGED = 'made-in-dashboard';

const random = seededRandom(Number(args.seed));
const pick = (items) => items[Math.floor(random() * items.length)];

const figures = { runs: 0, kills: 0, faultsInjected: 0, rounds: 0, changes: 0, requests: 0 };
const emulator = await startEmulator({
  apiKey: API_KEY,
  operationDurationMs: 100,
  random,
  onRequest: (event) => {
    figures.requests += 1;
    if ([0, 429, 500, 502, 503].includes(event.status)) figures.faultsInjected += 1;
  },
});
emulator.seedSession({ id: UNMANAGED });
const dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-soak-'));
const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', INTUNED_API_URL: emulator.url, INTUNED_API_KEY: API_KEY, INTUNED_WORKSPACE_ID: WORKSPACE, INTUNED_PROJECT: PROJECT, SOAK_PASSWORD: 'soak-secret-0' };
const desired = new Map();
let nextId = 0;

function file(id) {
  return join(dir, 'intuned-resources', 'auth-sessions', `${id}.auth-session.json`);
}
async function write(id, parameters) {
  desired.set(id, parameters);
  await mkdir(dirname(file(id)), { recursive: true });
  await writeFile(file(id), JSON.stringify({ parameters: { ...parameters, password: '${env:SOAK_PASSWORD}' } }));
}
async function change() {
  figures.changes += 1;
  const ids = [...desired.keys()];
  const kind = pick(['add', 'edit', 'remove', 'rotate']);
  if (kind === 'add' || ids.length < 3) return write(`soak-${nextId++}`, { user: `user-${nextId}` });
  if (kind === 'edit') return write(pick(ids), { user: `edited-${Math.floor(random() * 1e6)}` });
  if (kind === 'rotate') return void (env.SOAK_PASSWORD = `soak-secret-${Math.floor(random() * 1e6)}`);
  const id = pick(ids);
  desired.delete(id);
  await rm(file(id));
}

function run(argv, { killAfterMs } = {}) {
  figures.runs += 1;
  const child = spawn(process.execPath, [CLI, ...argv, '--dir', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(timer);
    if (signal === 'SIGKILL') figures.kills += 1;
    resolve({ code, signal, output });
  }));
}

function fail(message, detail = '') {
  console.error(`soak FAILED: ${message}\n${detail}`);
  console.error(JSON.stringify(figures));
  process.exit(1);
}

async function checkConverged() {
  const text = await readFile(join(dir, '.intuned-gitops', 'state.json'), 'utf8');
  const state = JSON.parse(text);
  const remote = emulator.sessions();
  const declared = [...desired.keys()].sort();
  const remoteIds = remote.map((session) => session.id).filter((id) => id !== UNMANAGED).sort();
  if (!isDeepStrictEqual(remoteIds, declared)) fail('remote sessions differ from the declared ones', JSON.stringify({ remoteIds, declared }));
  if (!remote.some((session) => session.id === UNMANAGED)) fail('the unmanaged session was touched');
  if (!isDeepStrictEqual(Object.keys(state.sessions).sort(), declared)) fail('the state does not own exactly the declared sessions');
  for (const session of remote.filter((candidate) => candidate.id !== UNMANAGED)) {
    const expected = { ...desired.get(session.id), password: env.SOAK_PASSWORD };
    if (session.status !== 'READY' || !isDeepStrictEqual(session.parameters, expected)) fail(`session ${session.id} does not hold its file's values`);
  }
  const creates = new Map();
  for (const operation of emulator.operations()) if (operation.kind === 'create') creates.set(operation.authSessionId, (creates.get(operation.authSessionId) ?? 0) + 1);
  const twice = [...creates].filter(([, count]) => count > 1);
  if (twice.length > 0) fail('sessions created twice', JSON.stringify(twice));
  const plan = await run(['plan', '--detailed-exitcode']);
  if (plan.code !== 0) fail(`the plan after convergence exits ${plan.code}`, plan.output);
}

for (let index = 0; index < SESSIONS; index += 1) await write(`soak-${nextId++}`, { user: `user-${nextId}` });
while (Date.now() < DEADLINE) {
  for (let step = 0; step < RUNS_PER_ROUND; step += 1) {
    await change();
    emulator.setFaults({ serverErrorRate: random() * 0.2, rateLimitRate: random() * 0.1, retryAfterSeconds: 1, dropRate: random() * 0.05, latencyMs: Math.floor(random() * 30) });
    await run(['apply', '--force', '--timeout', '20s'], random() < 0.6 ? { killAfterMs: 300 + Math.floor(random() * 2_500) } : {});
    try {
      JSON.parse(await readFile(join(dir, '.intuned-gitops', 'state.json'), 'utf8'));
    } catch (error) {
      if (error.code !== 'ENOENT') fail('the state does not parse after a run', String(error));
    }
  }
  emulator.setFaults(undefined);
  const settle = await run(['apply', '--force']);
  if (settle.code !== 0) fail(`a run without faults exits ${settle.code}`, settle.output);
  await checkConverged();
  figures.rounds += 1;
  console.log(`round ${figures.rounds}: ${desired.size} sessions, ${JSON.stringify(figures)}`);
}
await emulator.close();
await rm(dir, { recursive: true, force: true });
console.log(`soak passed: ${JSON.stringify(figures)}`);
