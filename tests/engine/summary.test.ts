/** The one place a plan's and an apply's counts come from. */
import { describe, expect, it } from 'vitest';
import { changesToRun, hasChanges, planPending, summarizeApply, summarizeIfApplied, summarizePlan } from '../../src/engine/summary.js';
import { applyOf, buildPlan, createEntry, deleteEntry, failed, noopEntry, resumeEntry, skipEntry, updateEntry } from '../helpers/plan-builders.js';

const plan = () =>
  buildPlan([createEntry('a'), resumeEntry('b', 'create'), updateEntry('c'), noopEntry('d'), skipEntry('e'), deleteEntry('f')], {
    unmanaged: ['x'],
    errors: [{ kind: 'auth-session', id: 'y', message: 'bad file' }],
  });

describe('summarizePlan', () => {
  it('counts a resumed create apart from new ones', () => {
    expect(summarizePlan(plan())).toEqual({ create: 1, update: 1, delete: 1, skip: 1, noop: 1, resume: 1, unmanaged: 1, errors: 1 });
    expect(changesToRun(plan())).toBe(4);
  });

  it('has changes when anything would be sent or waited for, and is pending with a skipped delete alone', () => {
    expect(hasChanges(summarizePlan(buildPlan([resumeEntry('b')])))).toBe(true);
    const skipOnly = buildPlan([skipEntry('e'), noopEntry('d')]);
    expect(hasChanges(summarizePlan(skipOnly))).toBe(false);
    expect(planPending(skipOnly)).toBe(true);
    expect(planPending(buildPlan([noopEntry('d')]))).toBe(false);
  });
});

describe('summarizeApply', () => {
  it('counts what the applier reported, a planned skip as skipped', () => {
    const planned = plan();
    const apply = applyOf(planned, { c: failed(planned.entries[2]!, 'Login check failed') });
    expect(summarizeApply(apply)).toEqual({ created: 2, updated: 0, deleted: 1, skipped: 1, failed: 1, noop: 1 });
    expect(apply.summary).toEqual(summarizeApply(apply));
    expect(summarizeApply({ plan: planned, results: [] })).toEqual({ created: 0, updated: 0, deleted: 0, skipped: 1, failed: 0, noop: 1 });
  });

  it('before an apply, counts what it would report if every change succeeded (a resumed create is created)', () => {
    expect(summarizeIfApplied(plan())).toEqual({ created: 2, updated: 1, deleted: 1, skipped: 1, failed: 0, noop: 1 });
  });
});
