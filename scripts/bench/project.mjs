/**
 * Benchmark projects in a temporary directory: N resource files whose password comes from one
 * of ten environment variables (`BENCH_PASSWORD_<i % 10>`), so changing one variable changes
 * exactly 10% of the sessions, as a rotated shared secret does.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_API_KEY, BENCH_WORKSPACE_ID, CHANGE_EVERY } from './config.mjs';

const SESSIONS_DIR = join('intuned-resources', 'auth-sessions');
const PASSWORD_VARIABLES = 10;

export function sessionId(index) {
  return `bench-${String(index).padStart(5, '0')}`;
}

function fileOf(dir, index) {
  return join(dir, SESSIONS_DIR, `${sessionId(index)}.auth-session.json`);
}

function writeSession(dir, index) {
  const body = { parameters: { username: `user-${index}`, password: `\${env:BENCH_PASSWORD_${index % PASSWORD_VARIABLES}}` } };
  writeFileSync(fileOf(dir, index), `${JSON.stringify(body, null, 2)}\n`);
}

/**
 * A project of `size` files in `root/name`, with its own state file and Intuned project name
 * (the emulator keeps one set of sessions and one operation cap per project name).
 * `indexes` picks which files (default all of 0..size-1).
 * @returns {{dir: string, size: number, name: string, env: Record<string, string>}}
 */
export function createProject(root, name, size, indexes = Array.from({ length: size }, (_, index) => index)) {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, SESSIONS_DIR), { recursive: true });
  for (const index of indexes) writeSession(dir, index);
  const passwords = Object.fromEntries(
    Array.from({ length: PASSWORD_VARIABLES }, (_, slot) => [`BENCH_PASSWORD_${slot}`, `bench-password-${slot}-v1`]),
  );
  return {
    dir,
    size: indexes.length,
    name,
    env: {
      ...passwords,
      INTUNED_API_KEY: BENCH_API_KEY,
      INTUNED_WORKSPACE_ID: BENCH_WORKSPACE_ID,
      INTUNED_PROJECT: name,
      INTUNED_GITOPS_STATE: `file:${join(dir, 'state.json')}`,
    },
  };
}

/** Rotates the secret behind every tenth file: the next apply updates 10% of the sessions. */
export function rotateSharedPassword(project) {
  project.env.BENCH_PASSWORD_0 = 'bench-password-0-v2';
  return Math.ceil(project.size / CHANGE_EVERY);
}

/** Removes every tenth file (others than the rotated ones): the next apply deletes 10%. */
export function removeTenthOfFiles(project) {
  let removed = 0;
  for (let index = 1; index < project.size; index += CHANGE_EVERY) {
    rmSync(fileOf(project.dir, index));
    removed += 1;
  }
  project.size -= removed;
  return removed;
}
