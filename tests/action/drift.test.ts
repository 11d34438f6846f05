import { afterEach, describe, expect, it } from 'vitest';
import { createIntunedClient } from '../../src/api/client.js';
import { DRIFT_LABEL, DRIFT_MARKER } from '../../src/action/drift.js';
import { API_KEY, Fixture, PROJECT, prEvent, SECRETS, session, sha, TOKEN, WORKSPACE_ID, pushEvent, type Workspace } from './harness.js';

let fixture: Fixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const NIGHTLY = { name: 'schedule', payload: { schedule: '0 2 * * *' } };
const night = (day: number) => new Date(Date.UTC(2026, 11, day, 2, 0, 7));

async function applied(): Promise<Workspace> {
  fixture = await Fixture.create();
  const workspace = await fixture.origin.clone();
  await workspace.file('acme.auth-session.json', session({ username: 'acme', password: '${env:ACME_PASSWORD}' }));
  await workspace.file('beta.auth-session.json', session({ username: 'beta', password: '${env:BETA_PASSWORD}' }));
  expect((await fixture.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: sha('main') } })).result).toEqual({ flow: 'apply' });
  return workspace;
}

/** Someone deletes a session in the dashboard. */
async function deleteInDashboard(id: string): Promise<void> {
  const client = createIntunedClient({ baseUrl: fixture!.emulator.url, apiKey: API_KEY, workspaceId: WORKSPACE_ID, project: PROJECT });
  await client.deleteAuthSession(id);
  await client.close();
}

function everythingOnGitHub(): string {
  return [...fixture!.github.issues.map((issue) => issue.title + issue.body), ...fixture!.github.issues.flatMap((issue) => fixture!.github.comments(issue.number).map((comment) => comment.body))].join('\n');
}

describe('drift mode', () => {
  it('opens one issue on a drifted project, edits it on the next night, and closes it once back in sync', async () => {
    const workspace = await applied();
    // Left alone: a person's issue with the label, and a pull request (GitHub lists both as issues).
    fixture!.github.issues.push({ number: 90, title: 'about drift', body: 'we should look at drift', labels: [DRIFT_LABEL], state: 'open' });
    fixture!.github.issues.push({ number: 91, title: 'a pull request', body: `${DRIFT_MARKER}\nquoted`, labels: [DRIFT_LABEL], state: 'open', pullRequest: true });
    await deleteInDashboard('acme');
    const before = fixture!.emulator.requests.length;

    const first = await fixture!.run({ workspace, event: NIGHTLY, now: night(3) });
    expect(first.result).toEqual({ flow: 'drift' });
    expect(fixture!.emulator.requests.slice(before).every((request) => request.method === 'GET')).toBe(true);
    const opened = fixture!.github.issues.filter((issue) => issue.body.startsWith(DRIFT_MARKER) && !issue.pullRequest);
    expect(opened).toHaveLength(1);
    const issue = opened[0]!;
    expect(issue).toMatchObject({ title: 'Intuned AuthSessions drift', labels: [DRIFT_LABEL], state: 'open' });
    expect(issue.body).toContain('## Intuned AuthSessions drift');
    expect(issue.body).toContain('**Intuned differs from the files: applying them would create 1 AuthSession.** Seen 2026-12-03 02:00 UTC.');
    expect(issue.body).toMatch(/\| ➕ \| `acme` \| create \| missing in Intuned \(deleted outside intuned-gitops\); creating again \|/);
    expect(first.io.outputs).toMatchObject({ 'has-changes': 'true', created: '1', 'drift-issue': String(issue.number) });
    expect(first.io.summaries[0]).toContain('**Intuned differs from the files: applying them would create 1 AuthSession.**');

    // The next night it has drifted further: beta's secret was rotated and not applied.
    const rotated = { BETA_PASSWORD: 'Sup3r-Secret-beta-pw-rotated' };
    fixture!.github.requests.length = 0;
    const second = await fixture!.run({ workspace, event: NIGHTLY, now: night(4), env: rotated });
    expect(second.result).toEqual({ flow: 'drift' });
    expect(fixture!.githubCalls()).toEqual([`GET /repos/acme/sessions/issues?labels=${DRIFT_LABEL}&state=open&per_page=100`, `PATCH /repos/acme/sessions/issues/${issue.number}`]);
    expect(fixture!.github.issues.filter((item) => item.body.startsWith(DRIFT_MARKER) && !item.pullRequest)).toHaveLength(1);
    expect(issue.body).toContain('**Intuned differs from the files: applying them would create 1 and update 1 AuthSessions.** First seen 2026-12-03 02:00 UTC; last seen 2026-12-04 02:00 UTC.');
    expect(issue.body).toMatch(/\| 🔄 \| `beta` \| update \| parameters changed: password \|/);

    // Fixed: the files are applied, and the next night finds nothing to do.
    expect((await fixture!.run({ workspace, event: pushEvent(), env: { ...rotated, GITHUB_SHA: sha('main again') } })).result).toEqual({ flow: 'apply' });
    const third = await fixture!.run({ workspace, event: NIGHTLY, now: night(5), env: rotated });
    expect(third.result).toEqual({ flow: 'drift' });
    expect(issue).toMatchObject({ state: 'closed', stateReason: 'completed' });
    const [closing] = fixture!.github.comments(issue.number);
    expect(closing!.body).toMatch(/^✅ \*\*Back in sync\*\* at 2026-12-05 02:00 UTC: the plan has no changes, so this issue is closed\./);
    expect(third.io.outputs).toMatchObject({ 'has-changes': 'false', 'drift-issue': String(issue.number) });
    expect(fixture!.github.issues.find((item) => item.number === 90)).toMatchObject({ state: 'open', body: 'we should look at drift' });

    // Nothing open and nothing drifted: no request that writes.
    fixture!.github.requests.length = 0;
    await fixture!.run({ workspace, event: NIGHTLY, now: night(6), env: rotated });
    expect(fixture!.githubCalls()).toEqual([`GET /repos/acme/sessions/issues?labels=${DRIFT_LABEL}&state=open&per_page=100`]);

    const text = everythingOnGitHub() + first.io.printed() + second.io.printed() + third.io.printed();
    for (const secret of [API_KEY, TOKEN, ...Object.values(SECRETS), rotated.BETA_PASSWORD]) expect(text).not.toContain(secret);
  });

  it('opens a new issue when drift comes back after the last one was closed', async () => {
    const workspace = await applied();
    await deleteInDashboard('beta');
    await fixture!.run({ workspace, event: NIGHTLY, now: night(3) });
    await fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_SHA: sha('fix') } });
    await fixture!.run({ workspace, event: NIGHTLY, now: night(4) });
    await deleteInDashboard('beta');
    await fixture!.run({ workspace, event: NIGHTLY, now: night(5) });
    expect(fixture!.github.issues.map((issue) => `${issue.number} ${issue.state}`)).toEqual(['500 closed', '501 open']);
    expect(fixture!.github.issues[1]!.body).toContain('Seen 2026-12-05 02:00 UTC.');
  });

  it("run on a pull request's event, keeps the drift issue and leaves the plan comment alone", async () => {
    const workspace = await applied();
    await deleteInDashboard('acme');
    const { result } = await fixture!.run({ workspace, event: prEvent({ number: 8 }), inputs: { mode: 'drift' }, now: night(3) });
    expect(result).toEqual({ flow: 'drift' });
    expect(fixture!.github.comments(8)).toEqual([]);
    expect(fixture!.github.issues).toHaveLength(1);
  });

  it('fails the step with the permission to add when the issue cannot be written', async () => {
    const workspace = await applied();
    await deleteInDashboard('acme');
    fixture!.github.readOnlyTokens.add(TOKEN);
    const { result } = await fixture!.run({ workspace, event: { name: 'workflow_dispatch', payload: {} }, now: night(3) });
    expect(result).toEqual({ flow: 'drift', failure: 'could not keep the drift issue (HTTP 403: Resource not accessible by integration); the workflow needs `permissions: issues: write`' });
  });
});
