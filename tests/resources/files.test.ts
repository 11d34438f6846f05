/**
 * File-system cases built in a temporary directory: a file over the size limit (not
 * committed), symbolic links that escape the project, and other things that are not files.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { loadResources } from '../../src/resources/loader.js';
import { decodeResourceText, MAX_RESOURCE_FILE_BYTES, readResourceFile } from '../../src/resources/read.js';

const FOLDER = 'intuned-resources/auth-sessions';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VALID = '{ "parameters": { "username": "ops@example.com" } }\n';

let base: string;
let project: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'intuned-gitops-files-'));
  project = join(base, 'project');
  await mkdir(join(project, FOLDER), { recursive: true });
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function write(path: string, content: string | Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return path;
}

async function validate() {
  const output = bufferOutput();
  const exitCode = await validateCommand({ dir: project, env: {}, output });
  return { exitCode, lines: output.stdout.trimEnd().split('\n') };
}

describe('files the loader refuses', () => {
  it('reports a file over the size limit', async () => {
    const padding = ' '.repeat(MAX_RESOURCE_FILE_BYTES);
    await write(join(project, FOLDER, 'huge.auth-session.json'), `${VALID}${padding}`);
    expect(await validate()).toEqual({
      exitCode: 1,
      lines: [
        `${FOLDER}/huge.auth-session.json:1:1: file has 1048628 bytes, over the limit of 1048576 (1 MiB) for a resource file; keep only the session settings in it`,
        '1 problem in 1 file',
      ],
    });
  });

  it('accepts a file of exactly the size limit', async () => {
    const padding = ' '.repeat(MAX_RESOURCE_FILE_BYTES - VALID.length);
    await write(join(project, FOLDER, 'full.auth-session.json'), `${VALID}${padding}`);
    expect((await validate()).exitCode).toBe(0);
  });

  it('reports a symbolic link to a file outside the project, and does not read it', async () => {
    const outside = await write(join(base, 'outside', 'secret.auth-session.json'), VALID);
    await symlink(outside, join(project, FOLDER, 'escape.auth-session.json'));
    expect(await validate()).toEqual({
      exitCode: 1,
      lines: [
        `${FOLDER}/escape.auth-session.json:1:1: is a symbolic link to a file outside the project directory; intuned-gitops reads only files inside it, so copy the file in instead`,
        '1 problem in 1 file',
      ],
    });
  });

  it('reads a symbolic link that stays inside the project', async () => {
    await write(join(project, 'shared', 'acme.json'), VALID);
    await symlink(join(project, 'shared', 'acme.json'), join(project, FOLDER, 'acme.auth-session.json'));
    const result = await loadResources({ dir: project, env: {} });
    expect(result.problems).toEqual([]);
    expect(result.sessions.map((session) => session.id)).toEqual(['acme']);
  });

  it('reports a dangling link and a directory named like a resource file', async () => {
    await symlink(join(project, 'missing.json'), join(project, FOLDER, 'gone.auth-session.json'));
    await mkdir(join(project, FOLDER, 'folder.auth-session.jsonc'));
    expect((await validate()).lines).toEqual([
      `${FOLDER}/folder.auth-session.jsonc:1:1: is not a regular file; a resource file must be a file`,
      `${FOLDER}/gone.auth-session.json:1:1: is a symbolic link whose target does not exist`,
      '2 problems in 2 files',
    ]);
  });

  it('ignores hidden files such as editor lock files', async () => {
    await symlink('user@host.1234', join(project, FOLDER, '.#acme.auth-session.jsonc'));
    await write(join(project, FOLDER, 'acme.auth-session.jsonc'), VALID);
    expect(await validate()).toEqual({
      exitCode: 0,
      lines: ['✓ 1 auth session valid in 1 file'],
    });
  });
});

/**
 * A file that discovery saw as a plain file is read without its real path; something else put
 * at its name since must be judged as if it had been there all along.
 */
describe('a file found plain and replaced before it is read', () => {
  const read = async (name: string) => readResourceFile({ root: await realpath(project), path: join(project, FOLDER, name), plain: true });

  it('reads the file', async () => {
    await write(join(project, FOLDER, 'acme.auth-session.json'), VALID);
    expect(await read('acme.auth-session.json')).toEqual({ ok: true, text: VALID });
  });

  it('refuses a link to a file outside the project, and reads a link inside it', async () => {
    await symlink(await write(join(base, 'outside', 'secret.json'), VALID), join(project, FOLDER, 'escape.auth-session.json'));
    await symlink(await write(join(project, 'shared', 'acme.json'), VALID), join(project, FOLDER, 'acme.auth-session.json'));
    expect(await read('escape.auth-session.json')).toMatchObject({ ok: false, message: expect.stringContaining('is a symbolic link to a file outside the project directory') });
    expect(await read('acme.auth-session.json')).toEqual({ ok: true, text: VALID });
  });

  it('refuses a folder and a missing file', async () => {
    await mkdir(join(project, FOLDER, 'folder.auth-session.json'));
    expect(await read('folder.auth-session.json')).toMatchObject({ ok: false, message: 'is not a regular file; a resource file must be a file' });
    expect(await read('gone.auth-session.json')).toMatchObject({ ok: false, message: 'is a symbolic link whose target does not exist' });
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(project, FOLDER, 'pipe.auth-session.json');
    execFileSync('mkfifo', [fifo]);
    // In a process of its own (the built module), so that an open which waits fails the test
    // at the timeout instead of hanging the test process.
    const script =
      `const { readResourceFile } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'build', 'resources', 'read.js')).href)});` +
      `process.stdout.write(JSON.stringify(readResourceFile({ root: ${JSON.stringify(await realpath(project))}, path: ${JSON.stringify(fifo)}, plain: true })));`;
    const answer = execFileSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000, encoding: 'utf8' });
    expect(JSON.parse(answer)).toMatchObject({ ok: false, message: 'is not a regular file; a resource file must be a file' });
  });
});

describe('decodeResourceText', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('drops a UTF-8 byte order mark', () => {
    expect(decodeResourceText(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{}')]))).toEqual({
      ok: true,
      text: '{}',
    });
  });

  it('points at the first invalid byte after multi-byte characters', () => {
    const text = bytes('{\n  "a": "äö');
    const outcome = decodeResourceText(new Uint8Array([...text, 0xc3, 0x28]));
    expect(outcome).toMatchObject({ ok: false, line: 2, column: 11 });
  });

  it('treats a file holding only a byte order mark as empty', () => {
    expect(decodeResourceText(new Uint8Array([0xef, 0xbb, 0xbf]))).toMatchObject({
      ok: false,
      message: 'file is empty; it must hold an object like { "parameters": { ... } }',
    });
  });
});
