/**
 * The edges of the project's files, through the built CLI: linked folders, `validate --no-env`
 * and Intuned.json.
 */
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

const FOLDER = 'intuned-resources/auth-sessions';
let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

function actions(stdout: string): string[] {
  return JSON.parse(stdout).changes.map((change: { id: string; action: string }) => `${change.id} ${change.action}`);
}

describe('intuned-gitops and the project files (the built CLI)', () => {
  it('follows a folder linked from inside the project: validate lists its sessions, the plan deletes none', async () => {
    const p = (project = await Project.create());
    await p.file('own.auth-session.json', session({ user: 'own' }));
    await p.file('crm/acme.auth-session.json', session({ user: 'acme' }));
    await p.file('crm/globex.auth-session.jsonc', session({ user: 'globex' }));
    expect((await p.run(['apply'])).code).toBe(0);

    await mkdir(join(p.dir, 'shared'));
    await rename(join(p.dir, FOLDER, 'crm'), join(p.dir, 'shared', 'crm'));
    await symlink('../../shared/crm', join(p.dir, FOLDER, 'crm'));

    const validate = await p.run(['validate']);
    expect(validate).toMatchObject({ code: 0, stdout: '✓ 3 auth sessions valid in 3 files\n' });
    const plan = await p.run(['plan', '--output', 'json', '--detailed-exitcode']);
    expect(plan.stderr).toBe('');
    expect(actions(plan.stdout)).toEqual(['acme noop', 'globex noop', 'own noop']);
    expect(plan.code).toBe(0);
  });

  it('refuses a folder link that leaves the project, naming it, and sends nothing', async () => {
    const p = (project = await Project.create());
    await p.file('own.auth-session.json', session({ user: 'own' }));
    await symlink('/tmp', join(p.dir, FOLDER, 'elsewhere'));
    const validate = await p.run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(`${FOLDER}/elsewhere:1:1: is a symbolic link to a folder outside the project directory;`);
    const apply = await p.run(['apply']);
    expect(apply.code).toBe(1);
    expect(p.emulator.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('validate --no-env passes without the values but still refuses a malformed ${env:}', async () => {
    const p = (project = await Project.create());
    await p.file('acme.auth-session.json', session({ password: '${env:ACME_PASSWORD}' }));
    const strict = await p.run(['validate']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('environment variable ACME_PASSWORD is not set');

    const offline = await p.run(['validate', '--no-env']);
    expect(offline).toMatchObject({ code: 0, stdout: '✓ 1 auth session valid in 1 file\n' });
    expect(offline.stderr).toContain('ACME_PASSWORD');

    await p.file('broken.auth-session.json', session({ password: '${env:ACME PASSWORD}' }));
    const malformed = await p.run(['validate', '--no-env']);
    expect(malformed.code).toBe(1);
    expect(malformed.stdout).toContain(`${FOLDER}/broken.auth-session.json:3:18: malformed \${env:…} reference`);
  });

  it('validate and the plan warn when Intuned.json leaves AuthSessions off, and exit 0', async () => {
    const p = (project = await Project.create());
    await p.file('acme.auth-session.json', session({ user: 'acme' }));
    await writeFile(join(p.dir, 'Intuned.json'), JSON.stringify({ apiAccess: { enabled: true } }));
    const validate = await p.run(['validate']);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/^Intuned\.json:1:1: warning: authSessions\.enabled is not true but 1 file declares AuthSessions/);
    const plan = await p.run(['plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Warning: Intuned.json: authSessions.enabled is not true but 1 file declares AuthSessions');
    expect(JSON.parse((await p.run(['plan', '--output', 'json'])).stdout).warnings).toEqual([expect.stringMatching(/^Intuned\.json: authSessions\.enabled is not true/)]);
  });

  it('refuses a session file renamed by mistake or switched off as a backup, instead of deleting its session', async () => {
    const p = (project = await Project.create());
    await p.file('billing.auth-session.json', session({ user: 'billing' }));
    await p.file('other.auth-session.json', session({ user: 'other' }));
    expect((await p.run(['apply'])).code).toBe(0);
    const from = join(p.dir, FOLDER, 'billing.auth-session.json');
    for (const [name, says] of [
      ['billing.auth-session.json ', 'rename it to "billing.auth-session.json"'],
      ['billing.auth-session.txt', 'rename it to "billing.auth-session.jsonc"'],
      ['billing.auth-session.json.orig', 'rename it back to "billing.auth-session.json" to keep it, or delete this backup to let it go'],
    ] as const) {
      await rename(from, join(p.dir, FOLDER, name));
      const validate = await p.run(['validate']);
      expect(validate.code).toBe(1);
      expect(validate.stdout).toContain(`${FOLDER}/${name}:1:1: not read: `);
      expect(validate.stdout).toContain(says);
      const plan = await p.run(['plan', '--output', 'json']);
      expect(plan.code).toBe(1);
      expect(JSON.parse(plan.stdout).changes ?? []).not.toContainEqual(expect.objectContaining({ action: 'delete' }));
      await rename(join(p.dir, FOLDER, name), from);
    }
    expect(p.emulator.sessions().map((s) => s.id).sort()).toEqual(['billing', 'other']);
  }, 60_000);
});
