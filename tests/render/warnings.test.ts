import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../src/render/text.js';
import { applyDocument, planDocument } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { applyOf, buildPlan, updateEntry } from '../helpers/plan-builders.js';

const WARNING = 'no state at file:sate.json: every existing session is adopted by one update, which re-runs its login (1 here); if the state is kept elsewhere, check --state';
const adopting = () => buildPlan([updateEntry('acme', [], { reason: 'adopting the existing session: its parameters are unknown, so they are applied once' })], { warnings: [WARNING] });

describe('warnings', () => {
  it('get a line of their own in text, before the summary', () => {
    const lines = renderPlanText(adopting()).trimEnd().split('\n');
    expect(lines.at(-3)).toBe(`Warning: ${WARNING}`);
    expect(lines.at(-1)).toMatch(/^Plan: /);
    expect(renderPlanText(buildPlan([]))).not.toContain('Warning');
  });

  it('are a list in the JSON document, empty when there are none, for a plan and an apply', () => {
    expect(planDocument(adopting()).warnings).toEqual([WARNING]);
    expect(applyDocument(applyOf(adopting())).warnings).toEqual([WARNING]);
    expect(planDocument(buildPlan([])).warnings).toEqual([]);
  });

  it('show in the pull-request comment', () => {
    expect(renderPlanMarkdown(adopting())).toContain(`> ⚠️ No state at file:sate.json: every existing session is adopted by one update`);
    expect(renderPlanMarkdown(buildPlan([]))).not.toContain('⚠️');
  });
});
