/**
 * One comment per pull request and target, edited in place. It is found by the hidden
 * `COMMENT_MARKER` on its first line and a target line in its footer, so two steps of one
 * workflow (say, staging and production workspaces, or two project directories) keep a
 * comment each instead of overwriting one another.
 */
import { createHash } from 'node:crypto';
import { COMMENT_MARKER } from '../render/markdown.js';
import type { CommentsApi } from './types.js';

/** Hex characters of the target hash: enough to tell apart the steps of one repository. */
const TARGET_HASH_LENGTH = 12;

export interface CommentTarget {
  workspaceId: string;
  project: string;
  /** The `directory` input. */
  directory: string;
}

/**
 * A hidden line naming the target by hash only: a workspace ID passed as a secret must not
 * appear in a comment that anyone who can read the pull request sees.
 */
export function targetLine(target: CommentTarget): string {
  const hash = createHash('sha256').update(JSON.stringify([target.workspaceId, target.project, target.directory])).digest('hex');
  return `<!-- intuned-gitops:target ${hash.slice(0, TARGET_HASH_LENGTH)} -->`;
}

export function isOurComment(body: string, target: string): boolean {
  return body.startsWith(COMMENT_MARKER) && body.includes(target);
}

export interface UpsertResult {
  id: number;
  action: 'created' | 'updated' | 'unchanged';
}

/** Reads pages until our comment is found (it may be on any page), then edits it; else creates one. */
export async function upsertComment(api: CommentsApi, options: { issue: number; target: string; body: string }): Promise<UpsertResult> {
  for await (const comment of api.list(options.issue)) {
    if (!isOurComment(comment.body, options.target)) continue;
    if (comment.body === options.body) return { id: comment.id, action: 'unchanged' };
    await api.update(comment.id, options.body);
    return { id: comment.id, action: 'updated' };
  }
  const created = await api.create(options.issue, options.body);
  return { id: created.id, action: 'created' };
}
