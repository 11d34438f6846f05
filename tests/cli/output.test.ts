/**
 * The output contract through the built CLI: whatever fails, `--output json` puts the error
 * document on stdout and `--output markdown` an error block; `pending` and the exit code of
 * `--detailed-exitcode` say the same thing; `apply > file` keeps the plan and the results.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Project, collect } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';
import { waitFor } from '../helpers/locks.js';

let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

async function withSession(): Promise<Project> {
  project = await Project.create();
  await project.file('acme.auth-session.json', session({ username: 'ops' }));
  return project;
}

/** The one document on stdout, and that it is the error document of SPEC/README. */
function errorDocument(stdout: string): { formatVersion: number; error: { message: string; problems?: unknown[] } } {
  const document = JSON.parse(stdout);
  expect(Object.keys(document).sort()).toEqual(['error', 'formatVersion']);
  expect(document.formatVersion).toBe(1);
  expect(typeof document.error.message).toBe('string');
  return document;
}

describe('--output json on failure: the error document on stdout', () => {
  it('for a usage error (an unknown flag)', async () => {
    const p = await withSession();
    const result = await p.run(['plan', '--output', 'json', '--frobnicate']);
    expect(result.code).toBe(1);
    expect(errorDocument(result.stdout).error.message).toContain('frobnicate');
    expect(result.stderr).toContain('error:');
  });

  it('for a usage error given as --output=json', async () => {
    const p = await withSession();
    const result = await p.run(['apply', '--output=json', '--frobnicate']);
    expect(result.code).toBe(1);
    expect(errorDocument(result.stdout).error.message).toContain('frobnicate');
  });

  it('for a usage error of --output itself (given twice)', async () => {
    const p = await withSession();
    const result = await p.run(['plan', '--output', 'text', '--output', 'json']);
    expect(result.code).toBe(1);
    expect(errorDocument(result.stdout).error.message).toContain('--output was given more than once');
  });

  it('for a usage error of validate', async () => {
    const p = await withSession();
    const result = await p.run(['validate', '--output', 'json', '--frobnicate']);
    expect(result.code).toBe(1);
    expect(errorDocument(result.stdout).error.message).toContain('frobnicate');
  });

  it('for a settings error (no API key)', async () => {
    const p = await withSession();
    const result = await p.run(['plan', '--output', 'json'], { INTUNED_API_KEY: '' });
    expect(result.code).toBe(1);
    expect(errorDocument(result.stdout).error.message).toContain('INTUNED_API_KEY');
  });

  it('for a bad --timeout', async () => {
    const p = await withSession();
    for (const timeout of [['--timeout', '0'], ['--timeout', '-5s'], ['--timeout=-5s'], ['--timeout', 'soon']]) {
      const result = await p.run(['apply', '--output', 'json', ...timeout]);
      expect(result.code).toBe(1);
      expect(errorDocument(result.stdout).error.message).toMatch(/^--timeout .* a duration longer than zero/);
      expect(p.emulator.requests).toEqual([]);
    }
  });

  it('for a refused URL, saying what a URL looks like', async () => {
    const p = await withSession();
    const result = await p.run(['plan', '--output', 'json'], { INTUNED_API_URL: 'localhost:8080' });
    expect(result.code).toBe(1);
    const message = errorDocument(result.stdout).error.message;
    expect(message).toContain('localhost:8080');
    expect(message).toContain('https://app.intuned.io/api/v1/workspace');
    expect(message).toContain('http://127.0.0.1:8080/api/v1/workspace');
  });

  it('for an interrupt during an apply', async () => {
    project = await Project.create({ operationDurationMs: 5_000 });
    const p = project;
    await p.file('acme.auth-session.json', session({ username: 'ops' }));
    const child = p.spawn(['apply', '--output', 'json']);
    const done = collect(child);
    await waitFor(() => p.emulator.operations().length >= 1);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(1);
    expect(errorDocument(result.stdout).error.message).toMatch(/^interrupted: /);
  });
});

describe('URL help', () => {
  it('says what to check when the first list is answered 404', async () => {
    const p = await withSession();
    const result = await p.run(['plan'], { INTUNED_API_URL: new URL(p.emulator.url).origin });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/auth-sessions → HTTP 404.*; check that the API URL ends in \/api\/v1\/workspace \(INTUNED_API_URL\), the workspace ID \(INTUNED_WORKSPACE_ID\) and the project \(INTUNED_PROJECT\)\n$/);
  });
});

describe('--output markdown on failure: an error block on stdout', () => {
  it('for a settings error, naming each missing setting', async () => {
    const p = await withSession();
    const result = await p.run(['plan', '--output', 'markdown'], { INTUNED_API_KEY: '', INTUNED_PROJECT: '' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^### ❌ intuned-gitops failed\n\n> missing settings: the project: --project or INTUNED\\_PROJECT; /);
    expect(result.stdout).toContain('; the API key: INTUNED\\_API\\_KEY (environment only, never a flag)\n');
  });

  it('for a usage error', async () => {
    const p = await withSession();
    const result = await p.run(['plan', '--output', 'markdown', '--frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^### ❌ intuned-gitops failed\n\n> .*frobnicate/);
  });

  it('for file problems, one list item each', async () => {
    const p = await withSession();
    await p.file('beta.auth-session.json', session({ password: '${env:UNSET_PASSWORD}' }));
    const result = await p.run(['plan', '--output', 'markdown']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\n- `intuned-resources\/auth-sessions\/beta\.auth-session\.json:\d+:\d+` .*UNSET\\_PASSWORD is not set/);
  });
});

describe('pending and --detailed-exitcode agree', () => {
  it('counts a delete skipped while in use as pending, in a plan and after an apply, without calling it a change', async () => {
    const p = await withSession();
    await p.file('gamma.auth-session.json', session({ username: 'g' }));
    expect((await p.run(['apply'])).code).toBe(0);
    p.emulator.seedJob({ id: 'nightly-export', authSessionId: 'gamma', runs: [{ id: 'run-1', status: 'PENDING' }] });
    await p.remove('gamma.auth-session.json');

    const expectations: [string[], { code: number; hasChanges: boolean; pending: boolean }][] = [
      [['plan'], { code: 2, hasChanges: false, pending: true }],
      [['apply'], { code: 2, hasChanges: false, pending: true }],
    ];
    for (const [args, expected] of expectations) {
      const result = await p.run([...args, '--output', 'json', '--detailed-exitcode']);
      const document = JSON.parse(result.stdout);
      expect({ code: result.code, hasChanges: document.hasChanges, pending: document.pending }).toEqual(expected);
    }

    p.emulator.setJobRunStatus('nightly-export', 'run-1', 'SUCCESS');
    const plan = await p.run(['plan', '--output', 'json', '--detailed-exitcode']);
    expect({ code: plan.code, ...pick(JSON.parse(plan.stdout)) }).toEqual({ code: 2, hasChanges: true, pending: true });
    const apply = await p.run(['apply', '--output', 'json', '--detailed-exitcode']);
    expect({ code: apply.code, ...pick(JSON.parse(apply.stdout)) }).toEqual({ code: 0, hasChanges: true, pending: false });
    const after = await p.run(['plan', '--output', 'json', '--detailed-exitcode']);
    expect({ code: after.code, ...pick(JSON.parse(after.stdout)) }).toEqual({ code: 0, hasChanges: false, pending: false });
  });
});

describe('apply > file', () => {
  it('keeps the plan and every result on stdout, and live progress only on stderr', async () => {
    const p = await withSession();
    await p.file('beta.auth-session.json', session({ username: 'b' }));
    const result = await p.run(['apply']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/will perform these actions:[\s\S]*\+ create\s+acme[\s\S]*\+ create\s+beta/);
    expect(result.stdout).toMatch(/✓ create acme succeeded/);
    expect(result.stdout).toMatch(/✓ create beta succeeded/);
    expect(result.stdout).toContain('Apply complete: 2 created, 0 updated, 0 deleted, 0 skipped, 0 failed.');
    expect(result.stderr).not.toContain('will perform');
    expect(result.stderr).not.toContain('Apply complete');
    expect(result.stderr).toContain('create acme: started');
  });
});

function pick(document: { hasChanges: boolean; pending: boolean }): { hasChanges: boolean; pending: boolean } {
  return { hasChanges: document.hasChanges, pending: document.pending };
}

