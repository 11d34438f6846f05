/**
 * Parameter names that are also names every JavaScript object inherits (`__proto__`,
 * `constructor`, `toString`) are ordinary names, through the built CLI: a change of their value
 * is planned, named and recorded like any other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../helpers/project.js';

let project: Project | undefined;

afterEach(async () => {
  await project?.close();
  project = undefined;
});

const body = (name: string, value: string) => `{ "parameters": { ${JSON.stringify(name)}: ${JSON.stringify(value)}, "a": "b" } }`;

describe('parameter names that objects inherit (the built CLI)', () => {
  for (const name of ['__proto__', 'constructor', 'toString']) {
    it(`plans an update when the value of a parameter named ${name} changes, and records it`, async () => {
      const p = (project = await Project.create());
      await p.file('acme.auth-session.json', body(name, 'x'));
      expect((await p.run(['apply'])).code).toBe(0);
      const applied = JSON.parse(await p.stateText()).sessions.acme.applied.parameters;
      expect(Object.keys(applied).sort()).toEqual([name, 'a'].sort());

      const unchanged = await p.run(['plan', '--output', 'json']);
      expect(JSON.parse(unchanged.stdout).changes).toMatchObject([{ id: 'acme', action: 'noop' }]);

      await p.file('acme.auth-session.json', body(name, 'y'));
      const plan = await p.run(['plan', '--output', 'json']);
      expect(JSON.parse(plan.stdout).changes).toMatchObject([{ id: 'acme', action: 'update', reason: `parameters changed: ${name}`, changedParameters: [name] }]);

      expect((await p.run(['apply'])).code).toBe(0);
      expect(JSON.parse((await p.run(['plan', '--output', 'json'])).stdout).changes).toMatchObject([{ id: 'acme', action: 'noop' }]);

      // Added and removed are told apart from changed by the name's own presence, not an inherited one.
      await p.file('acme.auth-session.json', '{ "parameters": { "a": "b" } }');
      const removed = await p.run(['plan', '--output', 'json']);
      expect(JSON.parse(removed.stdout).changes).toMatchObject([{ id: 'acme', action: 'update', reason: `parameters removed: ${name}` }]);
    }, 30_000);
  }

  it('says a parameter named toString was added, not changed', async () => {
    const p = (project = await Project.create());
    await p.file('acme.auth-session.json', '{ "parameters": { "a": "b" } }');
    expect((await p.run(['apply'])).code).toBe(0);
    await p.file('acme.auth-session.json', body('toString', 'x'));
    const plan = await p.run(['plan', '--output', 'json']);
    expect(JSON.parse(plan.stdout).changes).toMatchObject([{ id: 'acme', action: 'update', reason: 'parameters added: toString' }]);
  }, 30_000);
});
