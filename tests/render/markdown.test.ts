import { describe, expect, it } from 'vitest';
import {
  COMMENT_MARKER,
  GITHUB_COMMENT_LIMIT,
  MIN_MARKDOWN_LENGTH,
  renderApplyMarkdown,
  renderPlanMarkdown,
} from '../../src/render/markdown.js';
import { applyOf, buildPlan, createEntry, failed, manyIds } from '../helpers/plan-builders.js';
import { expectWellFormed, tableLines } from './markdown-checks.js';
import {
  applyAllSucceeded,
  applyNoChanges,
  applyWithFailures,
  large,
  mixed,
  noChanges,
  onlyCreates,
  unmanagedAndErrors,
  unsafe,
} from './scenarios.js';

function summaryLine(markdown: string): string {
  return markdown.split('\n')[3] ?? '';
}

describe('renderPlanMarkdown', () => {
  it('starts with the marker and says what a merge will do', () => {
    const markdown = renderPlanMarkdown(mixed());
    expect(markdown.split('\n').slice(0, 3)).toEqual([COMMENT_MARKER, '## Intuned AuthSessions plan', '']);
    expect(summaryLine(markdown)).toBe(
      '**Merging will create 2, update 2 and delete 1 AuthSessions.** 1 delete is skipped because the AuthSession is in use. 4 unchanged. 3 not managed (left alone).',
    );
    expect(markdown).toContain('| ⏭️ | `legacy-erp` | skip | file removed, but it is in use by job nightly-sync');
    expect(markdown).toContain('A later run will delete it once the session is no longer used.');
    expect(markdown).toContain('<details><summary>3 AuthSessions not managed by intuned-gitops (left alone)</summary>');
    expectWellFormed(markdown, GITHUB_COMMENT_LIMIT);
  });

  it.each([
    [onlyCreates, '**Merging will create 3 AuthSessions.**'],
    [() => buildPlan([createEntry('a-1')]), '**Merging will create 1 AuthSession.**'],
    [noChanges, '**No changes.** Merging this pull request changes nothing in Intuned. 3 unchanged.'],
    [
      unsafe,
      '**⛔ Merging will change nothing: the apply refuses this plan.** With `force` it would delete 9 AuthSessions. 11 unchanged.',
    ],
  ])('summarises %#', (scenario, expected) => {
    expect(summaryLine(renderPlanMarkdown(scenario()))).toBe(expected);
  });

  it('renders the backticks of a quoted refusal as code, and escapes the rest', () => {
    const markdown = renderPlanMarkdown(unsafe());
    expect(markdown).toContain('run again with --force (Action input `force: true`); otherwise');
    expect(markdown).not.toContain('\\`');
  });

  it('puts errors right after the summary, before the table', () => {
    const markdown = renderPlanMarkdown(unmanagedAndErrors());
    expect(markdown.indexOf('### ⚠️ Errors')).toBeLessThan(markdown.indexOf('| AuthSession |'));
    expect(markdown).toContain('(type &lt;RECORDER&gt; \\| not CREDENTIALS)');
  });

  it('takes a title, a footer and another marker (or none)', () => {
    const options = { title: 'Plan for `crm`', footer: '<sub>commit abc123</sub>', marker: '<!-- other -->' };
    const markdown = renderPlanMarkdown(mixed(), options);
    expect(markdown.startsWith('<!-- other -->\n## Plan for `crm`\n')).toBe(true);
    expect(markdown.endsWith('\n\n<sub>commit abc123</sub>\n')).toBe(true);
    expect(renderPlanMarkdown(mixed(), { marker: '' }).startsWith('## Intuned AuthSessions plan\n')).toBe(true);
  });

  it.each([
    ['only-creates', onlyCreates],
    ['mixed', mixed],
    ['no-changes', noChanges],
    ['errors', unmanagedAndErrors],
    ['unsafe', unsafe],
    ['1000-changes', () => large(1000)],
  ])('matches the %s snapshot', async (name, scenario) => {
    await expect(renderPlanMarkdown(scenario())).toMatchFileSnapshot(`__snapshots__/plan-${name}.md`);
  });
});

describe('fitting the comment limit', () => {
  it('keeps 1,000 changes whole under the limit, dropping the unchanged list and the File column first', () => {
    const plan = large(1000);
    const markdown = renderPlanMarkdown(plan);
    expectWellFormed(markdown, GITHUB_COMMENT_LIMIT);
    for (const entry of plan.entries.filter((candidate) => candidate.action !== 'noop')) {
      expect(markdown).toContain(`\`${entry.id}\``);
    }
    expect(markdown).not.toContain('unchanged AuthSessions</summary>');
    expect(markdown).toContain('|  | AuthSession | Action | Reason |\n');
  });

  it('lists the first rows per action and counts the rest for 10,000 changes', () => {
    const markdown = renderPlanMarkdown(large(10_000));
    expectWellFormed(markdown, GITHUB_COMMENT_LIMIT);
    expect(summaryLine(markdown)).toContain('**Merging will create 4,000, update 4,000 and delete 1,000 AuthSessions.**');
    expect(markdown).toMatch(/\| {2}\| … and 3,\d{3} more creates \| {2}\| {2}\|$/m);
    expect(markdown).toMatch(/… and \d[\d,]* more updates/);
    expect(markdown).toMatch(/… and \d[\d,]* more deletes/);
    expect(markdown).toMatch(/… and \d[\d,]* more skipped deletes/);
    expect(markdown).not.toContain('✂️');
  });

  it('lists fewer rows per action as the limit shrinks', () => {
    const markdown = renderPlanMarkdown(large(10_000), { maxLength: 3000 });
    expectWellFormed(markdown, 3000);
    expect(markdown).toContain('… and 3,995 more creates');
    expect(markdown).not.toContain('✂️');
  });

  it.each([MIN_MARKDOWN_LENGTH, 1100])('cuts at a line for maxLength %i, keeping marker and summary', (maxLength) => {
    const markdown = renderPlanMarkdown(large(10_000), { maxLength, footer: '<sub>footer</sub>' });
    expectWellFormed(markdown, maxLength, { footer: '<sub>footer</sub>' });
    expect(summaryLine(markdown)).toContain('**Merging will create 4,000');
    expect(markdown).toContain(`Cut here to stay under ${maxLength.toLocaleString('en-US')} characters.`);
    expect(markdown.endsWith('<sub>footer</sub>\n')).toBe(true);
  });

  it('keeps errors first when they alone overflow', () => {
    const errors = manyIds('broken', 2000).map((id) => ({ kind: 'auth-session' as const, id, message: `problem with ${id}` }));
    const markdown = renderPlanMarkdown(buildPlan(large(100).entries, { errors }), { maxLength: 4000 });
    expectWellFormed(markdown, 4000);
    expect(markdown).toContain('- `broken-00001`: problem with broken-00001');
    expect(tableLines(markdown)).toEqual([]);
  });

  it('shortens long reasons before dropping rows', () => {
    const reason = `parameters changed: ${'x'.repeat(500)}`;
    const plan = buildPlan(manyIds('s', 200).map((id) => createEntry(id, { reason })));
    const markdown = renderPlanMarkdown(plan, { maxLength: 40_000 });
    expectWellFormed(markdown, 40_000);
    expect(tableLines(markdown)).toHaveLength(202);
    expect(markdown).toContain('xxx…');
  });

  it('refuses a maxLength with no room for the document', () => {
    expect(() => renderPlanMarkdown(mixed(), { maxLength: MIN_MARKDOWN_LENGTH - 1 })).toThrow(RangeError);
  });
});

describe('renderApplyMarkdown', () => {
  it('leads with the failures, each with its message and code', () => {
    const markdown = renderApplyMarkdown(applyWithFailures());
    expect(summaryLine(markdown)).toBe(
      '**❌ 2 operations failed.** Applied: 1 created, 1 updated, 0 deleted, 2 skipped, 2 failed. 4 unchanged. 3 not managed (left alone).',
    );
    expect(markdown).toContain('- ❌ **update** `billing-portal`: Login check failed (`auth-check-failed`)');
    expect(markdown).toContain('- ⏱️ **create** `helpdesk`: timed out after 10m waiting for create (last status in\\_progress)');
    expect(markdown.indexOf('### ❌ Failures')).toBeLessThan(markdown.indexOf('| AuthSession |'));
    expectWellFormed(markdown, GITHUB_COMMENT_LIMIT);
  });

  it('keeps failures when cut', () => {
    const plan = large(10_000);
    const outcomes = Object.fromEntries(
      plan.entries.filter((entry) => entry.action === 'update').map((entry) => [entry.id, failed(entry, 'Login check failed', 'auth-check-failed')]),
    );
    const markdown = renderApplyMarkdown(applyOf(plan, outcomes), { maxLength: 5000 });
    expectWellFormed(markdown, 5000);
    expect(summaryLine(markdown)).toContain('**❌ 4,000 operations failed.**');
    expect(markdown).toContain('- ❌ **update** `session-00005`: Login check failed');
  });

  it('summarises a run with nothing to do', () => {
    expect(summaryLine(renderApplyMarkdown(applyNoChanges()))).toBe('**No changes.** Remote sessions match the files. 3 unchanged.');
    expect(summaryLine(renderApplyMarkdown(applyAllSucceeded()))).toBe(
      '**Apply complete: 2 created, 2 updated, 1 deleted, 1 skipped, 0 failed.** 4 unchanged. 3 not managed (left alone).',
    );
  });

  it.each([
    ['failures', applyWithFailures],
    ['succeeded', applyAllSucceeded],
    ['no-changes', applyNoChanges],
  ])('matches the %s snapshot', async (name, scenario) => {
    await expect(renderApplyMarkdown(scenario())).toMatchFileSnapshot(`__snapshots__/apply-${name}.md`);
  });
});
