import { describe, expect, it } from 'vitest';
import { targetLine, upsertComment } from '../../src/action/comment.js';
import { renderValidateMarkdown } from '../../src/render/no-plan-markdown.js';
import type { CommentsApi, IssueComment } from '../../src/action/types.js';
import type { Problem } from '../../src/errors.js';
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT } from '../../src/render/markdown.js';

function memoryComments(initial: IssueComment[]): CommentsApi & { calls: string[]; comments: IssueComment[] } {
  const api = {
    calls: [] as string[],
    comments: [...initial],
    async *list() {
      api.calls.push('list');
      yield* api.comments;
    },
    async create(_issue: number, body: string) {
      api.calls.push('create');
      const comment = { id: api.comments.length + 1, body };
      api.comments.push(comment);
      return comment;
    },
    async update(id: number, body: string) {
      api.calls.push(`update ${id}`);
      api.comments.find((comment) => comment.id === id)!.body = body;
    },
  };
  return api;
}

const staging = targetLine({ workspaceId: 'ws-staging', project: 'p', directory: '.' });
const production = targetLine({ workspaceId: 'ws-production', project: 'p', directory: '.' });

describe('the plan comment', () => {
  it('keeps one comment per target and leaves an unchanged one alone', async () => {
    const api = memoryComments([{ id: 1, body: `${COMMENT_MARKER}\nstaging plan\n${staging}` }, { id: 2, body: 'a review' }]);
    expect(await upsertComment(api, { issue: 1, target: production, body: `${COMMENT_MARKER}\nproduction plan\n${production}` })).toEqual({ id: 3, action: 'created' });
    expect(await upsertComment(api, { issue: 1, target: staging, body: `${COMMENT_MARKER}\nnew staging plan\n${staging}` })).toEqual({ id: 1, action: 'updated' });
    expect(await upsertComment(api, { issue: 1, target: staging, body: `${COMMENT_MARKER}\nnew staging plan\n${staging}` })).toEqual({ id: 1, action: 'unchanged' });
    expect(api.calls).toEqual(['list', 'create', 'list', 'update 1', 'list']);
    expect(staging).toMatch(/^<!-- intuned-gitops:target [0-9a-f]{12} -->$/);
    expect(staging).not.toContain('ws-staging');
  });

  it('keeps the validate-only comment under GitHub\'s limit however many problems there are', () => {
    const problems: Problem[] = Array.from({ length: 5000 }, (_, index) => ({ file: `intuned-resources/auth-sessions/s${index}.auth-session.json`, line: 2, column: 3, message: `unknown key "paramters" ${'x'.repeat(80)}` }));
    const markdown = renderValidateMarkdown(
      { reason: 'a fork.', next: 'Merge to apply.', folderFound: true, sessions: 0, files: 5000, problems, unsetEnv: [] },
      { footer: `<sub>run</sub>\n${staging}`, pathOf: (problem) => problem.file },
    );
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown.startsWith(COMMENT_MARKER)).toBe(true);
    expect(markdown).toContain('❌ **5,000 problems in 5,000 files**');
    expect(markdown).toContain('… and ');
    expect(markdown.trimEnd().endsWith(staging)).toBe(true);
  });
});
