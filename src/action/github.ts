/** The GitHub REST adapter: comments, the pull requests of a commit, and issues, through `@actions/github`'s octokit. */
import { getOctokit } from '@actions/github';
import type { CommentsTarget, GitHubApi, IssueComment } from './types.js';
import { definedOnly } from '../engine/optional.js';

/** GitHub's largest page: the fewest requests to scan a long discussion. */
export const COMMENTS_PAGE_SIZE = 100;

export function githubApi(target: CommentsTarget): GitHubApi {
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
    async pullsOfCommit(sha) {
      const pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, { owner, repo, commit_sha: sha, per_page: COMMENTS_PAGE_SIZE });
      return pulls.map((pull) => ({
        number: pull.number,
        merged: Boolean(pull.merged_at),
        ...definedOnly({ mergeCommitSha: pull.merge_commit_sha || undefined, headSha: pull.head?.sha || undefined, url: pull.html_url || undefined }),
      }));
    },
    async *openIssues(label) {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner, repo, labels: label, state: 'open', per_page: COMMENTS_PAGE_SIZE });
      for await (const page of pages) {
        // The issues endpoint lists pull requests too.
        for (const issue of page.data) if (!issue.pull_request) yield { number: issue.number, body: issue.body ?? '', url: issue.html_url };
      }
    },
    async createIssue(issue) {
      const created = await octokit.rest.issues.create({ owner, repo, title: issue.title, body: issue.body, labels: issue.labels });
      return { number: created.data.number, body: created.data.body ?? '', url: created.data.html_url };
    },
    async updateIssue(number, change) {
      await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: number,
        ...definedOnly({ body: change.body }),
        ...(change.close ? { state: 'closed' as const, state_reason: 'completed' as const } : {}),
      });
    },
  };
}

function toComment(comment: { id: number; body?: string | null }): IssueComment {
  return { id: comment.id, body: comment.body ?? '' };
}
