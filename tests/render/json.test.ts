import { describe, expect, it } from 'vitest';
import { applyDocument, planDocument, renderApplyJson, renderPlanJson, type PlanDocument } from '../../src/render/json.js';
import { applyOf, buildPlan, createEntry, noopEntry, succeeded, updateEntry } from '../helpers/plan-builders.js';
import { applyWithFailures, mixed, noChanges, unmanagedAndErrors, unsafe } from './scenarios.js';

const CHANGE_KEYS = new Set([
  'kind',
  'id',
  'action',
  'reason',
  'file',
  'status',
  'changedParameters',
  'changedSettings',
  'skipped',
  'inUse',
  'resumeOperationId',
  'waitForOperationId',
  'message',
  'code',
  'operationId',
  'lastStatus',
  'timedOut',
]);

function parse(json: string): PlanDocument {
  return JSON.parse(json) as PlanDocument;
}

describe('renderPlanJson', () => {
  it('prints one pretty document with a trailing newline', () => {
    const json = renderPlanJson(mixed());
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "formatVersion": 1,');
    expect(JSON.stringify(parse(json), null, 2) + '\n').toBe(json);
  });

  it('has the SPEC fields and the plan summary', () => {
    const document = parse(renderPlanJson(mixed()));
    expect(document).toMatchObject({ formatVersion: 1, mode: 'plan', hasChanges: true });
    expect(document.summary).toEqual({ create: 2, update: 2, delete: 1, skip: 1, noop: 4, resume: 0, unmanaged: 3, errors: 0 });
    expect(document.unmanaged).toEqual(['dashboard-made', 'f3b1c2d4-9a8e-4c1b-b2d3-0e9f8a7b6c5d', 'sdk-test']);
    expect(document.changes.map((change) => `${change.action} ${change.id}`)).toEqual(
      mixed().entries.map((entry) => `${entry.action} ${entry.id}`),
    );
    for (const change of document.changes) {
      expect(change.status).toBeUndefined();
      for (const key of Object.keys(change)) expect(CHANGE_KEYS).toContain(key);
    }
  });

  it('carries the digest of the plan, the same for the apply of that plan', () => {
    const document = planDocument(mixed());
    expect(document.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(applyDocument(applyOf(mixed())).digest).toBe(document.digest);
    expect(planDocument(noChanges()).digest).not.toBe(document.digest);
  });

  it('carries changed names, in-use detail and files, and nothing of `desired`', () => {
    const changes = planDocument(mixed()).changes;
    expect(changes.find((change) => change.id === 'billing-portal')).toEqual({
      kind: 'auth-session',
      id: 'billing-portal',
      action: 'update',
      reason: 'parameters changed: password, otpSecret',
      file: 'intuned-resources/auth-sessions/billing-portal.auth-session.jsonc',
      changedParameters: ['password', 'otpSecret'],
    });
    expect(changes.find((change) => change.id === 'legacy-erp')).toMatchObject({
      action: 'skip',
      skipped: 'delete',
      inUse: { jobId: 'nightly-sync', runId: 'r-123', runStatus: 'PENDING' },
    });
    expect(changes.find((change) => change.id === 'old-crm')).not.toHaveProperty('file');
  });

  it('says when nothing changes, and lists errors and a refused plan', () => {
    expect(planDocument(noChanges())).toMatchObject({ hasChanges: false, changes: [{ action: 'noop' }, {}, {}] });
    expect(planDocument(unmanagedAndErrors()).errors).toEqual([
      expect.objectContaining({ id: 'recorder-login', file: expect.stringContaining('recorder-login') }),
      { kind: 'auth-session', id: 'ghost', message: expect.stringContaining('ghost') },
    ]);
    expect(planDocument(unsafe()).unsafe).toMatchObject({ deletes: 9, managed: 20, maxShare: 0.3 });
    expect(planDocument(mixed())).not.toHaveProperty('unsafe');
  });

  it('matches the snapshot', async () => {
    await expect(renderPlanJson(mixed())).toMatchFileSnapshot('__snapshots__/plan-mixed.json');
  });
});

describe('renderApplyJson', () => {
  it('gives each change its status: noops none, planned skips skipped', () => {
    const byId = new Map(parse(renderApplyJson(applyWithFailures())).changes.map((change) => [change.id, change]));
    expect(byId.get('acme-crm')?.status).toBe('succeeded');
    expect(byId.get('billing-portal')).toMatchObject({ status: 'failed', message: 'Login check failed', code: 'auth-check-failed' });
    expect(byId.get('helpdesk')).toMatchObject({ status: 'failed', timedOut: true, lastStatus: 'in_progress' });
    expect(byId.get('old-crm')).toMatchObject({ action: 'delete', status: 'skipped' });
    expect(byId.get('legacy-erp')).toMatchObject({ action: 'skip', status: 'skipped' });
    expect(byId.get('analytics')).not.toHaveProperty('status');
  });

  it('adds the outcome counts to the plan counts: one summary shape for both modes', () => {
    const document = applyDocument(applyWithFailures());
    expect(document).toMatchObject({ mode: 'apply', failed: true, hasChanges: true });
    expect(document.summary).toEqual({
      create: 2,
      update: 2,
      delete: 1,
      skip: 1,
      noop: 4,
      resume: 0,
      unmanaged: 3,
      errors: 0,
      created: 1,
      updated: 1,
      deleted: 0,
      skipped: 2,
      failed: 2,
    });
    expect(Object.keys(planDocument(mixed()).summary)).toEqual(Object.keys(document.summary).slice(0, 8));
  });

  it('leaves a change the applier did not report without a status, and keeps unplanned results', () => {
    const plan = buildPlan([createEntry('a-1'), updateEntry('b-2'), noopEntry('c-3')]);
    const apply = { ...applyOf(plan), results: [succeeded(plan.entries[0]!), succeeded(createEntry('extra'))] };
    const changes = applyDocument(apply).changes;
    expect(changes.map((change) => [change.id, change.status ?? null])).toEqual([
      ['a-1', 'succeeded'],
      ['b-2', null],
      ['c-3', null],
      ['extra', 'succeeded'],
    ]);
    expect(applyDocument(apply).summary).toMatchObject({ created: 2, updated: 0, failed: 0 });
  });

  it('matches the snapshot', async () => {
    await expect(renderApplyJson(applyWithFailures())).toMatchFileSnapshot('__snapshots__/apply-failures.json');
  });
});
