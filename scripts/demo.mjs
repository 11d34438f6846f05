#!/usr/bin/env node
/**
 * The demo: the real CLI, as a user runs it, against the embedded Intuned API emulator.
 * validate examples/ → plan → apply (with progress) → plan again (no changes).
 * Nothing leaves this machine; the state goes to a temporary directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../build/emulator/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const cli = join(root, 'bin', 'intuned-gitops.js');
const stateDir = mkdtempSync(join(tmpdir(), 'intuned-gitops-demo-'));
// Bold only on a terminal: a log or a pipe gets plain text.
const bold = process.stdout.isTTY && !process.env.NO_COLOR ? (text) => `\u001b[1m${text}\u001b[0m` : (text) => text;

/** Demo values for every `${env:NAME}` the example files use (real ones come from CI secrets). */
function demoSecrets() {
  const names = new Set();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(auth-session|job)\.jsonc?$/.test(name)) {
        for (const match of readFileSync(path, 'utf8').matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(match[1]);
      }
    }
  };
  walk(join(examples, 'intuned-resources'));
  return Object.fromEntries([...names].map((name) => [name, `demo-${name.toLowerCase()}-value`]));
}

const emulator = await startEmulator({ apiKey: 'demo-api-key', operationDurationMs: 1500 });
emulator.seedSession({ id: 'made-in-dashboard', type: 'CREDENTIALS', status: 'READY' });

const env = {
  ...process.env,
  ...demoSecrets(),
  INTUNED_API_URL: emulator.url,
  INTUNED_API_KEY: 'demo-api-key',
  INTUNED_WORKSPACE_ID: '3f1c9a52-7d4e-4b8a-9c61-0e2f5a7b8d90',
  INTUNED_PROJECT: 'examples',
  INTUNED_GITOPS_STATE: `file:${join(stateDir, 'state.json')}`,
};

/** Runs the CLI as a separate process; asynchronously, since the emulator answers from this one. */
async function step(title, args) {
  process.stdout.write(`\n${bold(`$ intuned-gitops ${args.join(' ')}`)}   # ${title}\n`);
  const child = spawn(process.execPath, [cli, ...args, '--dir', examples], { env, stdio: 'inherit' });
  const code = await new Promise((resolve) => child.on('close', resolve));
  process.stdout.write(`(exit code ${code})\n`);
  return code;
}

let failed = false;
try {
  failed ||= (await step('check the files offline', ['validate'])) !== 0;
  failed ||= (await step('what a merge would do', ['reconcile', '--dry-run', '--detailed-exitcode'])) !== 2;
  failed ||= (await step('apply it, waiting for every login', ['reconcile'])) !== 0;
  failed ||= (await step('nothing left to do', ['reconcile', '--dry-run', '--detailed-exitcode'])) !== 0;
  const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
  const jobs = Object.keys(state.jobs ?? {}).length;
  process.stdout.write(`\nThe state recorded ${Object.keys(state.sessions).length} sessions and ${jobs} jobs (fingerprints only, no secrets) in a temporary folder, now removed.\n`);
  process.stdout.write(`Emulator served ${emulator.requests.length} requests.\n`);
} finally {
  await emulator.close();
  rmSync(stateDir, { recursive: true, force: true });
}
if (failed) {
  process.stdout.write('\nThe demo did not go as expected: see the output above.\n');
  process.exitCode = 1;
}
