/**
 * `runAction(deps)`: the whole Action over injected process values, so tests run it without a
 * runner. Reads the inputs, masks every secret before anything is printed, picks the flow
 * (plan, apply, drift, or validate-only for a pull request that cannot be planned), and maps
 * every error to the step's result in one place.
 */
import { failureOf, InputError } from '../errors.js';
import type { Plan } from '../engine/types.js';
import { targetLine } from './comment.js';
import { keepDriftIssue, driftLead } from './drift.js';
import { commentsTarget, pullRequestOf, repositoryOf } from './event.js';
import { findPushReview, type PushReview } from './pinned.js';
import { readSettings, requireIntuned, type ActionInputs, type ActionSettings } from './inputs.js';
import { actionSecrets } from './masking.js';
import type { RunSecrets } from '../secrets.js';
import { renderFailureMarkdown } from '../render/no-plan-markdown.js';
import { createPublisher, type Publisher } from './publish.js';
import { reconcile, type StateOpener } from './reconcile.js';
import type { IntunedFactory } from '../front-end/run-options.js';
import type { ActionIO, CommentsTarget, GitHubApi, GitHubEvent } from './types.js';
import { validateOnly } from './validate.js';
import { definedOnly } from '../engine/optional.js';

export interface ActionDeps {
  /** The inputs of action.yml by name ('' or absent when not given). */
  inputs: ActionInputs;
  /** The step's environment: GITHUB_* context, and the variables `${env:}` references read. */
  env: Readonly<Record<string, string | undefined>>;
  event: GitHubEvent;
  /** The repository root (GITHUB_WORKSPACE); the `directory` input is relative to it. */
  workspace: string;
  io: ActionIO;
  /** The GitHub REST adapter: comments, the pull requests of a commit, issues. */
  github: (target: CommentsTarget) => GitHubApi;
  /** Default: the clock; when a drift was seen. */
  now?: () => Date;
  /** Default: the HTTP client for `api-url`. */
  intuned?: IntunedFactory;
  /** Default: `git:` with a commit message naming the run, else `openStateBackend`. */
  openState?: StateOpener;
  /** Aborted when the workflow run is cancelled (SIGINT, SIGTERM): see `RunOptions.signal`. */
  signal?: AbortSignal;
}

export interface ActionResult {
  /** `validate` when a pull request could not be planned. */
  flow: 'plan' | 'apply' | 'drift' | 'validate' | 'none';
  /** What the step failed with (already given to `setFailed`). */
  failure?: string;
}

export async function runAction(deps: ActionDeps): Promise<ActionResult> {
  // Before anything can print: whatever the inputs turn out to say, these are secrets.
  const secrets = actionSecrets(deps.io, deps.inputs, deps.env);
  const pr = pullRequestOf(deps.event);
  let settings: ActionSettings | undefined;
  let publisher: Publisher | undefined;
  let flow: ActionResult['flow'] = 'none';
  try {
    settings = readSettings({ inputs: deps.inputs, env: deps.env, eventName: deps.event.name, workspace: deps.workspace });
    // A drift check run on a pull request's event must not replace that pull request's plan comment.
    const commented = settings.mode === 'drift' ? undefined : pr;
    publisher = createPublisher({ io: deps.io, env: deps.env, event: deps.event, settings, secrets, pr: commented, github: deps.github });
    const context = { io: deps.io, env: deps.env, settings, secrets, publisher, ...definedOnly({ signal: deps.signal }) };
    if (settings.mode === 'plan' && pr && (pr.fork || !settings.apiKey)) {
      flow = 'validate';
      return conclude(deps.io, secrets, flow, await validateOnly({ ...context, pr }));
    }
    requireIntuned(settings);
    flow = settings.mode;
    const github = githubOf(deps, settings);
    const target = targetLine({ workspaceId: settings.workspaceId, project: settings.project, directory: settings.directory });
    // Only a push is the merge of a reviewed plan; a manual apply is its own review.
    const pushReview: PushReview | undefined =
      settings.mode === 'apply' && deps.event.name === 'push'
        ? await findPushReview({ api: github.api, sha: deps.env.GITHUB_SHA, target, ...definedOnly({ unavailable: github.why }) })
        : undefined;
    const drift = settings.mode === 'drift' ? { lead: driftLead } : {};
    const commit = pr?.headSha ? { commit: pr.headSha } : {};
    const outcome = await reconcile({ ...context, intuned: deps.intuned, openState: deps.openState, ...definedOnly({ pushReview }), ...drift, ...commit });
    if (settings.mode === 'drift') await reportDrift({ io: deps.io, secrets, github, target, publisher, settings, plan: outcome.result.plan, now: (deps.now ?? (() => new Date()))() });
    return conclude(deps.io, secrets, flow, outcome.failure);
  } catch (error) {
    const mode = settings?.mode ?? 'plan';
    return conclude(deps.io, secrets, flow, await reportError(error, { io: deps.io, secrets, publisher, mode }));
  }
}

interface GitHubAccess {
  api?: GitHubApi;
  /** Why there is no `api`. */
  why?: string;
}

function githubOf(deps: ActionDeps, settings: ActionSettings): GitHubAccess {
  const repository = repositoryOf(deps.env, deps.event);
  if (!repository) return { why: 'the repository is unknown (no GITHUB_REPOSITORY)' };
  if (!settings.githubToken) return { why: 'the github-token input is empty' };
  return { api: deps.github(commentsTarget(deps.env, repository, settings.githubToken)) };
}

/** The drift issue; a failure to keep it fails the step (the issue is what drift mode is for). */
async function reportDrift(context: { io: ActionIO; secrets: RunSecrets; github: GitHubAccess; target: string; publisher: Publisher; settings: ActionSettings; plan: Plan; now: Date }): Promise<void> {
  const { io, secrets, github } = context;
  if (!github.api) throw new InputError(`drift mode keeps an issue, but ${github.why}; the workflow needs \`permissions: issues: write\``);
  let result;
  try {
    result = await keepDriftIssue({
      api: github.api,
      plan: context.plan,
      target: context.target,
      footer: context.publisher.footer,
      directory: context.settings.directory,
      now: context.now,
      mask: (text) => secrets.mask(text),
    });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const said = `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${(error as Error).message}`;
    throw new InputError(`could not keep the drift issue (${said}); the workflow needs \`permissions: issues: write\``);
  }
  if (result.issue !== undefined) io.setOutput('drift-issue', String(result.issue));
  const said = { opened: 'opened', updated: 'updated', closed: 'closed: back in sync', none: 'left as it is' }[result.action];
  io.info(result.issue === undefined ? 'No drift, and no drift issue is open.' : `Drift issue #${result.issue} ${said}.`);
}

function conclude(io: ActionIO, secrets: RunSecrets, flow: ActionResult['flow'], failure: string | undefined): ActionResult {
  if (failure === undefined) return { flow };
  const masked = secrets.mask(failure);
  io.setFailed(masked);
  return { flow, failure: masked };
}

/** Annotations for file problems; a comment that replaces the last plan, so none looks current. */
async function reportError(error: unknown, context: { io: ActionIO; secrets: RunSecrets; publisher: Publisher | undefined; mode: ActionSettings['mode'] }): Promise<string> {
  const { publisher, secrets } = context;
  const problems = error instanceof InputError ? error.problems : [];
  const failure = failureOf(error);
  if (failure.bug) context.io.info(secrets.mask(failure.message));
  const brief = secrets.mask(failure.brief);
  if (publisher) {
    publisher.annotate(problems);
    try {
      // A failed drift check is a plan that could not run.
      await publisher.markdown(renderFailureMarkdown({ mode: context.mode === 'apply' ? 'apply' : 'plan', message: brief, problems }, { footer: publisher.footer, pathOf: publisher.pathOf }));
    } catch (summaryError) {
      context.io.warning(secrets.mask(`could not write the job summary: ${(summaryError as Error).message}`));
    }
  }
  return brief;
}
