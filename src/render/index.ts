/** The renderers: pure functions from a plan or an apply result to the string a person reads. */
export { renderPlanJson, renderApplyJson, planDocument, applyDocument, PLAN_FORMAT_VERSION } from './json.js';
export type { PlanDocument, PlanDocumentChange, PlanDocumentSummary } from './json.js';
export { renderPlanText, renderApplyText, type TextOptions } from './text.js';
export {
  renderPlanMarkdown,
  renderApplyMarkdown,
  COMMENT_MARKER,
  GITHUB_COMMENT_LIMIT,
  MIN_MARKDOWN_LENGTH,
  type MarkdownOptions,
} from './markdown.js';
export { redactUrl } from './redact.js';
export { planSummaryLine, mergeSentence, type ApplyCounts } from './summary.js';
export { outcomesOf, type Outcome } from './outcomes.js';
