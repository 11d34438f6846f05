/**
 * The promises of ownership, the brake and the state, held by the built CLI against the
 * emulator: what a user would see after a dashboard race, a wrong --dir or a mistyped --state.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

const file = (id: string) => `${id}.auth-session.json`;
const login = (id: string) => session({ username: `${id}-bot`, password: `${id}-pw` });

async function projectWith(ids: readonly string[], options: Parameters<typeof Project.create>[0] = {}): Promise<Project> {
  project = await Project.create(options);
  for (const id of ids) await project.file(file(id), login(id));
  return project;
}

function deletes(p: Project): string[] {
  return p.emulator.requests.filter((request) => request.method === 'DELETE').map((request) => request.path);
}

describe('promises the built CLI keeps', () => {
  it('never deletes a session whose create Intuned refused as "already exists" (made in the dashboard meanwhile)', async () => {
    // The dashboard user acts right after the CLI listed the sessions, before its create arrives.
    let emulator: EmulatorHandle | undefined;
    let armed = true;
    const p = await projectWith(['acme', 'beta'], {
      onRequest: (event) => {
        if (armed && event.method === 'GET' && event.path.endsWith('/auth-sessions')) {
          armed = false;
          emulator!.seedSession({ id: 'acme', status: 'READY' });
        }
      },
    });
    emulator = p.emulator;
    const first = await p.run(['apply']);
    expect(first.code).toBe(1);
    expect(first.stdout + first.stderr).toMatch(/create acme failed/);
    expect(p.starts('create')).toEqual({ beta: 1 });

    await p.remove(file('acme'));
    const removed = await p.run(['apply']);
    expect(removed.code).toBe(0);
    expect(deletes(p)).toEqual([]);
    expect(p.emulator.sessions().map((s) => s.id).sort()).toEqual(['acme', 'beta']);
    const plan = JSON.parse((await p.run(['plan', '--output', 'json'])).stdout);
    expect(plan.unmanaged).toEqual(['acme']);
    expect(Object.keys(JSON.parse(await p.stateText()).sessions)).toEqual(['beta']);
  });

  it('refuses to delete every real session when the state also records one with nothing behind it', async () => {
    const ids = ['s-one', 's-two', 's-three', 's-four', 's-five'];
    const p = await projectWith(ids);
    expect((await p.run(['apply'])).code).toBe(0);
    // What a run killed while starting a create leaves: a record, and no session in Intuned.
    const state = JSON.parse(await p.stateText());
    state.sessions.ghost = { file: `intuned-resources/auth-sessions/${file('ghost')}`, operation: { kind: 'create', status: 'starting', at: '2026-01-01T00:00:00.000Z' } };
    await writeFile(join(p.dir, '.intuned-gitops', 'state.json'), JSON.stringify(state));
    // A wrong --dir: none of the files is where the tool looks.
    for (const id of ids) await p.remove(file(id));

    const before = p.emulator.requests.length;
    const apply = await p.run(['apply']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('refusing to delete all 5 managed AuthSessions');
    expect(p.emulator.requests.slice(before).filter((request) => request.method !== 'GET')).toEqual([]);
    expect(p.emulator.sessions()).toHaveLength(5);
  });

  it('warns that a missing state adopts every existing session, in text and JSON, and is quiet on a fresh project', async () => {
    const p = await projectWith(['acme', 'beta']);
    const fresh = await p.run(['apply']);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout + fresh.stderr).not.toContain('Warning');

    const typo = 'file:.intuned-gitops/sate.json';
    const warning = `no state at ${typo}: every existing session is adopted by one update, which re-runs its login (2 here); if the state is kept elsewhere, check --state`;
    const text = await p.run(['plan', '--state', typo]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Warning: ${warning}`);
    const json = JSON.parse((await p.run(['plan', '--state', typo, '--output', 'json'])).stdout);
    expect(json.warnings).toEqual([warning]);
    expect(json.summary).toMatchObject({ update: 2 });
  });

  it('manages IDs that are Object.prototype names like any other, and lists such dashboard sessions as unmanaged', async () => {
    const declared = ['__proto__', 'constructor', 'toString'];
    const p = await projectWith(declared);
    for (const id of ['valueOf', 'isPrototypeOf']) p.emulator.seedSession({ id });
    const apply = await p.run(['apply']);
    expect(apply.code).toBe(0);
    expect(p.starts('create')).toEqual(Object.fromEntries(declared.map((id) => [id, 1])));
    const recorded = JSON.parse(await p.stateText()).sessions;
    for (const id of declared) expect(Object.hasOwn(recorded, id)).toBe(true);

    const again = await p.run(['plan', '--detailed-exitcode', '--output', 'json']);
    expect(again.code).toBe(0);
    const plan = JSON.parse(again.stdout);
    expect(plan.changes.map((change: { id: string; action: string }) => `${change.action} ${change.id}`)).toEqual(declared.map((id) => `noop ${id}`));
    expect(plan.unmanaged).toEqual(['isPrototypeOf', 'valueOf']);

    await p.remove(file('constructor'));
    const removed = await p.run(['apply', '--output', 'json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout).changes).toContainEqual(expect.objectContaining({ id: 'constructor', action: 'delete', reason: 'file removed', status: 'succeeded' }));
    expect(p.emulator.sessions().map((s) => s.id).sort()).toEqual(['__proto__', 'isPrototypeOf', 'toString', 'valueOf']);
  });
});
