/**
 * What the lock tests share: six sessions to apply, where each backend keeps its lock, and a
 * wait for a condition of a running process.
 */
import { join } from 'node:path';
import { STATE_BRANCH } from '../action/harness.js';
import { writeResourceFile } from './resource-files.js';

export const SESSIONS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
/** One create request per session: what every apply, concurrent or interrupted, must end with. */
export const ONCE = Object.fromEntries(SESSIONS.map((id) => [id, 1]));
/** The `file:` lock beside the default state file. */
export const LOCK_FILE = join('.intuned-gitops', 'state.json.lock');
/** The `git:` lock ref on the origin. */
export const LOCK_REF = `refs/intuned-gitops/locks/${STATE_BRANCH}`;

/** Writes a file for each of {@link SESSIONS}. */
export async function declareSessions(dir: string): Promise<void> {
  for (const id of SESSIONS) await writeResourceFile(dir, `${id}.auth-session.json`, { parameters: { username: `${id}@example.test` } });
}

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
