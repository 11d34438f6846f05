import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, Project, collect } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';
import { waitFor } from '../helpers/locks.js';

const SECRETS = { ACME_PASSWORD: 'Sup3r-Secret-acme-pw', BETA_PASSWORD: 'Sup3r-Secret-beta-pw', BETA_TOTP: 'JBSWY3DPEHPK3PXP-totp' };
let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

async function standard(): Promise<Project> {
  project = await Project.create();
  await project.file('acme.auth-session.jsonc', `// the CRM login\n{ "parameters": { "username": "ops@acme.test", "password": "\${env:ACME_PASSWORD}" }, }`);
  await project.file('team/beta.auth-session.json', session({ username: 'beta-bot', password: '${env:BETA_PASSWORD}', totpSecret: '${env:BETA_TOTP}' }, { proxy: 'http://proxyuser:${env:BETA_PASSWORD}@proxy.test:8080', createAttempts: 2 }));
  return project;
}

function everything(...results: { stdout: string; stderr: string }[]): string {
  return results.map((result) => result.stdout + result.stderr).join('\n');
}

describe('intuned-gitops reconcile (the built CLI against the emulator)', () => {
  it('plans creates on a fresh project, applies them, then has nothing to do', async () => {
    const p = await standard();
    const plan = await p.run(['reconcile', '--dry-run', '--detailed-exitcode'], SECRETS);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/\+ create\s+acme/);
    expect(plan.stdout).toMatch(/\+ create\s+beta/);
    expect(p.emulator.requests.filter((request) => request.method !== 'GET')).toEqual([]);

    const apply = await p.run(['reconcile'], SECRETS);
    expect(apply.code).toBe(0);
    expect(p.emulator.sessions().map((s) => `${s.id} ${s.status}`).sort()).toEqual(['acme READY', 'beta READY']);
    expect(p.starts('create')).toEqual({ acme: 1, beta: 1 });

    const again = await p.run(['plan', '--detailed-exitcode'], SECRETS);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
    const json = await p.run(['plan', '--output', 'json'], SECRETS);
    const document = JSON.parse(json.stdout);
    expect(document).toMatchObject({ formatVersion: 1 });
    expect(document.changes.map((change: { id: string; action: string }) => `${change.id} ${change.action}`)).toEqual(['acme noop', 'beta noop']);
  });

  it('updates only the session whose ${env:} value changed, naming the parameter', async () => {
    const p = await standard();
    expect((await p.run(['apply'], SECRETS)).code).toBe(0);
    const changed = { ...SECRETS, BETA_TOTP: 'NEWTOTPSECRETVALUE77' };
    const plan = await p.run(['plan', '--output', 'json'], changed);
    const changes = JSON.parse(plan.stdout).changes.filter((change: { action: string }) => change.action !== 'noop');
    expect(changes).toEqual([expect.objectContaining({ id: 'beta', action: 'update', reason: 'parameters changed: totpSecret' })]);
    expect((await p.run(['apply'], changed)).code).toBe(0);
    expect(p.starts('update')).toEqual({ beta: 1 });
    expect(p.emulator.sessions().find((s) => s.id === 'beta')!.parameters.totpSecret).toBe('NEWTOTPSECRETVALUE77');
  });

  it('deletes a removed file, never a session made elsewhere, and skips one in use until its run ends', async () => {
    const p = await standard();
    await p.file('gamma.auth-session.json', session({ username: 'g', password: '${env:ACME_PASSWORD}' }));
    p.emulator.seedSession({ id: 'made-in-dashboard' });
    expect((await p.run(['apply'], SECRETS)).code).toBe(0);
    p.emulator.seedJob({ id: 'nightly-export', authSessionId: 'gamma', runs: [{ id: 'run-8f2c41d7a9b3', status: 'PENDING' }] });
    await p.remove('gamma.auth-session.json');
    await p.remove('acme.auth-session.jsonc');

    const apply = await p.run(['apply'], SECRETS);
    expect(apply.code).toBe(0);
    expect(apply.stdout + apply.stderr).toMatch(/gamma.*in use by job nightly-export/);
    const ids = p.emulator.sessions().map((s) => s.id).sort();
    expect(ids).toEqual(['beta', 'gamma', 'made-in-dashboard']);
    expect(JSON.parse(await p.stateText()).sessions.gamma).toBeDefined();
    // The skipped delete is still pending, before an apply as after one.
    expect((await p.run(['plan', '--dry-run', '--detailed-exitcode'], SECRETS)).code).toBe(2);

    p.emulator.setJobRunStatus('nightly-export', 'run-8f2c41d7a9b3', 'SUCCESS');
    const later = await p.run(['apply', '--output', 'json'], SECRETS);
    expect(later.code).toBe(0);
    expect(JSON.parse(later.stdout).changes).toContainEqual(expect.objectContaining({ id: 'gamma', action: 'delete', status: 'succeeded' }));
    expect(p.emulator.sessions().map((s) => s.id).sort()).toEqual(['beta', 'made-in-dashboard']);
  });

  it('reports a failed login with its message and code, finishes the others, and retries only it', async () => {
    const p = await standard();
    const failing = { ...SECRETS, ACME_PASSWORD: 'emulator:fail-this-login' };
    const apply = await p.run(['apply'], failing);
    expect(apply.code).toBe(1);
    expect(apply.stdout + apply.stderr).toContain('auth-check-failed');
    expect(p.emulator.sessions().find((s) => s.id === 'beta')!.status).toBe('READY');

    const plan = await p.run(['plan', '--output', 'json'], SECRETS);
    const changes = JSON.parse(plan.stdout).changes.filter((change: { action: string }) => change.action !== 'noop');
    expect(changes.map((change: { id: string; action: string }) => `${change.id} ${change.action}`)).toEqual(['acme update']);
    expect(changes[0].reason).toContain('auth-check-failed');
  });

  it('converges after being killed mid-apply, without creating anything twice', async () => {
    const p = await standard();
    for (let index = 0; index < 6; index++) await p.file(`bulk-${index}.auth-session.json`, session({ user: `u${index}`, password: '${env:ACME_PASSWORD}' }));
    const child = p.spawn(['apply', '--concurrency', '3'], SECRETS);
    const killed = collect(child);
    await waitFor(() => p.emulator.operations().length >= 2);
    child.kill('SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');

    const rerun = await p.run(['apply'], SECRETS);
    expect(rerun.code).toBe(0);
    const creates = p.starts('create');
    expect(Object.values(creates).every((count) => count === 1)).toBe(true);
    expect(p.emulator.sessions()).toHaveLength(8);
    expect((await p.run(['plan', '--detailed-exitcode'], SECRETS)).code).toBe(0);
  });

  it('refuses to delete more than the safe share without --force, before any change', async () => {
    project = await Project.create();
    const p = project;
    for (let index = 0; index < 10; index++) await p.file(`s-${index}.auth-session.json`, session({ user: `u${index}` }));
    expect((await p.run(['apply'])).code).toBe(0);
    for (let index = 0; index < 4; index++) await p.remove(`s-${index}.auth-session.json`);
    const before = p.emulator.requests.length;
    const refused = await p.run(['apply']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to delete 4 of 10 managed AuthSessions');
    expect(refused.stderr).toContain('--force');
    expect(p.emulator.requests.slice(before).filter((request) => request.method !== 'GET')).toEqual([]);
    const forced = await p.run(['apply', '--force']);
    expect(forced.code).toBe(0);
    expect(p.emulator.sessions()).toHaveLength(6);
  });

  it('never prints a parameter value or the API key, in any output, nor writes one to the state', async () => {
    const p = await standard();
    const failing = { ...SECRETS, BETA_PASSWORD: 'emulator:fail-Sup3r-beta' };
    const outputs = [
      await p.run(['plan'], SECRETS),
      await p.run(['plan', '--output', 'markdown'], SECRETS),
      await p.run(['plan', '--output', 'json'], SECRETS),
      await p.run(['apply'], failing),
      await p.run(['apply', '--output', 'markdown'], SECRETS),
      await p.run(['validate'], SECRETS),
    ];
    const text = everything(...outputs) + (await p.stateText());
    for (const secret of [...Object.values(SECRETS), 'emulator:fail-Sup3r-beta', API_KEY, 'ops@acme.test', 'proxyuser']) {
      expect(text).not.toContain(secret);
    }
  });

  it('speaks the older API generation, and fails a one-time code clearly where there is no terminal', async () => {
    project = await Project.create({ legacyApi: true });
    const p = project;
    await p.file('acme.auth-session.json', session({ username: 'u', password: '${env:ACME_PASSWORD}' }));
    expect((await p.run(['apply', '--api-generation', 'legacy'], SECRETS)).code).toBe(0);
    const update = await p.run(['apply', '--api-generation', 'legacy'], { ...SECRETS, ACME_PASSWORD: 'changed-password-1' });
    expect(update.code).toBe(0);
    expect(p.emulator.requests.some((request) => request.method === 'POST' && request.path.endsWith('/auth-sessions/update'))).toBe(true);

    await p.file('otp.auth-session.json', session({ username: 'u', code: 'emulator:otp' }));
    const otp = await p.run(['apply'], { ...SECRETS, ACME_PASSWORD: 'changed-password-1', INTUNED_API_GENERATION: 'legacy' });
    expect(otp.code).toBe(1);
    expect(otp.stdout + otp.stderr).toContain('there is no terminal to ask');
  });

  it('keeps the JSON document and the text whole when a secret is a short common word', async () => {
    project = await Project.create();
    const p = project;
    await p.file('ops-team.auth-session.json', session({ username: 'ops', password: '${env:OPS_PASSWORD}' }));
    expect((await p.run(['apply'], { OPS_PASSWORD: 'first' })).code).toBe(0);
    for (const value of ['true', 'changed', 'ops']) {
      const json = await p.run(['plan', '--output', 'json'], { OPS_PASSWORD: value });
      expect(JSON.parse(json.stdout)).toMatchObject({ formatVersion: 1, changes: [{ id: 'ops-team', action: 'update', reason: 'parameters changed: password' }] });
      const text = await p.run(['plan'], { OPS_PASSWORD: value });
      expect(text.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete');
    }
  });

  it('prints a JSON document on failure too, with the file problems', async () => {
    project = await Project.create();
    await project.file('acme.auth-session.json', session({ password: '${env:UNSET_PASSWORD}' }));
    const result = await project.run(['plan', '--output', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      formatVersion: 1,
      error: { problems: [{ file: 'intuned-resources/auth-sessions/acme.auth-session.json', message: expect.stringContaining('UNSET_PASSWORD is not set') }] },
    });
  });

  it('says which settings are missing', async () => {
    project = await Project.create();
    const result = await project.run(['plan'], { INTUNED_API_KEY: '', INTUNED_PROJECT: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the API key: INTUNED_API_KEY (environment only, never a flag)');
    expect(result.stderr).toContain('the project: --project or INTUNED_PROJECT');
  });
});

