/** Structural checks on rendered markdown: what GitHub needs to show it as intended. */
import { expect } from 'vitest';
import { COMMENT_MARKER } from '../../src/render/markdown.js';

export function tableLines(markdown: string): string[] {
  return markdown.split('\n').filter((line) => line.startsWith('| '));
}

/** Cells GitHub sees in a row: pipes not escaped by a backslash, minus the outer two. */
export function cellCount(line: string): number {
  let pipes = 0;
  for (let index = 0; index < line.length; index += 1) {
    if (line[index] === '\\') index += 1;
    else if (line[index] === '|') pipes += 1;
  }
  return pipes - 1;
}

/**
 * Within the limit, marker first, every `<details>` closed, no HTML but ours at a line start
 * (HTML inside a code span is shown as text), every table row whole.
 */
export function expectWellFormed(markdown: string, maxLength: number, options: { marker?: string; footer?: string } = {}): void {
  const marker = options.marker ?? COMMENT_MARKER;
  expect(markdown.length).toBeLessThanOrEqual(maxLength);
  expect(markdown.startsWith(`${marker}\n`)).toBe(true);
  expect(markdown.endsWith('\n')).toBe(true);
  const lines = markdown.split('\n');
  const opened = lines.filter((line) => line.startsWith('<details><summary>') && line.endsWith('</summary>'));
  expect(opened.length).toBe(lines.filter((line) => line === '</details>').length);
  const ours = (line: string) => line === marker || line === options.footer || opened.includes(line) || line === '</details>';
  for (const line of lines) if (line.trimStart().startsWith('<')) expect(ours(line), line).toBe(true);
  const rows = tableLines(markdown);
  if (rows.length > 0) {
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[1]).toMatch(/^\| ---( \| ---)* \|$/);
    const columns = cellCount(rows[0]!);
    for (const row of rows) expect(cellCount(row)).toBe(columns);
  }
}
