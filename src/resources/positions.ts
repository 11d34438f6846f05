/**
 * Offsets in a file's text to the 1-based `line:col` that editors and CI annotations use.
 * Columns count UTF-16 code units, as jsonc-parser's offsets and most editors do.
 */

export interface Position {
  line: number;
  column: number;
}

export const START_OF_FILE: Position = { line: 1, column: 1 };

export type PositionAt = (offset: number) => Position;

/** Builds the lookup once per file; `\n`, `\r\n` and a lone `\r` each end a line. */
export function positionIndex(text: string): PositionAt {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue;
    if (char === 0x0a || char === 0x0d) lineStarts.push(i + 1);
  }
  return (offset) => {
    const clamped = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - (lineStarts[low] ?? 0) + 1 };
  };
}
