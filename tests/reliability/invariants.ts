/**
 * What "nothing lost" means, checked the same way after every fault or kill: the remote
 * sessions are exactly the declared ones (plus the unmanaged ones, untouched), each holds
 * exactly its file's values, the state owns exactly the declared ones with a confirmed apply,
 * nothing was created twice, and a plan has nothing left to do.
 */
import { expect } from 'vitest';
import type { Project, RunOutcome } from '../helpers/project.js';

export interface Expected {
  /** Declared session ID → the parameters Intuned must hold (after `${env:}` substitution). */
  sessions: Record<string, Record<string, unknown>>;
  /** Sessions made outside the tool: must still exist, never owned. */
  unmanaged?: string[];
  /** Env for the final plan. */
  env?: Record<string, string>;
  /** Run the final plan with the built CLI (default: in-process). */
  cli?: boolean;
}

export async function expectConverged(project: Project, expected: Expected): Promise<void> {
  const declared = Object.keys(expected.sessions).sort();
  const remote = project.emulator.sessions();
  expect(remote.map((session) => session.id).sort()).toEqual([...declared, ...(expected.unmanaged ?? [])].sort());
  for (const id of declared) {
    const session = remote.find((candidate) => candidate.id === id)!;
    expect({ id, status: session.status }).toEqual({ id, status: 'READY' });
    expect(session.parameters).toEqual(expected.sessions[id]);
  }

  const state = await project.state();
  expect(Object.keys(state?.sessions ?? {}).sort()).toEqual(declared);
  for (const [id, session] of Object.entries(state?.sessions ?? {})) {
    expect({ id, applied: session.applied !== undefined, operation: session.operation?.status ?? 'succeeded' }).toEqual({ id, applied: true, operation: 'succeeded' });
  }

  expect(Object.values(project.starts('create')).filter((count) => count > 1)).toEqual([]);
  const plan = await finalPlan(project, expected);
  expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
}

function finalPlan(project: Project, expected: Expected): Promise<RunOutcome> {
  if (expected.cli) return project.run(['plan', '--detailed-exitcode'], expected.env);
  return project.reconcile({ dryRun: true, flags: { detailedExitcode: true }, ...(expected.env ? { env: expected.env } : {}) });
}

/** A file's parameters as Intuned receives them: every `${env:NAME}` replaced. */
export function expand(parameters: Record<string, unknown>, env: Record<string, string>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(parameters), (_key, value: unknown) =>
    typeof value === 'string' ? value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => env[name] ?? '') : value,
  ) as Record<string, unknown>;
}
