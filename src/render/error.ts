/**
 * A failed command in each output format: the JSON error document and the markdown error
 * block, so a pipeline or a PR comment reading stdout gets an answer whatever went wrong
 * (a usage or settings error, a refused URL, file problems, an interrupt).
 */
import { describeError, InputError, type Problem } from '../errors.js';
import { codeSpan, escapeProse } from './markdown-escape.js';
import { PLAN_FORMAT_VERSION } from './json.js';

export interface ErrorDocument {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  error: { message: string; problems?: Problem[] };
}

/** What may hold a secret (an API message quoting what it was sent) goes through `mask`. */
export type Mask = (text: string) => string;

export function errorDocument(error: unknown, mask: Mask = (text) => text): ErrorDocument {
  const problems = error instanceof InputError ? error.problems : [];
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    error: {
      message: mask(describeError(error)),
      ...(problems.length > 0 ? { problems: problems.map(({ file, line, column, message }) => ({ file, line, column, message: mask(message) })) } : {}),
    },
  };
}

/** The values are masked before the document is written, so a mask can never break its syntax. */
export function renderErrorJson(error: unknown, mask?: Mask): string {
  return `${JSON.stringify(errorDocument(error, mask), null, 2)}\n`;
}

export const ERROR_TITLE = '❌ intuned-gitops failed';

/** The message quoted line by line (its `  - item` lines become a list), then each file problem. */
export function renderErrorMarkdown(error: unknown): string {
  const { message, problems = [] } = errorDocument(error).error;
  const quote = message.split('\n').map((line) => `> ${escapeProse(line.trim())}`.trimEnd());
  const items = problems.map((problem) => `- ${codeSpan(`${problem.file}:${problem.line}:${problem.column}`)} ${escapeProse(problem.message)}`);
  return `${[`### ${ERROR_TITLE}`, quote.join('\n'), ...(items.length > 0 ? [items.join('\n')] : [])].join('\n\n')}\n`;
}
