import { describe, expect, it } from 'vitest';
import { renderApplyText, renderPlanText, TEXT_UNMANAGED_LIMIT } from '../../src/render/text.js';
import { applyOf, buildPlan, createEntry, manyIds, noopEntry, resumeEntry, updateEntry } from '../helpers/plan-builders.js';
import {
  applyAllSucceeded,
  applyNoChanges,
  applyWithFailures,
  mixed,
  noChanges,
  onlyCreates,
  unmanagedAndErrors,
  unsafe,
} from './scenarios.js';

const ESC = '\u001b';

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('renderPlanText', () => {
  it('writes a line per change, unchanged as a count, and the summary last', () => {
    const text = renderPlanText(mixed());
    expect(text).toContain('  + create acme-crm        new file  (intuned-resources/auth-sessions/acme-crm.auth-session.jsonc)');
    expect(text).toContain('  ~ update billing-portal  parameters changed: password, otpSecret');
    expect(text).toContain('  - delete old-crm         file removed\n');
    expect(text).toContain('  ! skip   legacy-erp      file removed, but it is in use by job nightly-sync');
    expect(text).toContain('  4 unchanged\n');
    expect(text).not.toContain('analytics');
    expect(text).toContain('Not managed by intuned-gitops, left alone: dashboard-made, f3b1c2d4-9a8e-4c1b-b2d3-0e9f8a7b6c5d, sdk-test');
    expect(lastLine(text)).toBe('Plan: 2 to create, 2 to update, 1 to delete, 1 skipped (in use), 4 unchanged.');
  });

  it('counts a create an earlier run started apart from new creates', () => {
    const resumed = resumeEntry('stuck', 'create', 'op-1');
    const text = renderPlanText(buildPlan([createEntry('acme-crm'), resumed]));
    expect(text).toContain('  + create stuck     waiting for the create an earlier run started');
    expect(lastLine(text)).toBe('Plan: 1 to create, 0 to update, 0 to delete, 1 started by an earlier run (waiting).');
  });

  it('says plainly when nothing changes', () => {
    expect(renderPlanText(noChanges())).toBe('No changes. Remote sessions match the files.\n');
  });

  it('lists errors and counts them in the summary', () => {
    const text = renderPlanText(unmanagedAndErrors());
    expect(text).toContain('Errors (not planned):\n  ✗ recorder-login (intuned-resources/auth-sessions/recorder-login.auth-session.jsonc): a RECORDER');
    expect(lastLine(text)).toBe('Plan: 1 to create, 0 to update, 0 to delete, 1 unchanged. 2 AuthSessions have errors and are not planned.');
    const onlyErrors = buildPlan([], { errors: [{ kind: 'auth-session', id: 'x-1', message: 'bad' }] });
    expect(lastLine(renderPlanText(onlyErrors))).toBe('No changes planned. 1 AuthSession has errors and is not planned.');
  });

  it('says a refused plan will not be applied', () => {
    expect(renderPlanText(unsafe())).toContain('This plan will not be applied: refusing to delete 9 of 20 managed AuthSessions');
  });

  it('colours only when asked', () => {
    expect(renderPlanText(mixed())).not.toContain(ESC);
    expect(renderPlanText(mixed(), { color: false })).not.toContain(ESC);
    const coloured = renderPlanText(mixed(), { color: true });
    expect(coloured).toContain(`${ESC}[32m+ create${ESC}[0m acme-crm`);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(mixed()));
  });

  it('keeps each change on one line, whatever the reason holds', () => {
    const plan = buildPlan([updateEntry('acme-crm', [], { reason: `multi\nline \u001b[2Jreason` })]);
    expect(renderPlanText(plan)).toContain('  ~ update acme-crm  multi line  [2Jreason  (');
  });

  it('cuts a long unmanaged list', () => {
    const ids = manyIds('dash', TEXT_UNMANAGED_LIMIT + 7);
    const text = renderPlanText(buildPlan([noopEntry('a-1')], { unmanaged: ids }));
    expect(text).toContain(`${ids[TEXT_UNMANAGED_LIMIT - 1]} … and 7 more`);
    expect(text).not.toContain(ids[TEXT_UNMANAGED_LIMIT]!);
  });

  it.each([
    ['only-creates', onlyCreates],
    ['mixed', mixed],
    ['no-changes', noChanges],
    ['errors', unmanagedAndErrors],
    ['unsafe', unsafe],
  ])('matches the %s snapshot', async (name, scenario) => {
    await expect(renderPlanText(scenario())).toMatchFileSnapshot(`__snapshots__/plan-${name}.txt`);
  });
});

describe('renderApplyText', () => {
  it('says how each change ended, failures with message and code', () => {
    const text = renderApplyText(applyWithFailures());
    expect(text).toContain('  ✓ create acme-crm succeeded in 42s\n');
    expect(text).toContain('  ✗ update billing-portal failed: Login check failed (auth-check-failed)\n');
    expect(text).toContain('  ⏭ delete legacy-erp skipped: file removed, but it is in use by job nightly-sync');
    expect(text).toContain('  ⏭ delete old-crm skipped: in use: Intuned refused the delete');
    expect(text).toContain('  4 unchanged\n');
    expect(lastLine(text)).toBe('Apply complete: 1 created, 1 updated, 0 deleted, 2 skipped, 2 failed.');
  });

  it('tells a timeout from a failure', () => {
    const line = renderApplyText(applyWithFailures())
      .split('\n')
      .find((candidate) => candidate.includes('helpdesk'));
    expect(line).toBe(
      '  ✗ create helpdesk timed out after 10m waiting for create (last status in_progress); it may still finish, and the next run picks it up',
    );
    const bare = applyOf(buildPlan([createEntry('a-1')]), {
      'a-1': { entry: createEntry('a-1'), status: 'failed', timedOut: true, lastStatus: 'pending' },
    });
    expect(renderApplyText(bare)).toContain('  ✗ create a-1 timed out (last status queued)\n');
  });

  it('marks a change the applier did not report as not started', () => {
    const plan = buildPlan([createEntry('a-1'), createEntry('b-2')]);
    const apply = { ...applyOf(plan), results: [] };
    expect(renderApplyText(apply)).toContain('  · create a-1 not started\n');
  });

  it('lists plan errors and does not claim the files match', () => {
    const text = renderApplyText(applyOf(buildPlan([noopEntry('a-1')], { errors: [{ kind: 'auth-session', id: 'b-2', message: 'bad file' }] })));
    expect(text).toBe(
      'Nothing to apply.\n\nErrors (not applied):\n  ✗ b-2: bad file\n\nApply complete: 0 created, 0 updated, 0 deleted, 0 skipped, 0 failed.\n',
    );
  });

  it.each([
    ['failures', applyWithFailures],
    ['succeeded', applyAllSucceeded],
    ['no-changes', applyNoChanges],
  ])('matches the %s snapshot', async (name, scenario) => {
    await expect(renderApplyText(scenario())).toMatchFileSnapshot(`__snapshots__/apply-${name}.txt`);
  });
});
