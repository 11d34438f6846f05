/**
 * Names that look meant as resource files but do not match are errors naming the file and
 * the name it should have: such a file is not read, so its session would not exist.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { intendedFileName } from '../../src/resources/rules.js';

const FOLDER = 'intuned-resources/auth-sessions';
const VALID = '{ "parameters": { "username": "ops@example.com" } }\n';
const RULE = 'not read: resource file names end in .auth-session.jsonc or .auth-session.json, in lower case, with the ID before it;';
const AWAY = ', or move it out of the auth-sessions folder';

let project: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'intuned-gitops-names-'));
  await mkdir(join(project, FOLDER, 'team'), { recursive: true });
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('intendedFileName', () => {
  it.each([
    ['X.AUTH-SESSION.JSON', 'X.auth-session.json'],
    ['acme.Auth-Session.jsonc', 'acme.auth-session.jsonc'],
    ['x.authsession.json', 'x.auth-session.json'],
    ['acme.auth_session.jsonc', 'acme.auth-session.jsonc'],
    ['acme.auth-sessions.json', 'acme.auth-session.json'],
    ['acme-auth-session.json', 'acme.auth-session.json'],
    ['acme.json', 'acme.auth-session.json'],
    ['acme.JSONC', 'acme.auth-session.jsonc'],
    ['x.auth-session.yaml', 'x.auth-session.jsonc'],
    ['acme.yml', 'acme.auth-session.jsonc'],
    ['acme.auth-session', 'acme.auth-session.jsonc'],
    ['billing.auth-session.json ', 'billing.auth-session.json'],
    ['billing.auth-session.jsonc\t', 'billing.auth-session.jsonc'],
    ['billing.auth-session.txt', 'billing.auth-session.jsonc'],
    ['billing.auth-session.js', 'billing.auth-session.jsonc'],
    ['acme16.auth.json', 'acme16.auth-session.json'],
    ['acme14.session.json', 'acme14.auth-session.json'],
    ['acme15.sessions.jsonc', 'acme15.auth-session.jsonc'],
  ])('%s should be %s', (name, expected) => {
    expect(intendedFileName(`${FOLDER}/${name}`)?.name).toBe(expected);
  });

  it.each(['acme.auth-session.jsonc', 'acme.auth-session.json', 'README.md', 'notes.txt', 'acme.auth-session.jsonc.bak', 'acme.auth-session.json~'])(
    'leaves %s alone',
    (name) => {
      expect(intendedFileName(`${FOLDER}/${name}`)).toBeUndefined();
    },
  );
});

describe('validate on near-miss names', () => {
  it('reports each one with the name it should have, and ignores other files', async () => {
    for (const name of ['X.AUTH-SESSION.JSON', 'x.auth-session.yaml', 'team/x.authsession.json', 'README.md', 'okay.auth-session.json']) {
      await writeFile(join(project, FOLDER, name), VALID);
    }
    const output = bufferOutput();
    const exitCode = await validateCommand({ dir: project, env: {}, output });
    expect(output.stdout.trimEnd().split('\n')).toEqual([
      `${FOLDER}/X.AUTH-SESSION.JSON:1:1: ${RULE} rename it to "X.auth-session.json"${AWAY}`,
      `${FOLDER}/team/x.authsession.json:1:1: ${RULE} rename it to "x.auth-session.json"${AWAY}`,
      `${FOLDER}/x.auth-session.yaml:1:1: ${RULE} resource files are JSON (comments allowed), so write it as JSON and name it "x.auth-session.jsonc"${AWAY}`,
      '3 problems in 3 files',
    ]);
    expect(exitCode).toBe(1);
  });
});

describe('validate on backups of session files', () => {
  it.each(['billing.auth-session.json.orig', 'billing.auth-session.jsonc.disabled', 'billing.auth-session.json.bak', 'billing.auth-session.json~'])(
    'refuses %s when no file declares billing any more: the apply would delete it',
    async (name) => {
      await writeFile(join(project, FOLDER, 'team', name), VALID);
      const output = bufferOutput();
      const exitCode = await validateCommand({ dir: project, env: {}, output });
      const original = name.replace(/(\.(orig|disabled|bak)|~)$/, '');
      expect(output.stdout).toContain(
        `${FOLDER}/team/${name}:1:1: not read: a backup of "billing"'s file, and no file declares "billing", so an apply would delete that auth session; ` +
          `rename it back to ${JSON.stringify(original)} to keep it, or delete this backup to let it go`,
      );
      expect(exitCode).toBe(1);
    },
  );

  it('ignores a backup beside the file it backs up', async () => {
    await writeFile(join(project, FOLDER, 'team', 'billing.auth-session.json'), VALID);
    await writeFile(join(project, FOLDER, 'team', 'billing.auth-session.json.bak'), VALID);
    await writeFile(join(project, FOLDER, 'billing.auth-session.jsonc~'), VALID);
    const output = bufferOutput();
    expect(await validateCommand({ dir: project, env: {}, output })).toBe(0);
  });
});

describe('validate on near-miss folder names', () => {
  it('reports an auth-sessions or intuned-resources folder spelled otherwise, even when nothing else is found', async () => {
    await rm(join(project, 'intuned-resources'), { recursive: true });
    await mkdir(join(project, 'intuned-resources', 'Auth_Sessions'), { recursive: true });
    await mkdir(join(project, 'Intuned_Resources'), { recursive: true });
    const output = bufferOutput();
    const exitCode = await validateCommand({ dir: project, env: {}, output });
    expect(output.stdout.trimEnd().split('\n')).toEqual([
      'Intuned_Resources:1:1: not read: resource folders are named exactly intuned-resources/auth-sessions; rename it to "intuned-resources"',
      'intuned-resources/Auth_Sessions:1:1: not read: resource folders are named exactly intuned-resources/auth-sessions; rename it to "auth-sessions"',
      '2 problems in 2 files',
    ]);
    expect(exitCode).toBe(1);
  });

  it('leaves other folders alone', async () => {
    await mkdir(join(project, 'intuned-resources', 'jobs'), { recursive: true });
    await mkdir(join(project, 'resources'), { recursive: true });
    await writeFile(join(project, FOLDER, 'acme.auth-session.json'), VALID);
    const output = bufferOutput();
    expect(await validateCommand({ dir: project, env: {}, output })).toBe(0);
  });
});
