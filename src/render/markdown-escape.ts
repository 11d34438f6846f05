/**
 * Escaping for GitHub-flavoured markdown. Text that comes from files or the API (reasons,
 * messages, IDs, paths) must not break a table row, open an HTML block (a stray `<!--` would
 * hide the rest of the comment) or turn into links and emphasis.
 */
import type { Inline } from './describe.js';

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Free text for a table cell or a list item: one line, HTML-safe, no markdown syntax. */
export function escapeText(value: string): string {
  return value
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/**
 * A sentence of ours that may quote a flag or a setting between backticks ("run again with
 * `--force`"): each such pair becomes a code span, everything else is escaped as text, so the
 * quote renders as code instead of showing the backticks.
 */
export function escapeProse(value: string): string {
  return value
    .split(/(`[^`\r\n]+`)/)
    .map((part, index) => (index % 2 === 1 ? codeSpan(part.slice(1, -1)) : escapeText(part)))
    .join('');
}

/**
 * A code span that survives any content: the fence is longer than the longest run of
 * backticks inside, padded with spaces when the content starts or ends with one. `<` needs
 * no escape inside a code span (it is shown as is).
 */
export function codeSpan(value: string): string {
  const content = value.replace(LINE_BREAKS, ' ').replace(CONTROL, '');
  if (content === '') return '';
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A code span inside a table cell: GitHub splits cells on every unescaped `|`, even within
 * code, and removes the backslash of `\|` before reading the span. Backslashes right before a
 * pipe are doubled so that no reading of `\\|` can end the cell (one may then show twice).
 */
export function cellCodeSpan(value: string): string {
  return codeSpan(value).replace(/(\\*)\|/g, (_, slashes: string) => `${slashes}${slashes}\\|`);
}

/** For list items and paragraphs. */
export const markdownInline: Inline = { code: codeSpan, text: escapeText };
/** For table cells. */
export const cellInline: Inline = { code: cellCodeSpan, text: escapeText };
