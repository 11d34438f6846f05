/**
 * Folders reached through symbolic links: followed while they stay inside the project,
 * refused (naming the link) when they leave it or loop, never skipped in silence.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { loadResources } from '../../src/resources/loader.js';

const FOLDER = 'intuned-resources/auth-sessions';
const VALID = '{ "parameters": { "username": "ops@example.com" } }\n';
const OUTSIDE =
  'intuned-gitops reads only files inside it, so move the folder into the project or copy the files in';

let base: string;
let project: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'intuned-gitops-links-'));
  project = join(base, 'project');
  await mkdir(join(project, FOLDER), { recursive: true });
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function write(path: string, content = VALID): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

async function validate() {
  const output = bufferOutput();
  const exitCode = await validateCommand({ dir: project, env: {}, output });
  return { exitCode, lines: output.stdout.trimEnd().split('\n') };
}

describe('linked folders under auth-sessions', () => {
  it('follows a linked folder that stays inside the project and lists its sessions', async () => {
    await write(join(project, 'shared', 'crm', 'acme.auth-session.json'));
    await write(join(project, 'shared', 'crm', 'deep', 'globex.auth-session.jsonc'));
    await write(join(project, FOLDER, 'own.auth-session.json'));
    await symlink(join(project, 'shared', 'crm'), join(project, FOLDER, 'crm'));
    const result = await loadResources({ dir: project, env: {} });
    expect(result.problems).toEqual([]);
    expect(result.sessions.map(({ id, file }) => `${id} ${file}`)).toEqual([
      `acme ${FOLDER}/crm/acme.auth-session.json`,
      `globex ${FOLDER}/crm/deep/globex.auth-session.jsonc`,
      `own ${FOLDER}/own.auth-session.json`,
    ]);
    expect(await validate()).toEqual({ exitCode: 0, lines: ['✓ 3 auth sessions valid in 3 files'] });
  });

  it('follows a relative link too', async () => {
    await write(join(project, 'shared', 'acme.auth-session.json'));
    await symlink('../../shared', join(project, FOLDER, 'shared'));
    expect(await validate()).toEqual({ exitCode: 0, lines: ['✓ 1 auth session valid in 1 file'] });
  });

  it('refuses a linked folder that leads outside the project, naming the link', async () => {
    await write(join(base, 'outside', 'other.auth-session.json'));
    await symlink(join(base, 'outside'), join(project, FOLDER, 'linked'));
    await write(join(project, FOLDER, 'acme.auth-session.json'));
    expect(await validate()).toEqual({
      exitCode: 1,
      lines: [
        `${FOLDER}/linked:1:1: is a symbolic link to a folder outside the project directory; ${OUTSIDE}`,
        '1 problem in 1 file',
      ],
    });
    const result = await loadResources({ dir: project, env: {} });
    expect(result.sessions.map((session) => session.id)).toEqual(['acme']);
  });

  it('detects a link back to a folder that contains it', async () => {
    await write(join(project, FOLDER, 'crm', 'acme.auth-session.json'));
    await symlink('..', join(project, FOLDER, 'crm', 'again'));
    expect(await validate()).toEqual({
      exitCode: 1,
      lines: [
        `${FOLDER}/crm/again:1:1: is a symbolic link to ${FOLDER}, a folder that contains it, so following it would loop; remove the link`,
        '1 problem in 1 file',
      ],
    });
  });

  it('detects a cycle of two links through folders outside auth-sessions', async () => {
    await mkdir(join(project, 'a'));
    await mkdir(join(project, 'b'));
    await symlink(join(project, 'b'), join(project, 'a', 'to-b'));
    await symlink(join(project, 'a'), join(project, 'b', 'to-a'));
    await write(join(project, 'a', 'acme.auth-session.json'));
    await symlink(join(project, 'a'), join(project, FOLDER, 'a'));
    const result = await loadResources({ dir: project, env: {} });
    expect(result.problems.map((problem) => `${problem.file}: ${problem.message}`)).toEqual([
      `${FOLDER}/a/to-b/to-a: is a symbolic link to a, a folder that contains it, so following it would loop; remove the link`,
    ]);
    expect(result.sessions.map((session) => session.file)).toEqual([`${FOLDER}/a/acme.auth-session.json`]);
  });

  it('follows the auth-sessions folder itself when it links inside the project', async () => {
    await rm(join(project, FOLDER), { recursive: true });
    await write(join(project, 'sessions', 'acme.auth-session.json'));
    await symlink(join(project, 'sessions'), join(project, FOLDER));
    expect(await validate()).toEqual({ exitCode: 0, lines: ['✓ 1 auth session valid in 1 file'] });
  });

  it('says the auth-sessions folder is a link outside the project, once', async () => {
    await write(join(base, 'outside', 'one.auth-session.json'));
    await write(join(base, 'outside', 'two.auth-session.json'));
    await rm(join(project, FOLDER), { recursive: true });
    await symlink(join(base, 'outside'), join(project, FOLDER));
    expect(await validate()).toEqual({
      exitCode: 1,
      lines: [
        `${FOLDER}:1:1: the auth-sessions folder is a symbolic link to a folder outside the project directory; ${OUTSIDE}`,
        '1 problem in 1 file',
      ],
    });
  });

  it('says so when intuned-resources is the link that leaves the project', async () => {
    await write(join(base, 'outside', 'auth-sessions', 'one.auth-session.json'));
    await rm(join(project, 'intuned-resources'), { recursive: true });
    await symlink(join(base, 'outside'), join(project, 'intuned-resources'));
    expect((await validate()).lines).toEqual([
      `intuned-resources:1:1: the intuned-resources folder is a symbolic link to a folder outside the project directory; ${OUTSIDE}`,
      '1 problem in 1 file',
    ]);
  });

  it('reports an auth-sessions link whose target does not exist instead of finding nothing', async () => {
    await rm(join(project, FOLDER), { recursive: true });
    await symlink(join(project, 'missing'), join(project, FOLDER));
    expect(await validate()).toEqual({
      exitCode: 1,
      lines: [`${FOLDER}:1:1: is a symbolic link whose target does not exist`, '1 problem in 1 file'],
    });
  });

  it('stops with one problem when links make the walk blow up, instead of hanging', async () => {
    // Each level links twice to the next: 2^11 paths through 11 real folders.
    for (let level = 0; level < 11; level += 1) {
      await mkdir(join(project, 'levels', `${level}`), { recursive: true });
      if (level > 0) {
        await symlink(`../${level}`, join(project, 'levels', `${level - 1}`, 'left'));
        await symlink(`../${level}`, join(project, 'levels', `${level - 1}`, 'right'));
      }
    }
    await symlink('../../levels/0', join(project, FOLDER, 'levels'));
    const result = await loadResources({ dir: project, env: {} });
    expect(result.problems.map((problem) => `${problem.file}: ${problem.message}`)).toEqual([
      `${FOLDER}: holds more than 1000 folders (counting each linked folder every time it is reached); link fewer folders`,
    ]);
  });
});
