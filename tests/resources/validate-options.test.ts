/**
 * `validate --no-env` (every check but the values, no secrets needed) and the warnings from
 * Intuned's own `Intuned.json`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCommand, type ValidateOptions } from '../../src/cli/commands/validate.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { writeResourceFile } from '../helpers/resource-files.js';

const FOLDER = 'intuned-resources/auth-sessions';

let project: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'intuned-gitops-validate-'));
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

async function validate(options: Partial<ValidateOptions> = {}) {
  const output = bufferOutput();
  const exitCode = await validateCommand({ dir: project, env: {}, output, ...options });
  return { exitCode, lines: output.stdout.trimEnd().split('\n'), stderr: output.stderr };
}

describe('validate with readEnv: false (--no-env)', () => {
  it('passes without the values, and says which were not read', async () => {
    await writeResourceFile(project, 'acme.auth-session.json', {
      parameters: { username: 'ops', password: '${env:ACME_PASSWORD}' },
      proxy: 'http://user:${env:PROXY_PASSWORD}@proxy.test:8080',
    });
    expect(await validate({ readEnv: false })).toEqual({
      exitCode: 0,
      lines: ['✓ 1 auth session valid in 1 file'],
      stderr: 'note: not read (--no-env), so values using them were not fully checked: ACME_PASSWORD, PROXY_PASSWORD\n',
    });
    expect((await validate()).exitCode).toBe(1);
  });

  it('reads no variable even when one is set (an empty one would otherwise fail)', async () => {
    await writeResourceFile(project, 'acme.auth-session.json', { parameters: { password: '${env:ACME_PASSWORD}' } });
    expect((await validate({ readEnv: false, env: { ACME_PASSWORD: '' } })).exitCode).toBe(0);
  });

  it('still refuses a malformed reference and every other problem', async () => {
    await writeResourceFile(project, 'acme.auth-session.json', { parameters: { password: '${env:ACME-PASSWORD}' } });
    await writeResourceFile(project, 'globex.auth-session.json', { parameters: {}, createAttempts: 'three' });
    const result = await validate({ readEnv: false });
    expect(result.exitCode).toBe(1);
    expect(result.lines[0]).toMatch(new RegExp(`^${FOLDER}/acme.auth-session.json:3:18: malformed \\$\\{env:…\\} reference`));
    expect(result.lines[1]).toMatch(new RegExp(`^${FOLDER}/globex.auth-session.json:\\d+:\\d+: `));
    expect(result.lines.at(-1)).toBe('2 problems in 2 files');
  });
});

describe('validate and Intuned.json', () => {
  const SESSION = { parameters: { username: 'ops' } };

  it('warns when session files exist but authSessions.enabled is not true, and still exits 0', async () => {
    await writeResourceFile(project, 'acme.auth-session.json', SESSION);
    await writeFile(join(project, 'Intuned.json'), '{\n  "authSessions": { "enabled": false },\n  "apiAccess": { "enabled": true }\n}\n');
    expect(await validate()).toEqual({
      exitCode: 0,
      lines: [
        'Intuned.json:2:32: warning: authSessions.enabled is not true but 1 file declares AuthSessions, so Intuned runs no AuthSession of this project; set "authSessions": { "enabled": true, "type": "API" } and deploy the project',
        '✓ 1 auth session valid in 1 file',
      ],
      stderr: '',
    });
  });

  it('warns about a missing authSessions and apiAccess in Intuned.jsonc, at the start of the file', async () => {
    await writeResourceFile(project, 'acme.auth-session.json', SESSION);
    await writeResourceFile(project, 'globex.auth-session.json', SESSION);
    await writeFile(join(project, 'Intuned.jsonc'), '// project settings\n{ "projectName": "crm" }\n');
    const { lines } = await validate();
    expect(lines).toEqual([
      expect.stringMatching(/^Intuned\.jsonc:1:1: warning: authSessions\.enabled is not true but 2 files declare AuthSessions, /),
      expect.stringMatching(/^Intuned\.jsonc:1:1: warning: apiAccess\.enabled is not true but 2 files declare AuthSessions, and Intuned needs it /),
      '✓ 2 auth sessions valid in 2 files',
    ]);
  });

  it('says nothing when both are enabled, when there is no Intuned.json, or when no file declares a session', async () => {
    await writeFile(join(project, 'Intuned.json'), '{ "authSessions": { "enabled": true, "type": "API" }, "apiAccess": { "enabled": true } }');
    await writeResourceFile(project, 'acme.auth-session.json', SESSION);
    expect((await validate()).lines).toEqual(['✓ 1 auth session valid in 1 file']);
    await rm(join(project, 'Intuned.json'));
    expect((await validate()).lines).toEqual(['✓ 1 auth session valid in 1 file']);
    await writeFile(join(project, 'Intuned.json'), '{}');
    await rm(join(project, FOLDER, 'acme.auth-session.json'));
    expect((await validate()).lines).toEqual([`Nothing to manage: no *.auth-session.jsonc or .json files in ${FOLDER}.`]);
  });

  it('warns, without failing, when Intuned.json is not JSON', async () => {
    await writeResourceFile(project, 'acme.auth-session.json', SESSION);
    await writeFile(join(project, 'Intuned.json'), '{ "authSessions": ');
    const result = await validate({ format: 'json' });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.lines.join('\n')).warnings).toEqual([
      expect.objectContaining({ file: 'Intuned.json', message: 'invalid JSONC: expected a value; whether AuthSessions are enabled was not checked' }),
    ]);
  });
});
