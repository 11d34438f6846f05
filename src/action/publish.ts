/**
 * Where the Action's results go besides the log: the pull-request comment, the job summary,
 * error annotations on files, and the failed status. Everything passes through the secret mask
 * first: the runner masks its log, but not a comment or a summary.
 */
import { join, relative, sep } from 'node:path';
import type { Problem } from '../errors.js';
import { VERSION } from '../front-end/version.js';
import { targetLine, upsertComment, type UpsertResult } from './comment.js';
import { commentsTarget, repositoryOf, type PullRequest } from './event.js';
import type { ActionSettings } from './inputs.js';
import type { RunSecrets } from '../secrets.js';
import type { ActionIO, CommentsTarget, GitHubApi, GitHubEvent } from './types.js';

export interface PublisherOptions {
  io: ActionIO;
  env: Readonly<Record<string, string | undefined>>;
  event: GitHubEvent;
  settings: ActionSettings;
  secrets: RunSecrets;
  pr: PullRequest | undefined;
  github: (target: CommentsTarget) => GitHubApi;
}

export interface Publisher {
  /** Run link and the hidden target line, for the end of every markdown document. */
  readonly footer: string;
  /** A problem's file as the repository sees it (annotations need it relative to the root). */
  pathOf(problem: Problem): string;
  annotate(problems: readonly Problem[]): void;
  /** Job summary, and the pull request's comment when there is one to keep. */
  markdown(body: string): Promise<UpsertResult | undefined>;
}

export function createPublisher(options: PublisherOptions): Publisher {
  const { io, env, settings, secrets, pr } = options;
  const target = targetLine({ workspaceId: settings.workspaceId, project: settings.project, directory: settings.directory });
  const pathOf = (problem: Problem) => relative(settings.workspace, join(settings.dir, problem.file)).split(sep).join('/');

  const comment = async (body: string): Promise<UpsertResult | undefined> => {
    const repository = repositoryOf(env, options.event);
    if (!pr || !settings.comment || !repository) return undefined;
    const hint = pr.fork ? 'a pull request from a fork gets a read-only token, so this is expected' : 'the workflow needs `permissions: pull-requests: write`';
    if (!settings.githubToken) {
      io.warning(`no pull request comment: the github-token input is empty (${hint}); the plan is in the job summary`);
      return undefined;
    }
    try {
      const api = options.github(commentsTarget(env, repository, settings.githubToken));
      const result = await upsertComment(api, { issue: pr.number, target, body });
      io.info(`Pull request comment ${result.id} ${result.action}.`);
      return result;
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const said = `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${(error as Error).message}`;
      const message = secrets.mask(`could not write the pull request comment (${said}); ${hint}. The plan is in the job summary.`);
      if (pr.fork) io.info(message);
      else io.warning(message);
      return undefined;
    }
  };

  return {
    footer: `<sub>${footerParts(env, pr).join(' · ')}</sub>\n${target}`,
    pathOf,
    annotate(problems) {
      for (const problem of problems) {
        io.error(secrets.mask(problem.message), { file: pathOf(problem), startLine: problem.line, startColumn: problem.column, title: 'intuned-gitops' });
      }
    },
    async markdown(body) {
      const masked = secrets.mask(body);
      await io.summary(masked);
      return comment(masked);
    },
  };
}

function footerParts(env: Readonly<Record<string, string | undefined>>, pr: PullRequest | undefined): string[] {
  const sha = pr?.headSha ?? env.GITHUB_SHA;
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return [
    `intuned-gitops ${VERSION}`,
    ...(sha ? [`commit ${sha.slice(0, 7)}`] : []),
    ...(server && repository && runId ? [`[workflow run](${server}/${repository}/actions/runs/${runId})`] : []),
  ];
}
