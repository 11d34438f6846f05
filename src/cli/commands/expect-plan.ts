/**
 * `--expect-plan FILE`: the JSON document of an earlier `--output json` as the reviewed plan.
 * The document lists every change but no targets, so a difference in values shows through the
 * digest alone.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import type { PlanChange, ReviewedAction } from '../../engine/digest.js';

/** A reviewed plan written before changes carried a kind named sessions only. */
const DEFAULT_KIND = 'auth-session';
import type { ReviewedPlan } from '../../engine/review.js';

const REVIEWED_ACTIONS: readonly string[] = ['create', 'update', 'delete', 'skip'];

export async function readExpectedPlan(path: string): Promise<ReviewedPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`--expect-plan ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseExpectedPlan(text, path);
}

export function parseExpectedPlan(text: string, source: string): ReviewedPlan {
  const fail = (why: string) => new InputError(`--expect-plan ${source}: ${why}; give the file \`intuned-gitops plan --output json\` wrote`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw fail('not JSON');
  }
  const record = document !== null && typeof document === 'object' ? (document as Record<string, unknown>) : {};
  if (record.formatVersion !== 1) throw fail('not a plan document of format version 1');
  if (typeof record.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(record.digest)) throw fail('it has no plan digest');
  if (!Array.isArray(record.changes)) throw fail('it has no list of changes');
  const changes: PlanChange[] = [];
  for (const item of record.changes as unknown[]) {
    const change = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
    if (typeof change.id !== 'string' || typeof change.action !== 'string') throw fail('a change has no id or action');
    if (!REVIEWED_ACTIONS.includes(change.action)) continue;
    const kind = typeof change.kind === 'string' ? change.kind : DEFAULT_KIND;
    changes.push({ kind, id: change.id, action: change.action as ReviewedAction });
  }
  return { source, digest: record.digest, changes, listed: 'all' };
}
