import { describe, expect, it } from 'vitest';
import { planDataLine, readPlanData } from '../../src/action/plan-data.js';
import { planDigest } from '../../src/engine/digest.js';
import { buildPlan, createEntry, deleteEntry, manyIds, noopEntry, skipEntry, updateEntry } from '../helpers/plan-builders.js';

describe('the plan data line of the comment', () => {
  it('reads back the digest and every change it wrote', () => {
    const plan = buildPlan([createEntry('acme', { target: 'hmac-sha256:aa' }), updateEntry('beta', ['password'], { target: 'hmac-sha256:bb' }), noopEntry('gamma'), skipEntry('old'), deleteEntry('gone')]);
    const line = planDataLine(plan, { commit: 'abc123' });
    expect(line).toMatch(/^<!-- intuned-gitops:plan-data [\w-]+ -->$/);
    const reviewed = readPlanData(`body\n${line}\n`, 'pull request #1');
    expect(reviewed).toMatchObject({ source: 'pull request #1', digest: planDigest(plan), listed: 'all', commit: 'abc123' });
    expect(reviewed!.changes.map((change) => `${change.action} ${change.id}`)).toEqual(['create acme', 'update beta', 'delete gone', 'skip old']);
    expect(line).not.toContain('hmac-sha256');
  });

  it('comes back whole when the comment is masked, and cannot be closed or opened by an ID', () => {
    const plan = buildPlan([deleteEntry('a-->b<!--c&d')]);
    const line = planDataLine(plan);
    expect(line.indexOf('-->')).toBe(line.length - 3);
    expect(line.slice(4)).not.toContain('<!--');
    expect(readPlanData(line, 'x')!.changes[0]!.id).toBe('a-->b<!--c&d');
    const masked = planDataLine(buildPlan([deleteEntry('ops-bot')])).replaceAll('ops-bot', '***');
    expect(readPlanData(masked, 'x')!.changes[0]!.id).toBe('ops-bot');
  });

  it('keeps under its budget: creates and updates go first, then every change, never the digest', () => {
    const plan = buildPlan([...manyIds('new', 400).map((id) => createEntry(id)), ...manyIds('old', 20).map((id) => deleteEntry(id))]);
    const deletesOnly = readPlanData(planDataLine(plan, { limit: 2000 }), 'x')!;
    expect(deletesOnly.listed).toBe('deletes');
    expect(deletesOnly.changes.map((change) => change.action)).toEqual(Array(20).fill('delete'));
    const none = readPlanData(planDataLine(plan, { limit: 500 }), 'x')!;
    expect(none).toMatchObject({ listed: 'none', changes: [], digest: planDigest(plan) });
  });

  it('ignores a line that is not ours or not whole', () => {
    expect(readPlanData('no data here', 'x')).toBeUndefined();
    const encoded = (text: string) => `<!-- intuned-gitops:plan-data ${Buffer.from(text).toString('base64url')} -->`;
    expect(readPlanData(encoded('{"v":2}'), 'x')).toBeUndefined();
    expect(readPlanData(encoded('{"v":1,'), 'x')).toBeUndefined();
    expect(readPlanData('<!-- intuned-gitops:plan-data not base64 json -->', 'x')).toBeUndefined();
  });
});
