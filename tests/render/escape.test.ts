import { describe, expect, it } from 'vitest';
import { stripControl } from '../../src/render/describe.js';
import { shorten } from '../../src/engine/words.js';
import { formatDuration } from '../../src/engine/duration.js';
import { cellCodeSpan, codeSpan, escapeText } from '../../src/render/markdown-escape.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { buildPlan, createEntry, updateEntry } from '../helpers/plan-builders.js';
import { cellCount, tableLines } from './markdown-checks.js';

describe('escapeText', () => {
  it.each([
    ['a | b', 'a \\| b'],
    ['use `code`', 'use \\`code\\`'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<!-- hide the rest', '&lt;!-- hide the rest'],
    ['line one\nline two\r\nthree', 'line one line two three'],
    ['*bold* _it_ [link](x) ~strike~', '\\*bold\\* \\_it\\_ \\[link\\](x) \\~strike\\~'],
    ['a & b', 'a &amp; b'],
    ['back\\slash', 'back\\\\slash'],
  ])('%j → %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });
});

describe('codeSpan', () => {
  it.each([
    ['acme-crm', '`acme-crm`'],
    ['a`b', '``a`b``'],
    ['`start', '`` `start ``'],
    ['a``b', '```a``b```'],
    ['two\nlines', '`two lines`'],
    ['<b>', '`<b>`'],
  ])('%j → %j', (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it('escapes pipes (and a backslash before one) only inside table cells', () => {
    expect(codeSpan('a|b')).toBe('`a|b`');
    expect(cellCodeSpan('a|b')).toBe('`a\\|b`');
    expect(cellCodeSpan('a\\|b')).toBe('`a\\\\\\|b`');
  });
});

describe('hostile text in a table', () => {
  const hostile = 'x | y `z` <details> \n | --- |';
  const plan = buildPlan([
    updateEntry('acme-crm', ['pass|word'], { reason: hostile }),
    createEntry('helpdesk', { file: 'intuned-resources/auth-sessions/we|rd`dir/helpdesk.auth-session.jsonc' }),
  ]);

  it('keeps every row to the header’s cells, on one line, with no raw HTML', () => {
    const markdown = renderPlanMarkdown(plan);
    const table = tableLines(markdown);
    expect(table).toHaveLength(4);
    for (const line of table) expect(cellCount(line)).toBe(5);
    expect(markdown).not.toContain('<details>');
    expect(markdown).toContain('&lt;details&gt;');
  });
});

describe('small helpers', () => {
  it('shortens by code points, never splitting an emoji', () => {
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('ab😀😀😀', 4)).toBe('ab😀…');
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('anything', undefined)).toBe('anything');
  });

  it('turns control characters into spaces for the terminal', () => {
    expect(stripControl('a\nb\u001b[31mc\td')).toBe('a b [31mc d');
  });

  it.each([
    [0, '0ms'],
    [950, '950ms'],
    [1_640, '1.6s'],
    [42_000, '42s'],
    [59_600, '1m 00s'],
    [185_000, '3m 05s'],
    [3_725_000, '1h 02m'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
