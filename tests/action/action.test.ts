import { afterEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/render/markdown.js';
import { FAIL_MARKER } from '../../src/emulator/index.js';
import { gitStateBackend } from '../../src/state/git.js';
import type { StateBackend } from '../../src/state/types.js';
import { API_KEY, Fixture, git, prEvent, pushEvent, SECRETS, session, STATE_BRANCH, TOKEN, type Workspace } from './harness.js';

let fixture: Fixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function standard(workspace: Workspace): Promise<void> {
  await workspace.file('acme.auth-session.jsonc', `// the CRM login\n{ "parameters": { "username": "ops@acme.test", "password": "\${env:ACME_PASSWORD}" }, }`);
  await workspace.file('team/beta.auth-session.json', session({ username: 'beta-bot', password: '${env:BETA_PASSWORD}' }));
}

function expectNoSecret(text: string): void {
  for (const secret of [API_KEY, TOKEN, ...Object.values(SECRETS)]) expect(text).not.toContain(secret);
}

describe('the Action on pull requests', () => {
  it('keeps one plan comment, found among all pages and edited in place, and masks every secret first', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await standard(workspace);
    for (let index = 0; index < 130; index += 1) fixture.github.seed(7, `review remark ${index}`);

    const first = await fixture.run({ workspace, event: prEvent({ number: 7 }) });
    expect(first.result).toEqual({ flow: 'plan' });
    const created = fixture.github.comments(7).filter((comment) => comment.body.startsWith(COMMENT_MARKER));
    expect(created).toHaveLength(1);
    const body = created[0]!.body;
    expect(body).toContain('**Merging will create 2 AuthSessions.**');
    expect(body).toContain('<sub>intuned-gitops 0.1.0 · commit a1b2c3d · [workflow run](https://github.com/acme/sessions/actions/runs/4242)</sub>');
    expect(first.io.summaries).toEqual([body]);
    expect(first.io.outputs).toMatchObject({ 'has-changes': 'true', created: '2', updated: '0', deleted: '0', skipped: '0', failed: '0' });
    expect(JSON.parse(first.io.outputs.plan!).changes.map((change: { id: string; action: string }) => `${change.id} ${change.action}`)).toEqual(['acme create', 'beta create']);
    expect(fixture.emulator.requests.filter((request) => request.method !== 'GET')).toEqual([]);

    // Masks are registered before anything else is printed, and cover the files' ${env:} values.
    const firstPrinted = first.io.events.findIndex((event) => event.type !== 'secret');
    const masked = first.io.events.filter((event) => event.type === 'secret').map((event) => event.value);
    expect(first.io.events.slice(0, 2)).toEqual([{ type: 'secret', value: API_KEY }, { type: 'secret', value: TOKEN }]);
    expect(first.io.events.slice(firstPrinted).some((event) => event.type === 'secret' && event.value === SECRETS.ACME_PASSWORD)).toBe(false);
    expect(masked).toEqual(expect.arrayContaining([API_KEY, TOKEN, SECRETS.ACME_PASSWORD, SECRETS.BETA_PASSWORD]));
    expectNoSecret(first.io.printed() + body);

    await workspace.file('team/beta.auth-session.json', session({ username: 'beta-bot-2', password: '${env:BETA_PASSWORD}' }));
    fixture.github.requests.length = 0;
    const second = await fixture.run({ workspace, event: prEvent({ number: 7, headSha: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890' }) });
    expect(second.result).toEqual({ flow: 'plan' });
    expect(fixture.githubCalls()).toEqual([
      'GET /repos/acme/sessions/issues/7/comments?per_page=100',
      'GET /repos/acme/sessions/issues/7/comments?per_page=100&page=2',
      `PATCH /repos/acme/sessions/issues/comments/${created[0]!.id}`,
    ]);
    expect(fixture.github.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
    const edited = fixture.github.comments(7).filter((comment) => comment.body.startsWith(COMMENT_MARKER));
    expect(edited.map((comment) => comment.id)).toEqual([created[0]!.id]);
    expect(edited[0]!.body).toContain('commit b2c3d4e');

    expect((await fixture.run({ workspace, event: pushEvent() })).result).toEqual({ flow: 'apply' });
    const third = await fixture.run({ workspace, event: prEvent({ number: 7 }) });
    expect(third.io.outputs['has-changes']).toBe('false');
    const settled = fixture.github.comments(7).filter((comment) => comment.body.startsWith(COMMENT_MARKER));
    expect(settled.map((comment) => comment.id)).toEqual([created[0]!.id]);
    expect(settled[0]!.body).toContain('**No changes.** Merging this pull request changes nothing in Intuned.');
  });

  it('turns file problems into annotations and replaces the last plan with them', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    const project = workspace.project('infra');
    await project.file('acme.auth-session.json', session({ username: 'ops', password: '${env:ACME_PASSWORD}' }));
    const inputs = { directory: 'infra' };
    await fixture.run({ workspace, event: prEvent({ number: 3 }), inputs });

    await project.file('acme.auth-session.json', '{\n  "parameters": { "username": "ops" },\n  "paramters": {}\n}\n');
    const broken = await fixture.run({ workspace, event: prEvent({ number: 3 }), inputs });
    expect(broken.result.failure).toMatch(/1 problem in 1 file; nothing was sent to Intuned/);
    expect(broken.io.annotations).toEqual([
      { message: expect.stringContaining('paramters'), annotation: { file: 'infra/intuned-resources/auth-sessions/acme.auth-session.json', startLine: 3, startColumn: 3, title: 'intuned-gitops' } },
    ]);
    const comments = fixture.github.comments(3);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('**❌ No plan: 1 problem in 1 file.**');
    expect(comments[0]!.body).toContain('`infra/intuned-resources/auth-sessions/acme.auth-session.json:3:3`');
    expect(comments[0]!.body).not.toContain('Merging will create');
  });

  it('validates a fork without secrets and says in the comment why no plan ran', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await standard(workspace);
    const fork = { event: prEvent({ number: 9, headRepo: 'mallory/sessions' }), inputs: { 'api-key': '' }, env: { ACME_PASSWORD: undefined, BETA_PASSWORD: undefined } };

    const valid = await fixture.run({ workspace, ...fork });
    expect(valid.result).toEqual({ flow: 'validate' });
    expect(fixture.emulator.requests).toEqual([]);
    const [comment] = fixture.github.comments(9);
    expect(comment!.body).toContain('**No plan ran:** this pull request comes from the fork `mallory/sessions`.');
    expect(comment!.body).toContain('✅ **The files are valid:** 2 AuthSessions in 2 files (checked offline).');
    expect(comment!.body).toContain('Not set here, so values using them were not checked: `ACME_PASSWORD`, `BETA_PASSWORD`.');
    expect(valid.io.outputs).toEqual({});

    // Even with the API key available (pull_request_target), a fork's files are only validated.
    await workspace.file('bad.auth-session.json', '{ "parameters": {}, "saveTrace": "yes" }');
    fixture.github.readOnlyTokens.add(TOKEN);
    const invalid = await fixture.run({ workspace, ...fork, inputs: {} });
    expect(invalid.result.flow).toBe('validate');
    expect(fixture.emulator.requests).toEqual([]);
    expect(invalid.result.failure).toMatch(/^1 problem\(s\) in 1 resource file\(s\); no plan ran \(this pull request comes from the fork mallory\/sessions\)$/);
    expect(invalid.io.annotations.map((item) => item.annotation?.file)).toEqual(['intuned-resources/auth-sessions/bad.auth-session.json']);
    expect(invalid.io.events).toContainEqual({ type: 'info', message: expect.stringMatching(/^could not write the pull request comment \(HTTP 403: Resource not accessible by integration.*expected/) });
    expect(invalid.io.summaries[0]).toContain('❌ **1 problem in 1 file**, found by checking the files offline:');
  });

  it('validates a pull request from the same repository when the api-key input is empty', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await standard(workspace);
    const { result } = await fixture.run({ workspace, event: prEvent({ number: 5 }), inputs: { 'api-key': '' } });
    expect(result).toEqual({ flow: 'validate' });
    expect(fixture.github.comments(5)[0]!.body).toContain('**No plan ran:** the `api-key` input is empty');
  });
});

describe('the Action on pushes', () => {
  it('applies, fills the outputs and writes the state branch with no secret, then changes nothing', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await standard(workspace);
    const head = await git(workspace.dir, 'rev-parse', 'HEAD');

    const { result, io } = await fixture.run({ workspace, event: pushEvent() });
    expect(result).toEqual({ flow: 'apply' });
    expect(io.outputs).toMatchObject({ 'has-changes': 'true', created: '2', updated: '0', deleted: '0', skipped: '0', failed: '0' });
    expect(JSON.parse(io.outputs.plan!)).toMatchObject({ mode: 'apply', failed: false });
    expect(io.summaries[0]).toMatch(/\*\*Apply complete: 2 created\b/);
    // A direct push: GitHub names no pull request for the commit.
    expect(fixture.githubCalls()).toEqual(['GET /repos/acme/sessions/commits/0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c/pulls?per_page=100']);
    expect(io.summaries[0]).toContain('Direct push: no pull request brought commit 0f1e2d3, so there is no reviewed plan to compare with; applied as before.');
    expect(fixture.emulator.sessions().map((s) => `${s.id} ${s.status}`).sort()).toEqual(['acme READY', 'beta READY']);

    const text = (await fixture.origin.state())!;
    expect(Object.keys(JSON.parse(text).sessions)).toEqual(['acme', 'beta']);
    expect(JSON.parse(text).sessions.acme.applied.session).toMatch(/^hmac-sha256:/);
    expectNoSecret(text + io.printed());
    const [commit] = await fixture.origin.commits();
    expect(await git(fixture.origin.path, 'log', '-1', '--format=%an <%ae>|%P|%s', commit!)).toBe('intuned-gitops <intuned-gitops@users.noreply.github.com>||intuned-gitops: state after 0f1e2d3');
    expect(await git(fixture.origin.path, 'ls-tree', '--name-only', commit!)).toBe('state.json');
    // The checkout is as it was: same HEAD, nothing in the work tree or the index.
    expect(await git(workspace.dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(await git(workspace.dir, 'status', '--porcelain', '--untracked-files=no')).toBe('');

    const again = await fixture.run({ workspace, event: pushEvent() });
    expect(again.io.outputs).toMatchObject({ 'has-changes': 'false', created: '0', failed: '0' });
    expect(await fixture.origin.commits()).toEqual([commit]);
  });

  it('speaks the older API generation when INTUNED_API_GENERATION says legacy, as the CLI does', async () => {
    fixture = await Fixture.create({ legacyApi: true });
    const workspace = await fixture.origin.clone();
    await standard(workspace);
    const env = { INTUNED_API_GENERATION: 'legacy' };
    expect((await fixture.run({ workspace, event: pushEvent(), env })).result).toEqual({ flow: 'apply' });
    const changed = await fixture.run({ workspace, event: pushEvent(), env: { ...env, ACME_PASSWORD: 'changed-password-1' } });
    expect(changed.result).toEqual({ flow: 'apply' });
    expect(changed.io.outputs).toMatchObject({ updated: '1', failed: '0' });
    expect(fixture.emulator.requests.some((request) => request.method === 'POST' && request.path.endsWith('/auth-sessions/update'))).toBe(true);
  });

  it('fails the job when an operation fails, and records the failure for the next run', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await standard(workspace);
    await workspace.file('gamma.auth-session.json', session({ username: 'g', password: `wrong ${FAIL_MARKER}` }));

    const { result, io } = await fixture.run({ workspace, event: pushEvent() });
    expect(result.failure).toBe('1 operation failed (create gamma: Login check failed: the credentials were rejected). The state records them, so the next run retries them.');
    expect(io.failed).toBe(result.failure);
    expect(io.outputs).toMatchObject({ created: '2', failed: '1' });
    expect(JSON.parse((await fixture.origin.state())!).sessions.gamma.operation).toMatchObject({ kind: 'create', status: 'failed' });
  });

  it('converges two concurrent pushes through the compare-and-swap retry', async () => {
    fixture = await Fixture.create();
    const [first, second] = [await fixture.origin.clone(), await fixture.origin.clone()];
    await first.file('alpha.auth-session.json', session({ username: 'alpha', password: '${env:ACME_PASSWORD}' }));
    await second.file('beta.auth-session.json', session({ username: 'beta', password: '${env:BETA_PASSWORD}' }));
    // Both runs read the (absent) state before either pushes: one of the pushes must lose.
    const bothFinishing = barrier(2);
    const openState = async (spec: string, dir: string): Promise<StateBackend> => {
      const backend = gitStateBackend({ branch: STATE_BRANCH, dir, spec });
      return {
        description: backend.description,
        read: () => backend.read(),
        write: (document) => backend.write(document),
        finish: async (document) => {
          await bothFinishing();
          await backend.finish!(document);
        },
      };
    };

    const runs = await Promise.all([first, second].map((workspace) => fixture!.run({ workspace, event: pushEvent(), openState })));
    expect(runs.map((run) => run.result)).toEqual([{ flow: 'apply' }, { flow: 'apply' }]);
    const final = JSON.parse((await fixture.origin.state())!);
    expect(Object.keys(final.sessions)).toEqual(['alpha', 'beta']);
    expect(final.sessions.alpha.applied).toBeDefined();
    expect(final.sessions.beta.applied).toBeDefined();
    // The loser's commit sits on the winner's: a linear history with the winner's state first.
    const [last, winner] = await fixture.origin.commits();
    expect(await git(fixture.origin.path, 'rev-parse', `${last}^`)).toBe(winner);
    expect(Object.keys(JSON.parse(await git(fixture.origin.path, 'show', `${winner}:state.json`)).sessions)).toHaveLength(1);
  });
});

describe('the Action with other events', () => {
  it('asks for a mode when the event implies none', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    const { result } = await fixture.run({ workspace, event: { name: 'repository_dispatch', payload: {} } });
    expect(result).toEqual({ flow: 'none', failure: 'the repository_dispatch event implies no mode: set the mode input to plan, apply or drift' });
  });
});

function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived === parties) release();
    await all;
  };
}
