/** The Action's applies take the `git:` state's lock: two at once from two clones, one runs. */
import { afterEach, expect, it } from 'vitest';
import { runGit } from '../../src/state/git-repo.js';
import { lockRef } from '../../src/state/git-lock.js';
import { createRequests } from '../helpers/create-requests.js';
import { Fixture, pushEvent, session, STATE_BRANCH } from './harness.js';

let fixture: Fixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

it('fails the second of two applies at once, naming the run that holds the lock; nothing is created twice and the branch knows every session', async () => {
  fixture = await Fixture.create({ operationDurationMs: 800 });
  const workspaces = [await fixture.origin.clone(), await fixture.origin.clone()];
  for (const workspace of workspaces) {
    await workspace.file('acme.auth-session.json', session({ username: 'acme-bot', password: '${env:ACME_PASSWORD}' }));
    await workspace.file('beta.auth-session.json', session({ username: 'beta-bot', password: '${env:BETA_PASSWORD}' }));
  }

  const runs = await Promise.all(workspaces.map((workspace, index) => fixture!.run({ workspace, event: pushEvent(), env: { GITHUB_RUN_ID: String(5000 + index) } })));
  const failed = runs.filter((run) => run.io.failed !== undefined);
  expect(failed).toHaveLength(1);
  expect(failed[0]!.io.failed).toMatch(
    /^the state git:intuned-gitops-state is locked by another apply since \S+ \([^)]+ ago\): run https:\/\/github\.com\/acme\/sessions\/actions\/runs\/500[01] \(pid \d+ on host [^)]+\) \(lock ID [0-9a-f]{12}\)\. Nothing was changed\./,
  );
  expect(failed[0]!.io.failed).toContain('git push origin --delete refs/intuned-gitops/locks/intuned-gitops-state');
  expect(failed[0]!.io.failed).toContain('intuned-gitops plan --force-unlock');
  expect(failed[0]!.io.failed).toContain('--state git:intuned-gitops-state (in a clone of this repository)');

  expect(createRequests(fixture.emulator)).toEqual({ acme: 1, beta: 1 });
  expect(Object.keys(JSON.parse((await fixture.origin.state())!).sessions).sort()).toEqual(['acme', 'beta']);
  expect((await runGit(fixture.origin.path, ['rev-parse', '--verify', '--quiet', lockRef(STATE_BRANCH)])).code).not.toBe(0);
});

it('on a cancel (its signal aborted) stops waiting, pushes what it started, leaves no lock ref, and the re-run on another runner converges without a second create', async () => {
  fixture = await Fixture.create({ operationDurationMs: 4000 });
  const workspaces = [await fixture.origin.clone(), await fixture.origin.clone()];
  for (const workspace of workspaces) {
    await workspace.file('acme.auth-session.json', session({ username: 'acme-bot', password: '${env:ACME_PASSWORD}' }));
    await workspace.file('beta.auth-session.json', session({ username: 'beta-bot', password: '${env:BETA_PASSWORD}' }));
  }
  const cancel = new AbortController();
  const cancelled = fixture.run({ workspace: workspaces[0]!, event: pushEvent(), signal: cancel.signal });
  while (fixture.emulator.operations().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
  const at = Date.now();
  cancel.abort();
  const { io } = await cancelled;
  expect(Date.now() - at).toBeLessThan(3000);
  expect(io.failed).toMatch(/^interrupted: 2 started operations keep running in Intuned/);
  expect((await runGit(fixture.origin.path, ['rev-parse', '--verify', '--quiet', lockRef(STATE_BRANCH)])).code).not.toBe(0);

  const rerun = await fixture.run({ workspace: workspaces[1]!, event: pushEvent(), env: { GITHUB_RUN_ID: '5001' } });
  expect(rerun.io.failed).toBeUndefined();
  expect(createRequests(fixture.emulator)).toEqual({ acme: 1, beta: 1 });
  expect(Object.keys(JSON.parse((await fixture.origin.state())!).sessions).sort()).toEqual(['acme', 'beta']);
});
