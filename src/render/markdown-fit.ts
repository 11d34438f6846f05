/**
 * Keeping a markdown document under GitHub's comment limit. A document is a list of blocks
 * (built for a `Layout`); `fitMarkdown` tries ever shorter layouts and, when even the
 * shortest is too long, cuts it at a line, closing any open `<details>`, so the result is
 * always valid markdown and starts with what matters most (marker, summary, errors).
 */

/** GitHub's limit on a comment body (and the Action's job summary uses the same markdown). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Below this the marker, heading, summary and truncation note may not all fit. */
export const MIN_MARKDOWN_LENGTH = 1000;
/** Longest reason or message once the document must shrink (layouts with `textLimit`). */
export const SHORT_TEXT_LIMIT = 120;
/** Rows kept per action by the last layouts, tried in turn until one fits. */
export const ROW_LIMITS: readonly number[] = [200, 100, 50, 20, 10, 5, 1];

/** Lines written together; `close` ends a construct (`</details>`) and survives a cut. */
export interface Block {
  lines: string[];
  close?: string;
  /** Fewest lines worth keeping when cut (a table's header, delimiter and one row); default 1. */
  minLines?: number;
}

/** How much detail a document holds; each step of `LAYOUTS` gives up some. */
export interface Layout {
  /** List unchanged IDs (else only their count). */
  listNoops: boolean;
  fileColumn: boolean;
  textLimit?: number;
  /** Rows per action (and IDs per list) before "… and N more". */
  rowLimit?: number;
}

export const LAYOUTS: readonly Layout[] = [
  { listNoops: true, fileColumn: true },
  { listNoops: false, fileColumn: true },
  { listNoops: false, fileColumn: false, textLimit: SHORT_TEXT_LIMIT },
  ...ROW_LIMITS.map((rowLimit) => ({ listNoops: false, fileColumn: false, textLimit: SHORT_TEXT_LIMIT, rowLimit })),
];

export interface FitOptions {
  maxLength: number;
  /** Written last, whatever the cut (e.g. a link to the run). */
  footer?: string;
  /** Said where the document was cut. */
  truncationNote: string;
}

export function fitMarkdown(build: (layout: Layout) => Block[], options: FitOptions): string {
  const footer = options.footer ? [{ lines: [options.footer] }] : [];
  let blocks: Block[] = [];
  for (const layout of LAYOUTS) {
    blocks = build(layout);
    const document = joinBlocks([...blocks, ...footer]);
    if (document.length <= options.maxLength) return document;
  }
  return cutBlocks(blocks, [...footer], options);
}

export function joinBlocks(blocks: readonly Block[]): string {
  const parts = blocks.map((block) => [...block.lines, ...(block.close ? [block.close] : [])].join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/**
 * Keeps whole lines from the start while they fit with the note and footer after them.
 * Lengths are UTF-16 units, never fewer than GitHub's characters, so the count is safe.
 */
function cutBlocks(blocks: readonly Block[], footer: readonly Block[], options: FitOptions): string {
  const tail = joinBlocks([{ lines: [options.truncationNote] }, ...footer]);
  const budget = options.maxLength - tail.length - '\n\n'.length;
  const kept: Block[] = [];
  let used = 0;
  for (const block of blocks) {
    const separator = kept.length > 0 ? 2 : 0;
    const closing = block.close ? block.close.length + 1 : 0;
    const lines: string[] = [];
    let size = separator + closing - 1;
    for (const line of block.lines) {
      if (used + size + line.length + 1 > budget) break;
      size += line.length + 1;
      lines.push(line);
    }
    const enough = lines.length >= Math.min(block.minLines ?? 1, block.lines.length);
    if (enough && lines.length > 0) {
      kept.push(block.close ? { lines, close: block.close } : { lines });
      used += size;
    }
    if (lines.length < block.lines.length) break;
  }
  if (kept.length === 0) {
    throw new RangeError(`maxLength ${options.maxLength} leaves no room for the document's first line`);
  }
  return `${joinBlocks(kept).slice(0, -1)}\n\n${tail}`;
}
