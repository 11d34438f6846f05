/** The plans and apply results every renderer is shown with (snapshots read these). */
import type { ApplyResult, Plan } from '../../src/engine/types.js';
import {
  applyOf,
  buildPlan,
  createEntry,
  deleteEntry,
  failed,
  manyIds,
  noopEntry,
  skipEntry,
  skippedResult,
  timedOut,
  updateEntry,
} from '../helpers/plan-builders.js';
import { desired } from '../helpers/sessions.js';

export const onlyCreates = (): Plan =>
  buildPlan([
    createEntry('acme-crm'),
    createEntry('billing-portal', { desired: { ...desired('billing-portal'), file: 'intuned-resources/auth-sessions/finance/billing-portal.auth-session.json' } }),
    createEntry('erp_eu(prod)'),
  ]);

export const mixed = (): Plan =>
  buildPlan(
    [
      createEntry('acme-crm'),
      updateEntry('billing-portal', ['password', 'otpSecret']),
      createEntry('helpdesk'),
      updateEntry('shop-admin', [], { changedSettings: ['proxy'], reason: 'proxy changed' }),
      noopEntry('analytics'),
      noopEntry('inventory'),
      noopEntry('mailer'),
      noopEntry('payroll'),
      skipEntry('legacy-erp'),
      deleteEntry('old-crm'),
    ],
    { unmanaged: ['dashboard-made', 'f3b1c2d4-9a8e-4c1b-b2d3-0e9f8a7b6c5d', 'sdk-test'] },
  );

export const noChanges = (): Plan => buildPlan([noopEntry('acme-crm'), noopEntry('billing-portal'), noopEntry('helpdesk')]);

export const unmanagedAndErrors = (): Plan =>
  buildPlan([createEntry('acme-crm'), noopEntry('helpdesk')], {
    unmanaged: ['dashboard-made', 'sdk-test'],
    errors: [
      {
        kind: 'auth-session',
        id: 'recorder-login',
        file: 'intuned-resources/auth-sessions/recorder-login.auth-session.jsonc',
        message: 'a RECORDER session with this ID exists in Intuned; a file cannot manage it (type <RECORDER> | not CREDENTIALS)',
      },
      { kind: 'auth-session', id: 'ghost', message: 'state says `ghost` is being created by operation op-9, but Intuned does not know it' },
    ],
  });

export const unsafe = (): Plan => {
  const deletes = manyIds('sess', 9).map((id) => deleteEntry(id));
  return buildPlan([...manyIds('kept', 11).map((id) => noopEntry(id)), ...deletes], {
    unsafe: {
      deletes: 9,
      managed: 20,
      maxShare: 0.3,
      message:
        'refusing to delete 9 of 20 managed AuthSessions (45%, more than the safe 30%). If the files were removed on purpose, run again with --force (Action input `force: true`); otherwise check --dir and that the resource files are where intuned-gitops looks for them.',
    },
  });
};

/** `count` changes spread over every action, plus as many unchanged and some unmanaged. */
export const large = (count: number): Plan => {
  const ids = manyIds('session', count);
  const entries = ids.map((id, index) => {
    if (index % 10 < 4) return createEntry(id);
    if (index % 10 < 8) return updateEntry(id, ['password']);
    if (index % 10 < 9) return deleteEntry(id);
    return skipEntry(id);
  });
  const noops = manyIds('steady', count).map((id) => noopEntry(id));
  return buildPlan([...entries, ...noops], { unmanaged: manyIds('dashboard', Math.ceil(count / 10)) });
};

/** The mixed plan applied: an update fails, a create times out, the delete is refused as in use. */
export const applyWithFailures = (): ApplyResult => {
  const plan = mixed();
  const entry = (id: string) => plan.entries.find((candidate) => candidate.id === id)!;
  return applyOf(plan, {
    'billing-portal': failed(entry('billing-portal'), 'Login check failed', 'auth-check-failed'),
    helpdesk: timedOut(entry('helpdesk')),
    'old-crm': skippedResult(
      entry('old-crm'),
      'in use: Intuned refused the delete (Auth session is in use by a running job); a later run deletes it',
    ),
  });
};

export const applyAllSucceeded = (): ApplyResult => applyOf(mixed());
export const applyNoChanges = (): ApplyResult => applyOf(noChanges());
