/**
 * The blocks a markdown plan or apply result is made of: table, lists of IDs in `<details>`,
 * errors. Each takes the `Layout` so the document can shrink step by step.
 */
import type { ChangeAction, KindName, PlanError } from '../engine/types.js';
import { errorPlace, resourceName } from './describe.js';
import { shorten } from '../engine/words.js';
import type { Block, Layout } from './markdown-fit.js';
import { codeSpan, escapeText } from './markdown-escape.js';
import { actionNoun, formatCount, plural } from './summary.js';

export const ACTION_EMOJI: Record<ChangeAction, string> = {
  create: '➕',
  update: '🔄',
  delete: '🗑️',
  skip: '⏭️',
  noop: '⚪',
};

export function headerBlock(marker: string, title: string): Block {
  return { lines: [...(marker ? [marker] : []), `## ${title}`] };
}

export interface TableSpec<T> {
  header: readonly string[];
  /** Already in display order, grouped by action. */
  items: readonly T[];
  actionOf: (item: T) => ChangeAction;
  /** Cells, already escaped; as many as `header`. */
  row: (item: T) => string[];
  rowLimit?: number;
}

/** A table; past `rowLimit` rows of one action, a row says how many more there are. */
export function tableBlock<T>(spec: TableSpec<T>): Block {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const lines = [line(spec.header), line(spec.header.map(() => '---'))];
  const limit = spec.rowLimit ?? Number.POSITIVE_INFINITY;
  let index = 0;
  while (index < spec.items.length) {
    const action = spec.actionOf(spec.items[index] as T);
    let end = index;
    while (end < spec.items.length && spec.actionOf(spec.items[end] as T) === action) end += 1;
    for (const item of spec.items.slice(index, Math.min(end, index + limit))) lines.push(line(spec.row(item)));
    const more = end - index - limit;
    if (more > 0) {
      const cells = spec.header.map(() => '');
      cells[1] = `… and ${formatCount(more)} more ${actionNoun(action, more)}`;
      lines.push(line(cells));
    }
    index = end;
  }
  return { lines, minLines: 3 };
}

/** A collapsed list of IDs: `<details><summary>…</summary>` with the IDs inline. */
export function idListBlock<T = string>(summary: string, ids: readonly T[], layout: Layout, intro?: string, format: (item: T) => string = (item) => codeSpan(String(item))): Block {
  const limit = layout.rowLimit ?? ids.length;
  const listed = ids.slice(0, limit).map(format).join(', ');
  const more = ids.length > limit ? ` … and ${formatCount(ids.length - limit)} more` : '';
  const lines = [`<details><summary>${summary}</summary>`, '', ...(intro ? [intro, ''] : []), `${listed}${more}`];
  return { lines, close: '</details>', minLines: lines.length };
}

export function unmanagedBlock(ids: readonly string[], layout: Layout, noun = 'AuthSession'): Block {
  const count = `${formatCount(ids.length)} ${plural(ids.length, noun)}`;
  return idListBlock(
    `${count} not managed by intuned-gitops (left alone)`,
    ids,
    layout,
    'They exist in Intuned, but no file declares them and intuned-gitops did not create them, so it never changes or deletes them.',
  );
}

/** Each as `job \`x\`` where a plan holds jobs, the ID alone otherwise. */
export function unchangedBlock(resources: readonly { kind: KindName; id: string }[], layout: Layout, mixed = false): Block {
  const noun = plural(resources.length, mixed ? 'resource' : 'AuthSession');
  return idListBlock(`${formatCount(resources.length)} unchanged ${noun}`, resources, layout, undefined, (resource) => resourceName(resource, mixed, codeSpan));
}

/** Never shortened by count: errors come right after the summary and are kept first. */
export function errorsBlock(errors: readonly PlanError[], layout: Layout, intro: string, mixed = false): Block[] {
  if (errors.length === 0) return [];
  const items = errors.map((error) => {
    const place = errorPlace(error);
    const where = place ? ` (${codeSpan(place)})` : '';
    return `- ${resourceName(error, mixed, codeSpan)}${where}: ${escapeText(shorten(error.message, layout.textLimit))}`;
  });
  return [{ lines: ['### ⚠️ Errors', '', intro, '', ...items], minLines: 5 }];
}

export function skippedDeletesNote(count: number, mixed = false): Block {
  if (mixed) {
    return {
      lines: [
        `> ⏭️ **Skipped ${plural(count, 'delete')}:** ${plural(count, 'this resource has', 'these resources have')} no file any more but ${plural(count, 'is', 'are')} in use (a job by its unfinished run, a session by a job's run), so ${plural(count, 'it is', 'they are')} kept for now. A later run deletes ${plural(count, 'it', 'them')} once the run is over.`,
      ],
    };
  }
  const these = plural(count, 'this AuthSession has', 'these AuthSessions have');
  const them = plural(count, 'it', 'them');
  return {
    lines: [
      `> ⏭️ **Skipped ${plural(count, 'delete')}:** ${these} no file any more but ${plural(count, 'is', 'are')} in use, so ${plural(count, 'it is', 'they are')} kept for now. A later run will delete ${them} once the session is no longer used.`,
    ],
  };
}

/** `> ✂️ …`: said where a document was cut. */
export function truncationNote(maxLength: number, rest: string): string {
  return `> ✂️ Cut here to stay under ${formatCount(maxLength)} characters. ${rest}`;
}
