import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

const SECRETS = { ACME_PASSWORD: 'Sup3r-Secret-acme-pw', ACME_PASSWORD_2: 'Sup3r-Secret-acme-pw-2' };
let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

/** acme, beta and gamma applied; then acme's password changes: the plan to review updates acme. */
async function reviewed(): Promise<{ p: Project; file: string; digest: string }> {
  project = await Project.create();
  const p = project;
  await p.file('acme.auth-session.json', session({ username: 'acme', password: '${env:ACME_PASSWORD}' }));
  await p.file('beta.auth-session.json', session({ username: 'beta' }));
  await p.file('gamma.auth-session.json', session({ username: 'gamma' }));
  expect((await p.run(['apply'], SECRETS)).code).toBe(0);
  await p.file('acme.auth-session.json', session({ username: 'acme', password: '${env:ACME_PASSWORD_2}' }));
  const plan = await p.run(['plan', '--output', 'json'], SECRETS);
  expect(plan.code).toBe(0);
  const file = join(p.dir, 'reviewed-plan.json');
  await writeFile(file, plan.stdout);
  return { p, file, digest: JSON.parse(plan.stdout).digest };
}

function changes(p: Project, from: number): string[] {
  return p.emulator.requests.slice(from).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);
}

describe('intuned-gitops reconcile --expect-plan', () => {
  it('applies the reviewed plan when it is the same, and says so', async () => {
    const { p, file, digest } = await reviewed();
    const apply = await p.run(['reconcile', '--expect-plan', file], SECRETS);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toContain(`Compared with the reviewed plan (${file}): it is the same plan (${digest}).`);
    expect(p.starts('update')).toEqual({ acme: 1 });
  });

  it('refuses a plan with a delete the reviewed plan did not show, before sending anything', async () => {
    const { p, file } = await reviewed();
    await p.remove('gamma.auth-session.json');
    const before = p.emulator.requests.length;
    const refused = await p.run(['reconcile', '--expect-plan', file], SECRETS);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('  - delete gamma: not in the reviewed plan');
    expect(refused.stderr).toContain(`error: the plan deletes 1 AuthSession(s) that the reviewed plan (${file}) did not show: gamma; nothing was sent to Intuned.`);
    expect(changes(p, before)).toEqual([]);
    expect(p.emulator.sessions().map((s) => s.id).sort()).toEqual(['acme', 'beta', 'gamma']);
    // A dry-run refuses it too: the plan is not the one reviewed.
    expect((await p.run(['plan', '--expect-plan', file], SECRETS)).code).toBe(1);
  });

  it('lists a create more, applies it, and keeps the JSON document on stdout alone', async () => {
    const { p, file } = await reviewed();
    await p.file('delta.auth-session.json', session({ username: 'delta' }));
    const apply = await p.run(['reconcile', '--expect-plan', file, '--output', 'json'], SECRETS);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toContain('1 difference.\n  - create delta: not in the reviewed plan');
    expect(JSON.parse(apply.stdout)).toMatchObject({ mode: 'apply', failed: false });
    expect(p.starts('create')).toMatchObject({ delta: 1 });
  });

  it('names a file that is not a JSON plan', async () => {
    const { p } = await reviewed();
    const bad = join(p.dir, 'not-a-plan.json');
    await writeFile(bad, '{"formatVersion":1,"changes":[]}');
    const result = await p.run(['reconcile', '--expect-plan', bad], SECRETS);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--expect-plan ${bad}: it has no plan digest; give the file \`intuned-gitops plan --output json\` wrote`);
  });
});

describe('a plan refused by --expect-plan, in every output format', () => {
  it('says it was refused in the JSON document, with the unseen deletes', async () => {
    const { p, file } = await reviewed();
    await p.remove('gamma.auth-session.json');
    const refused = await p.run(['apply', '--expect-plan', file, '--output', 'json'], SECRETS);
    expect(refused.code).toBe(1);
    const document = JSON.parse(refused.stdout);
    expect(document.refused).toEqual({
      reason: expect.stringContaining(`the plan deletes 1 AuthSession(s) that the reviewed plan (${file}) did not show: gamma; nothing was sent to Intuned.`),
      unseenDeletes: [{ kind: 'auth-session', id: 'gamma' }],
    });
    expect(document.mode).toBe('plan');
  });

  it('shows a refusal block in markdown and a refusal line in text', async () => {
    const { p, file } = await reviewed();
    await p.remove('gamma.auth-session.json');
    const markdown = await p.run(['apply', '--expect-plan', file, '--output', 'markdown'], SECRETS);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('> ⛔ Refused: the plan deletes 1 AuthSession(s) that the reviewed plan');
    expect(markdown.stdout).not.toContain('No changes');
    const text = await p.run(['apply', '--expect-plan', file], SECRETS);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('This plan will not be applied: the plan deletes 1 AuthSession(s) that the reviewed plan');
  });
});
