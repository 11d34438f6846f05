/**
 * The renderers of each `--output` format, in one table: a plan, an apply result and a failed
 * command, as stdout gets them. The CLI picks its row by the format asked for; the Action reads
 * the JSON row for its `plan` output (its comment needs options only markdown has).
 */
import type { ApplyResult, Plan } from '../engine/types.js';
import type { ReviewRefusal } from '../engine/review.js';
import { renderErrorJson, renderErrorMarkdown, type Mask } from './error.js';
import { renderApplyJson, renderPlanJson } from './json.js';
import { renderApplyMarkdown, renderPlanMarkdown } from './markdown.js';
import { renderApplyText, renderPlanText } from './text.js';

export type OutputFormat = 'text' | 'json' | 'markdown';

export interface PlanRenderOptions {
  /** ANSI colours (text only). */
  color?: boolean;
  /** Why the plan is refused (by `--expect-plan`), so it is not applied. */
  refused?: ReviewRefusal;
}

export interface ApplyRenderOptions {
  /** ANSI colours (text only). */
  color?: boolean;
  /** List only what did not succeed, the successes having been shown live (text only). */
  problemsOnly?: boolean;
}

export interface FormatRenderers {
  plan(plan: Plan, options?: PlanRenderOptions): string;
  apply(apply: ApplyResult, options?: ApplyRenderOptions): string;
  /**
   * What stdout gets for a failed command, or undefined for nothing (text: the line on stderr
   * is the answer). `mask` is for the JSON document, which is written unmasked.
   */
  error(error: unknown, mask?: Mask): string | undefined;
}

export const RENDERERS: Readonly<Record<OutputFormat, FormatRenderers>> = {
  text: {
    plan: (plan, options = {}) => renderPlanText(plan, options),
    // A blank line sets the results apart from the live progress above them.
    apply: (apply, options = {}) => `\n${renderApplyText(apply, options)}`,
    error: () => undefined,
  },
  json: {
    plan: (plan, { refused } = {}) => renderPlanJson(plan, { refused }),
    apply: (apply) => renderApplyJson(apply),
    error: (error, mask) => renderErrorJson(error, mask),
  },
  markdown: {
    plan: (plan, { refused } = {}) => renderPlanMarkdown(plan, { refused }),
    apply: (apply) => renderApplyMarkdown(apply),
    error: (error) => renderErrorMarkdown(error),
  },
};
