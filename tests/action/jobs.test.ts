/**
 * The Action with job files: the PR comment and the outputs cover both kinds, the push applies
 * sessions then jobs and keeps their records on the state branch, and drift mode reports a job
 * changed in the dashboard. A job's sink token stays masked everywhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/render/markdown.js';
import { DRIFT_MARKER } from '../../src/action/drift.js';
import { API_KEY, Fixture, PROJECT, prEvent, pushEvent, session, sha, TOKEN, WORKSPACE_ID, type Workspace } from './harness.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const HOOK_TOKEN = 'Bearer hook-token-action-9c8b7a';
const ENV = { HOOK_TOKEN };

async function sessionAndJob(workspace: Workspace): Promise<void> {
  await workspace.file('acme.auth-session.json', session({ username: 'acme', password: '${env:ACME_PASSWORD}' }));
  await workspace.jobFile('nightly-orders.job.json', {
    payload: [{ apiName: 'orders/export', parameters: {} }],
    configuration: {},
    auth_session: { id: 'acme' },
    schedule: { intervals: [{ every: '1h' }] },
    sink: { type: 'webhook', url: 'https://hooks.example.com/orders', headers: { Authorization: '${env:HOOK_TOKEN}' } },
  });
}

describe('the Action with jobs', () => {
  it('plans both kinds on a pull request, applies them in order on push, and reports a job changed in Intuned as drift', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await sessionAndJob(workspace);

    const plan = await fixture.run({ workspace, event: prEvent({ number: 12 }), env: ENV });
    expect(plan.result).toEqual({ flow: 'plan' });
    const comment = fixture.github.comments(12).find((candidate) => candidate.body.startsWith(COMMENT_MARKER))!.body;
    expect(comment).toContain('## Intuned AuthSessions and Jobs plan');
    expect(comment).toContain('**Merging will create 1 AuthSession, create 1 job.**');
    expect(comment).toMatch(/\| ➕ \| session `acme` \| create \| new file \|/);
    expect(comment).toMatch(/\| ➕ \| job `nightly-orders` \| create \| new file \|/);
    expect(plan.io.outputs).toMatchObject({ 'has-changes': 'true', created: '2' });
    expect(JSON.parse(plan.io.outputs.plan!).changes.map((change: { kind: string; id: string }) => `${change.kind} ${change.id}`)).toEqual(['auth-session acme', 'job nightly-orders']);
    expect(plan.io.events.filter((event) => event.type === 'secret').map((event) => event.value)).toContain(HOOK_TOKEN);

    const apply = await fixture.run({ workspace, event: pushEvent(), env: { ...ENV, GITHUB_SHA: sha('main') }, inputs: { 'plan-mismatch': 'warn' } });
    expect(apply.result).toEqual({ flow: 'apply' });
    expect(apply.io.outputs).toMatchObject({ created: '2', failed: '0' });
    const writes = fixture.emulator.requests.filter((request) => request.method === 'POST').map((request) => request.path.replace(/^.*\/projects\/[^/]+/, ''));
    expect(writes).toEqual(['/auth-sessions/create', '/jobs']);
    const state = JSON.parse((await fixture.origin.state())!);
    expect(Object.keys(state.jobs)).toEqual(['nightly-orders']);

    const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
    const url = `${fixture.emulator.url}/${WORKSPACE_ID}/projects/${PROJECT}/jobs/nightly-orders`;
    const held = (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
    const changed = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ payload: held.payload, configuration: held.configuration, auth_session: held.auth_session, sink: held.sink, schedule: { intervals: [{ every: '5m' }] } }) });
    expect(changed.status).toBe(200);
    const drift = await fixture.run({ workspace, event: { name: 'schedule', payload: { schedule: '0 2 * * *' } }, env: ENV, now: new Date(Date.UTC(2026, 11, 4, 2)) });
    expect(drift.result).toEqual({ flow: 'drift' });
    const issue = fixture.github.issues.find((candidate) => candidate.body.startsWith(DRIFT_MARKER))!;
    expect(issue.title).toBe('Intuned AuthSessions and Jobs drift');
    expect(issue.body).toContain('## Intuned AuthSessions and Jobs drift');
    expect(issue.body).toContain('applying them would update 1 job');
    expect(issue.body).toContain('changed in Intuned, put back: schedule.intervals\\[0\\].every: "5m" → "1h"');

    for (const text of [comment, issue.body, plan.io.printed(), apply.io.printed(), drift.io.printed(), JSON.stringify(state)]) {
      expect(text).not.toContain('hook-token-action-9c8b7a');
      expect(text).not.toContain(TOKEN);
    }
  });
});
