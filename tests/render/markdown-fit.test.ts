/** Whatever the plan and the limit, the comment stays valid, within the limit and leads with the summary. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeAction, PlanEntry } from '../../src/engine/types.js';
import { applyOf, buildPlan, entryOf, failed } from '../helpers/plan-builders.js';
import { MIN_MARKDOWN_LENGTH, renderApplyMarkdown, renderPlanMarkdown } from '../../src/render/markdown.js';
import { expectWellFormed } from './markdown-checks.js';

const HOSTILE = ['|', '`', '<', '>', '\n', '\\', '*', '_', '<!--', '</details>', '😀', '&', ' '];
const text = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 12 })), { maxLength: 40 }).map((parts) => parts.join(''));
const id = fc.stringMatching(/^[a-zA-Z0-9\-(),_]{3,24}$/);
const action = fc.constantFrom<ChangeAction>('create', 'update', 'delete', 'skip', 'noop');

const entry = fc.record({ id, action, reason: text, file: fc.option(text, { nil: undefined }) }).map(
  ({ id, action, reason, file }): PlanEntry => entryOf(action, id, { reason, ...(file ? { file } : {}) }),
);

const plan = fc
  .record({
    entries: fc.array(entry, { maxLength: 80 }),
    unmanaged: fc.array(id, { maxLength: 30 }),
    errors: fc.array(fc.record({ kind: fc.constant('auth-session' as const), id, message: text }), { maxLength: 6 }),
  })
  .map(({ entries, unmanaged, errors }) => buildPlan(entries, { unmanaged, errors }));

const maxLength = fc.integer({ min: MIN_MARKDOWN_LENGTH, max: 8000 });

describe('markdown under any limit', () => {
  it('plans: within the limit, well formed, summary kept', () => {
    fc.assert(
      fc.property(plan, maxLength, (generated, limit) => {
        const markdown = renderPlanMarkdown(generated, { maxLength: limit });
        expectWellFormed(markdown, limit);
        expect(markdown.split('\n')[3]).toMatch(/^\*\*/);
      }),
      { numRuns: 150, seed: 20_260_101 },
    );
  });

  it('apply results: within the limit, well formed, summary kept', () => {
    fc.assert(
      fc.property(plan, maxLength, text, (generated, limit, message) => {
        const outcomes = Object.fromEntries(
          generated.entries.filter((_, index) => index % 3 === 0).map((candidate) => [candidate.id, failed(candidate, message, 'code|`x`')]),
        );
        const markdown = renderApplyMarkdown(applyOf(generated, outcomes), { maxLength: limit });
        expectWellFormed(markdown, limit);
        expect(markdown.split('\n')[3]).toMatch(/^\*\*/);
      }),
      { numRuns: 150, seed: 20_260_102 },
    );
  });
});
