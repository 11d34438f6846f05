/**
 * Arbitraries and the one outcome check for the hostile-input properties: whatever the text,
 * checking it returns either a valid spec or problems, each a clear `path:line:col: message`
 * that points inside the text.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { formatProblem, type Problem } from '../../src/errors.js';

/** Fixed seeds: a failure replays exactly; change a seed on purpose to explore further. */
export const SEED = 20_260_701;

/** Code points of every plane, plus the lone surrogates that `unit: 'binary'` leaves out. */
export const oddText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.array(fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), { maxLength: 3 }).map((parts) => parts.join('')),
    fc.constantFrom('\u0000', '\u202eevil', 'zero\u200bwidth', 'e\u0301', '\ufeff', '💥🔥', '\u001b[2J', 'line\nbreak', 'tab\there', '__proto__', 'constructor', '${env:', '$${env:X}'),
  );

/** JSONC tokens and troublemakers that mutations insert. */
const SYNTAX = ['{', '}', '[', ']', '"', ',', ':', '/*', '*/', '//', '\n', '\r', '\\', '\\u', '\u0000', '\ud800', '${env:', '}}', 'null', '-', '1e999', '0x1F', 'NaN', '\u2028'];

export type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'swap'; a: number; b: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...SYNTAX), oddText(4)) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
);

export function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const change of mutations) {
    const at = (position: number) => position % (out.length + 1);
    switch (change.kind) {
      case 'delete':
        out = out.slice(0, at(change.at)) + out.slice(at(change.at) + change.length);
        break;
      case 'insert':
        out = out.slice(0, at(change.at)) + change.text + out.slice(at(change.at));
        break;
      case 'duplicate':
        out = out.slice(0, at(change.at) + change.length) + out.slice(at(change.at));
        break;
      case 'swap': {
        const [a, b] = [at(change.a), at(change.b)].sort((x, y) => x - y) as [number, number];
        if (b < out.length && a < b) out = out.slice(0, a) + out[b] + out.slice(a + 1, b) + out[a] + out.slice(b + 1);
        break;
      }
    }
  }
  return out;
}

/** A valid file body as a person might write it: comments, trailing commas, optional fields. */
export const validBody = fc.record(
  {
    $schema: fc.constant('../../schemas/auth-session.schema.json'),
    parameters: fc.dictionary(oddText(12), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    proxy: fc.constantFrom(null, 'http://proxy-user:${env:REL_PROXY_PASSWORD}@proxy.test:8080', 'socks5://proxy.test:1080'),
    createAttempts: fc.integer({ min: 1, max: 9 }),
    saveTrace: fc.boolean(),
  },
  { requiredKeys: ['parameters'] },
);

export function asJsonc(body: unknown, comment: string): string {
  const text = JSON.stringify(body, null, 2);
  const lines = text.split('\n');
  // A line comment after the opening brace and a trailing comma before the closing one.
  lines[0] = `${lines[0]} // ${comment.replace(/[\r\n\u2028\u2029]/g, ' ')}`;
  if (lines.length > 2) lines[lines.length - 2] = `${lines[lines.length - 2]},`;
  return `/* a resource file */\n${lines.join('\n')}\n`;
}

/** Where lines start, by the same rule as the loader's positions (`\r\n`, `\n`, lone `\r`). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\n|\r/).map((line) => line.length);
}

export interface CheckOutcome {
  problems: readonly Problem[];
  spec?: unknown;
}

/** Never both, never neither; every problem names the file and a position inside the text. */
export function expectClearOutcome(outcome: CheckOutcome, file: string, text: string): void {
  expect(outcome.problems.length === 0).toBe(outcome.spec !== undefined);
  const lines = lineLengths(text);
  for (const problem of outcome.problems) {
    expect(problem.file).toBe(file);
    expect(Number.isInteger(problem.line) && problem.line >= 1 && problem.line <= lines.length).toBe(true);
    const width = lines[problem.line - 1] ?? 0;
    expect(Number.isInteger(problem.column) && problem.column >= 1 && problem.column <= width + 1).toBe(true);
    expect(problem.message.trim().length).toBeGreaterThan(0);
    expect(formatProblem(problem).startsWith(`${file}:${problem.line}:${problem.column}: `)).toBe(true);
  }
}
