/**
 * JSONC to a syntax tree that keeps offsets, so every later problem can point at a key or a
 * value. Comments and trailing commas are allowed; the first syntax error is reported by a
 * readable name, because later errors are usually echoes of the first.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type ParseResult =
  | { ok: true; root: Node }
  | { ok: false; offset: number; message: string };

// Keyed by name: jsonc-parser's ParseErrorCode is a const enum, unusable with isolatedModules.
const ERROR_NAMES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon after the key',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace }',
  CloseBracketExpected: 'expected a closing bracket ]',
  EndOfFileExpected: 'expected the end of the file after the value',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'a /* comment is not closed with */',
  UnexpectedEndOfString: 'a string is not closed with "',
  UnexpectedEndOfNumber: 'a number ends too early',
  InvalidUnicode: 'invalid \\u escape in a string',
  InvalidEscapeCharacter: 'invalid escape in a string (use \\\\ for a backslash)',
  InvalidCharacter: 'a control character in a string (write it as an escape)',
};

function syntaxMessage(error: ParseError): string {
  return `invalid JSONC: ${ERROR_NAMES[printParseErrorCode(error.error)] ?? 'syntax error'}`;
}

export function parseJsonc(text: string): ParseResult {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // jsonc-parser recurses per nesting level; thousands of `[` exhaust the stack.
    if (error instanceof RangeError) {
      return { ok: false, offset: 0, message: 'invalid JSONC: nested too deeply to read' };
    }
    throw error;
  }
  const first = errors[0];
  if (first) return { ok: false, offset: first.offset, message: syntaxMessage(first) };
  if (!root) return { ok: false, offset: 0, message: 'invalid JSONC: expected a value' };
  return { ok: true, root };
}
