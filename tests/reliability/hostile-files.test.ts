/**
 * Hostile input on disk: file names with odd Unicode and path tricks (random, fast-check with
 * a fixed seed, and a table of classics), files that are not plain small UTF-8 files, and a
 * tampered state whose IDs try to reach other paths. The loader reports each as a clear
 * problem or loads it validly; nothing is sent while any file has a problem; a state ID can
 * only ever address that exact session.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadResources } from '../../src/resources/loader.js';
import { isValidAuthSessionId } from '../../src/resources/schema.js';
import { authSessionIdFromFile, idProblemMessages } from '../../src/resources/rules.js';
import { Figures } from './figures.js';
import { SEED } from './hostile.js';
import { STATE_FILE, type Project } from '../helpers/project.js';
import { openProject } from './suite.js';
import { PROJECT, WORKSPACE } from './secrets.js';
import { Transcript } from './transcript.js';

const transcript = new Transcript();
const figures = new Figures('hostile-files');
const FOLDER = 'intuned-resources/auth-sessions';
const BODY = '{ "parameters": { "user": "u" } }';
/** File names are at most 255 bytes; the suffix takes 18. */
const MAX_ID_BYTES = 230;

const PATH_TRICKS = [
  '..', '...', '%2e%2e', '%2E%2E%2F', '..%2f..%2fetc', '..\\..\\windows', '~root', '$HOME', '${env:REL_PASSWORD}',
  '-rf', '--force', 'CON', 'nul', 'a b', '\u202eevil', 'zero\u200bwidth', 'e\u0301', 'İstanbul', '💥💥💥',
  '\u001b[31mred', 'x'.repeat(MAX_ID_BYTES), 'ok-id', '(),', 'a_b-c(1),2',
];

let workdir: string | undefined;
let project: Project | undefined;
afterEach(async () => {
  if (workdir) await rm(workdir, { recursive: true, force: true });
  workdir = undefined;
  await project?.close();
  project = undefined;
});
afterAll(async () => {
  await figures.write(transcript);
  expect(transcript.leaks).toEqual([]);
});

async function folderWith(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-hostile-'));
  workdir = dir;
  await mkdir(join(dir, FOLDER), { recursive: true });
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, FOLDER, name), body);
  return dir;
}

async function load(dir: string) {
  const result = await loadResources({ dir, env: {} });
  figures.add('inputsTried', result.fileCount);
  transcript.add('load problems', JSON.stringify(result.problems));
  return result;
}

/** The outcome one file name must have: a session with exactly that ID, or a problem about the ID. */
async function expectIdOutcome(id: string): Promise<void> {
  const dir = await folderWith({ [`${id}.auth-session.json`]: BODY });
  const result = await load(dir);
  if (id.startsWith('.')) {
    // Hidden files are skipped, as editors' and tools' dotfiles are.
    expect(result.fileCount).toBe(0);
  } else if (isValidAuthSessionId(id)) {
    expect(result.problems).toEqual([]);
    expect(result.sessions.map((session) => session.id)).toEqual([id]);
  } else {
    expect(result.sessions).toEqual([]);
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems) expect(problem).toMatchObject({ file: `${FOLDER}/${id}.auth-session.json`, line: 1, column: 1, message: expect.stringMatching(/^ID /) });
  }
  for (const session of result.sessions) expect(isValidAuthSessionId(session.id)).toBe(true);
  await rm(dir, { recursive: true, force: true });
}

describe('file names', () => {
  it.each(PATH_TRICKS)('path trick or odd name %j: a clear problem or a valid ID', async (id) => {
    await expectIdOutcome(id);
  });

  it('random names in every Unicode plane: a clear problem or a valid ID', async () => {
    const name = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 30 })
      .filter((id) => !id.includes('/') && !id.includes('\u0000') && Buffer.byteLength(id) <= MAX_ID_BYTES);
    await fc.assert(fc.asyncProperty(name, expectIdOutcome), { seed: SEED, numRuns: 80 });
  });

  it('IDs that cannot be file names are refused by the rules themselves', () => {
    for (const id of ['nul\u0000byte', 'a/b', '..', '']) expect(idProblemMessages(id).length).toBeGreaterThan(0);
    expect(authSessionIdFromFile(`${FOLDER}/team/..auth-session.json`)).toBe('.');
    expect(idProblemMessages('.')).toHaveLength(2);
  });

  it('sends nothing while any file name is hostile, and prints each problem as path:line:col: message', async () => {
    project = await openProject(transcript, figures);
    for (const id of PATH_TRICKS) await project.file(`${id}.auth-session.json`, BODY);
    const validate = await project.run(['validate']);
    expect(validate.code).toBe(1);
    const lines = validate.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/problems? in \d+ files?/);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^intuned-resources\/auth-sessions\/.+\.auth-session\.json:1:1: ID /);
    const apply = await project.run(['apply']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('nothing was sent to Intuned');
    expect(project.emulator.requestCount()).toBe(0);
  });

  it('prints one line per problem even when a file name holds a newline or ESC', async () => {
    project = await openProject(transcript, figures);
    await project.file('evil\n::error file=x::forged.auth-session.json', BODY);
    await project.file('\u001b[2Jclear.auth-session.json', BODY);
    const validate = await project.run(['validate']);
    expect(validate.code).toBe(1);
    const lines = validate.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(validate.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(lines.filter((line) => line.startsWith('::'))).toEqual([]);
  });
});

describe('files that are not plain small UTF-8 files', () => {
  it('oversized, not UTF-8, empty, a directory, a FIFO, a loop, a link out and a linked folder out: a problem each, nothing hangs', async () => {
    const dir = await folderWith({
      'huge.auth-session.json': `{"parameters": {"big": "${'x'.repeat(1024 * 1024)}"}}`,
      'latin1.auth-session.json': Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]),
      'empty.auth-session.json': '',
      'bom-ok.auth-session.json': `\ufeff${BODY}`,
    });
    await mkdir(join(dir, FOLDER, 'folder.auth-session.json'));
    execFileSync('mkfifo', [join(dir, FOLDER, 'fifo.auth-session.json')]);
    await symlink('loop.auth-session.json', join(dir, FOLDER, 'loop.auth-session.json'));
    await writeFile(join(dir, 'outside.json'), BODY);
    const outsideDir = await mkdtemp(join(tmpdir(), 'intuned-gitops-outside-'));
    await writeFile(join(outsideDir, 'stolen.auth-session.json'), BODY);
    await symlink(join(outsideDir, 'stolen.auth-session.json'), join(dir, FOLDER, 'stolen.auth-session.json'));
    await symlink(outsideDir, join(dir, FOLDER, 'linked-folder'));

    const result = await load(dir);
    await rm(outsideDir, { recursive: true, force: true });
    expect(result.sessions.map((session) => session.id)).toEqual(['bom-ok']);
    const byFile = Object.fromEntries(result.problems.map((problem) => [problem.file.slice(FOLDER.length + 1), problem.message]));
    expect(byFile).toEqual({
      'empty.auth-session.json': expect.stringContaining('file is empty'),
      'fifo.auth-session.json': expect.stringContaining('not a regular file'),
      'folder.auth-session.json': expect.stringContaining('not a regular file'),
      'huge.auth-session.json': expect.stringContaining('over the limit'),
      'latin1.auth-session.json': expect.stringContaining('not valid UTF-8'),
      'linked-folder': expect.stringContaining('a folder outside the project directory'),
      'loop.auth-session.json': expect.stringContaining('loops'),
      'stolen.auth-session.json': expect.stringContaining('outside the project directory'),
    });
    expect(byFile['latin1.auth-session.json']).toContain('first invalid byte');
    expect(result.problems.find((problem) => problem.file.endsWith('latin1.auth-session.json'))).toMatchObject({ line: 1, column: 3 });
  });

  it('five hundred files in fifty nested folders load, in order, without running out of file handles', async () => {
    const dir = await folderWith({});
    let nested = join(dir, FOLDER);
    for (let depth = 0; depth < 50; depth += 1) {
      nested = join(nested, `d${depth}`);
      await mkdir(nested);
      for (let index = 0; index < 10; index += 1) await writeFile(join(nested, `id-${depth}-${index}.auth-session.json`), BODY);
    }
    const result = await load(dir);
    expect(result.problems).toEqual([]);
    expect(result.sessions).toHaveLength(500);
  });
});

describe('a tampered state', () => {
  const prefix = `/${WORKSPACE}/projects/${PROJECT}`;
  const tricky = ['..', '.', 'a/b', '%2e%2e', '../../other/auth-sessions/victim', 'x?y#z'];

  async function tamperedProject(): Promise<Project> {
    project = await openProject(transcript, figures);
    for (const id of ['..', 'a/b', '%2e%2e', 'x?y#z']) project.emulator.seedSession({ id, workspaceId: WORKSPACE, project: PROJECT });
    project.emulator.seedSession({ id: 'victim', workspaceId: WORKSPACE, project: 'other' });
    project.emulator.seedSession({ id: 'bystander', workspaceId: WORKSPACE, project: PROJECT });
    const sessions = Object.fromEntries(tricky.map((id) => [id, { file: `${FOLDER}/gone.auth-session.json` }]));
    await mkdir(join(project.dir, '.intuned-gitops'), { recursive: true });
    await writeFile(join(project.dir, STATE_FILE), JSON.stringify({ formatVersion: 1, workspaceId: WORKSPACE, project: PROJECT, keyId: 'x', sessions }));
    return project;
  }

  it('never reaches another project or a session nobody owns', async () => {
    const p = await tamperedProject();
    await p.run(['apply', '--force']);
    for (const request of p.emulator.requests) expect(request.path.startsWith(`${prefix}/`)).toBe(true);
    const remaining = p.emulator.sessions().map((session) => `${session.project}/${session.id}`);
    expect(remaining).toContain('other/victim');
    expect(remaining).toContain(`${PROJECT}/bystander`);
  });

  it('puts no ID that the API could never hold into a request path', async () => {
    const p = await tamperedProject();
    await p.run(['apply', '--force']);
    const deletes = p.emulator.requests.filter((request) => request.method === 'DELETE').map((request) => request.path.slice(prefix.length));
    for (const path of deletes) expect(path).toMatch(/^\/auth-sessions\/[a-zA-Z0-9\-(),_]{3,}$/);
    expect(p.emulator.sessions({ workspaceId: WORKSPACE, project: PROJECT }).map((session) => session.id).sort()).toEqual(['%2e%2e', '..', 'a/b', 'bystander', 'x?y#z']);
  });
});
