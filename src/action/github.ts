/** The GitHub REST adapter: issue comments through `@actions/github`'s octokit. */
import { getOctokit } from '@actions/github';
import type { CommentsApi, CommentsTarget, IssueComment } from './types.js';

/** GitHub's largest page: the fewest requests to scan a long discussion. */
export const COMMENTS_PAGE_SIZE = 100;

export function githubComments(target: CommentsTarget): CommentsApi {
  const octokit = getOctokit(target.token, target.apiUrl ? { baseUrl: target.apiUrl } : {});
  const { owner, repo } = target;
  return {
    async *list(issue) {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: COMMENTS_PAGE_SIZE });
      for await (const page of pages) {
        for (const comment of page.data) yield toComment(comment);
      }
    },
    async create(issue, body) {
      const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body });
      return toComment(created.data);
    },
    async update(commentId, body) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
    },
  };
}

function toComment(comment: { id: number; body?: string | null }): IssueComment {
  return { id: comment.id, body: comment.body ?? '' };
}
