import { afterEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/render/markdown.js';
import { API_KEY, Fixture, mergedPull, prEvent, pushEvent, SECRETS, session, sha, TOKEN, type Workspace } from './harness.js';

let fixture: Fixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const MERGE = sha('merge commit of #21');
const HEAD = sha('last commit of #21');

/**
 * acme, beta and gamma applied by a direct push; then pull request #21 changes acme's
 * username, and its plan comment shows one update.
 */
let planOutput: string | undefined;

async function reviewedPullRequest(inputs: Record<string, string> = {}): Promise<Workspace> {
  fixture = await Fixture.create();
  const workspace = await fixture.origin.clone();
  await workspace.file('acme.auth-session.json', session({ username: 'acme', password: '${env:ACME_PASSWORD}' }));
  await workspace.file('beta.auth-session.json', session({ username: 'beta', password: '${env:BETA_PASSWORD}' }));
  await workspace.file('gamma.auth-session.json', session({ username: 'gamma' }));
  expect((await fixture.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: sha('first') } })).result).toEqual({ flow: 'apply' });

  await workspace.file('acme.auth-session.json', session({ username: 'acme-2', password: '${env:ACME_PASSWORD}' }));
  const plan = await fixture.run({ workspace, event: prEvent({ number: 21, headSha: HEAD }), inputs });
  expect(plan.result).toEqual({ flow: 'plan' });
  planOutput = plan.io.outputs.plan;
  mergedPull(fixture.github, 21, MERGE, [HEAD]);
  return workspace;
}

function changesSince(from: number): string[] {
  return fixture!.emulator.requests.slice(from).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);
}

function comparison(outputs: Record<string, string>) {
  return JSON.parse(outputs['plan-comparison']!) as { matches: boolean; refused: boolean; unseenDeletes: { id: string }[]; differences: string[]; note?: string };
}

describe('pinned plans: the push after a merge applies the reviewed plan', () => {
  it('shows the digest and the changes in the comment, hidden, with no secret', async () => {
    await reviewedPullRequest();
    const [comment] = fixture!.github.comments(21);
    expect(comment!.body.startsWith(COMMENT_MARKER)).toBe(true);
    const data = /<!-- intuned-gitops:plan-data ([\w-]+) -->$/m.exec(comment!.body);
    expect(JSON.parse(Buffer.from(data![1]!, 'base64url').toString('utf8'))).toEqual({ v: 1, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), commit: HEAD, listed: 'all', changes: [['auth-session', 'acme', 'update', expect.stringMatching(/^[0-9a-f]{16}$/)]] });
    for (const secret of [API_KEY, TOKEN, ...Object.values(SECRETS)]) expect(comment!.body).not.toContain(secret);
    // The same digest as the plan document (the `plan` output, `--output json`).
    expect(JSON.parse(Buffer.from(data![1]!, 'base64url').toString('utf8')).digest).toBe(JSON.parse(planOutput!).digest);
  });

  it('applies a merged pull request whose reviewed plan matches, and says so', async () => {
    const workspace = await reviewedPullRequest();
    const { result, io } = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: MERGE } });
    expect(result).toEqual({ flow: 'apply' });
    expect(fixture!.githubCalls().slice(-2)).toEqual([`GET /repos/acme/sessions/commits/${MERGE}/pulls?per_page=100`, 'GET /repos/acme/sessions/issues/21/comments?per_page=100']);
    expect(io.summaries[0]).toContain('✅ This is the plan reviewed in [pull request #21](https://github.com/acme/sessions/pull/21) (digest');
    expect(comparison(io.outputs)).toMatchObject({ matches: true, refused: false, differences: [] });
    expect(io.outputs).toMatchObject({ updated: '1', deleted: '0', failed: '0' });
  });

  it('refuses a plan that gained a delete since the review, before any request that changes Intuned, and names it', async () => {
    const workspace = await reviewedPullRequest();
    // On the base branch since the review: a commit removed gamma's file (its own apply never ran).
    await workspace.remove('gamma.auth-session.json');
    const stateBefore = await fixture!.origin.commits();
    const before = fixture!.emulator.requests.length;

    const { result, io } = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: MERGE } });
    expect(result.flow).toBe('apply');
    expect(result.failure).toBe(
      'the plan deletes 1 AuthSession(s) that the reviewed plan (pull request #21) did not show: gamma; nothing was sent to Intuned. Open a pull request whose plan shows them, apply by hand (workflow_dispatch with mode: apply), or set plan-mismatch: warn.',
    );
    expect(changesSince(before)).toEqual([]);
    expect(fixture!.emulator.sessions().map((s) => s.id).sort()).toEqual(['acme', 'beta', 'gamma']);
    expect(await fixture!.origin.commits()).toEqual(stateBefore);
    const summary = io.summaries[0]!;
    expect(summary).toContain('**⛔ Not applied: this plan deletes what the reviewed plan did not show.** It would update 1 and delete 1 AuthSessions.');
    expect(summary).toContain('⛔ **Refused: this plan deletes 1 AuthSession that the plan reviewed in [pull request #21](https://github.com/acme/sessions/pull/21) did not show.** Nothing was sent to Intuned.');
    expect(summary).toContain('- 🗑️ delete `gamma`: not in the reviewed plan');
    expect(comparison(io.outputs)).toMatchObject({ matches: false, refused: true, unseenDeletes: [{ id: 'gamma' }], differences: ['delete gamma: not in the reviewed plan'] });
    expect(io.outputs).toMatchObject({ 'has-changes': 'true', deleted: '1', failed: '0' });
  });

  it('with plan-mismatch: warn, applies the unseen delete and says so', async () => {
    const workspace = await reviewedPullRequest();
    await workspace.remove('gamma.auth-session.json');
    const { result, io } = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: MERGE }, inputs: { 'plan-mismatch': 'warn' } });
    expect(result).toEqual({ flow: 'apply' });
    expect(fixture!.emulator.sessions().map((s) => s.id).sort()).toEqual(['acme', 'beta']);
    expect(io.summaries[0]).toMatch(/\*\*Apply complete: 0 created, 1 updated, 1 deleted\b/);
    expect(io.summaries[0]).toContain('⚠️ **Applied with 1 delete that the plan reviewed in [pull request #21](https://github.com/acme/sessions/pull/21) did not show** (`plan-mismatch: warn`).');
    expect(comparison(io.outputs)).toMatchObject({ refused: false, unseenDeletes: [{ id: 'gamma' }] });
    expect(io.events).toContainEqual({ type: 'info', message: expect.stringContaining('  - delete gamma: not in the reviewed plan') });
  });

  it('finds a squash-merged pull request by its merge commit, and lists a create more without refusing it', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await workspace.file('acme.auth-session.json', session({ username: 'acme' }));
    await fixture.run({ workspace, event: prEvent({ number: 22, headSha: sha('second commit of #22') }) });
    // Squashed: the commit on main is none of the pull request's own.
    const squash = sha('squash of #22');
    mergedPull(fixture.github, 22, squash, [sha('first commit of #22'), sha('second commit of #22')]);
    await workspace.file('delta.auth-session.json', session({ username: 'delta' }));

    const { result, io } = await fixture.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: squash } });
    expect(result).toEqual({ flow: 'apply' });
    expect(fixture.emulator.sessions().map((s) => s.id).sort()).toEqual(['acme', 'delta']);
    expect(comparison(io.outputs)).toMatchObject({ matches: false, refused: false, differences: ['create delta: not in the reviewed plan'] });
    expect(io.summaries[0]).toContain('⚠️ This plan differs from the one reviewed in [pull request #22](https://github.com/acme/sessions/pull/22); it was applied.');
    expect(io.summaries[0]).toContain('- create `delta`: not in the reviewed plan');
  });

  it('applies a direct push as before, deletes included, and says there was no pull request', async () => {
    const workspace = await reviewedPullRequest();
    await workspace.remove('gamma.auth-session.json');
    const direct = sha('pushed straight to main');
    // An open pull request that holds the same commit did not bring it to main.
    fixture!.github.pulls.push({ number: 30, commits: [direct] });
    const { result, io } = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: direct } });
    expect(result).toEqual({ flow: 'apply' });
    expect(fixture!.emulator.sessions().map((s) => s.id).sort()).toEqual(['acme', 'beta']);
    expect(io.summaries[0]).toContain(`Direct push: no pull request brought commit ${direct.slice(0, 7)}, so there is no reviewed plan to compare with; applied as before.`);
    expect(io.outputs['plan-comparison']).toBeUndefined();
  });

  it('says when the comment shows the plan of an older commit than the one merged', async () => {
    const workspace = await reviewedPullRequest();
    // A last commit removed gamma's file, and the pull request was merged before its plan ran.
    const last = sha('late commit of #21');
    fixture!.github.pulls[0]!.commits.push(last);
    await workspace.remove('gamma.auth-session.json');
    const { result, io } = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: MERGE } });
    expect(result.failure).toMatch(/did not show: gamma;/);
    const note = `The comment on pull request #21 shows the plan of commit ${HEAD.slice(0, 7)}, not of its last commit ${last.slice(0, 7)} (whose plan had not run when it was merged).`;
    expect(comparison(io.outputs).note).toBe(note);
    expect(io.summaries[0]).toContain(note);
  });

  it('refuses a delete from a merged pull request that showed no plan, and says why', async () => {
    const workspace = await reviewedPullRequest({ comment: 'false' });
    await workspace.remove('gamma.auth-session.json');
    const { result, io } = await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: MERGE } });
    expect(result.failure).toMatch(/^the plan deletes 1 AuthSession\(s\) that the reviewed plan \(pull request #21\) did not show: gamma;/);
    expect(comparison(io.outputs).note).toBe('pull request #21 has no plan comment from intuned-gitops for this project, so no change was reviewed.');
    expect(io.summaries[0]).toContain('pull request #21 has no plan comment from intuned-gitops for this project');
    expect(fixture!.emulator.sessions().map((s) => s.id).sort()).toEqual(['acme', 'beta', 'gamma']);
  });
});
