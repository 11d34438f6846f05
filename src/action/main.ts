/**
 * The GitHub Action's entry, bundled to dist/index.js (scripts/build-action.mjs): process values
 * in, `runAction` out. The rest of the Action is beside it in src/action/.
 */
import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { coreIO } from './core.js';
import { githubApi } from './github.js';
import { INPUT_NAMES } from './inputs.js';
import { runAction } from './run.js';
import type { GitHubEvent } from './types.js';

async function readEvent(env: NodeJS.ProcessEnv): Promise<GitHubEvent> {
  const name = env.GITHUB_EVENT_NAME ?? '';
  if (!env.GITHUB_EVENT_PATH) return { name, payload: {} };
  return { name, payload: JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown> };
}

// A cancelled workflow run: the runner sends SIGINT, then SIGTERM. The apply starts nothing more,
// pushes the state of what it started and releases its lock; a second signal stops at once.
const cancel = new AbortController();
const onSignal = () => {
  if (cancel.signal.aborted) process.exit(1);
  cancel.abort();
};
process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

try {
  await runAction({
    inputs: Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)])),
    env: process.env,
    event: await readEvent(process.env),
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    io: coreIO(),
    github: githubApi,
    signal: cancel.signal,
  });
} catch (error) {
  // runAction reports its own errors; this is a bug in reporting them (or an unreadable event).
  core.setFailed(`internal error: ${(error as Error).message}`);
}
