/**
 * An operation that never ends (the emulator's `emulator:hang`), through the built CLI: the
 * timeout says what to do, and a change of the file waits for the earlier operation of its own
 * kind instead of failing to read it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

describe('an operation that hangs (the built CLI)', () => {
  it('times out with what to do: raise --timeout, the next run resumes, or remove the file to let it go', async () => {
    const p = (project = await Project.create());
    await p.file('hang1.auth-session.json', session({ login: 'emulator:hang' }));
    const first = await p.run(['apply', '--timeout', '2s']);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('✗ create hang1 timed out after 2s waiting for create (last status running)');
    expect(first.stdout).toContain('the next run picks it up: it waits for the same operation instead of starting another (raise --timeout to wait longer)');
    expect(first.stdout).toContain('if it never ends, remove its file: the next apply then deletes the session');

    // A changed file waits for the create still running (not an update of that ID): still a timeout, not an API error.
    await p.file('hang1.auth-session.json', session({ login: 'fine' }));
    const changed = await p.run(['apply', '--timeout', '2s', '--output', 'json']);
    expect(changed.code).toBe(1);
    expect(changed.stderr).not.toContain('HTTP 404');
    expect(JSON.parse(changed.stdout).changes).toMatchObject([{ id: 'hang1', action: 'update', status: 'failed', timedOut: true, lastStatus: 'in_progress' }]);

    // What the message says: with the file removed, the apply deletes the session (--force: it is the only one).
    await p.remove('hang1.auth-session.json');
    const removed = await p.run(['apply', '--timeout', '5s', '--force']);
    expect(removed.code, removed.stdout + removed.stderr).toBe(0);
    expect(p.emulator.sessions()).toEqual([]);
  }, 60_000);
});
