/**
 * `runAction(deps)`: the whole Action over injected process values, so tests run it without a
 * runner. Reads the inputs, masks every secret before anything is printed, picks the flow
 * (plan, apply, or validate-only for a pull request that cannot be planned), and maps every
 * error to the step's result in one place.
 */
import { ApiError, describeError, InputError, StateError, UnsafePlanError } from '../errors.js';
import { pullRequestOf } from './event.js';
import { readSettings, requireIntuned, type ActionInputs, type ActionSettings } from './inputs.js';
import { ActionSecrets } from './masking.js';
import { renderFailureMarkdown } from './markdown.js';
import { createPublisher, type Publisher } from './publish.js';
import { reconcile, type IntunedFactory, type StateOpener } from './reconcile.js';
import type { ActionIO, CommentsApi, CommentsTarget, GitHubEvent } from './types.js';
import { validateOnly } from './validate.js';

export interface ActionDeps {
  /** The inputs of action.yml by name ('' or absent when not given). */
  inputs: ActionInputs;
  /** The step's environment: GITHUB_* context, and the variables `${env:}` references read. */
  env: Readonly<Record<string, string | undefined>>;
  event: GitHubEvent;
  /** The repository root (GITHUB_WORKSPACE); the `directory` input is relative to it. */
  workspace: string;
  io: ActionIO;
  comments: (target: CommentsTarget) => CommentsApi;
  /** Default: the HTTP client for `api-url`. */
  intuned?: IntunedFactory;
  /** Default: `git:` with a commit message naming the run, else `openStateBackend`. */
  openState?: StateOpener;
}

export interface ActionResult {
  /** `validate` when a pull request could not be planned. */
  flow: 'plan' | 'apply' | 'validate' | 'none';
  /** What the step failed with (already given to `setFailed`). */
  failure?: string;
}

export async function runAction(deps: ActionDeps): Promise<ActionResult> {
  const secrets = new ActionSecrets(deps.io);
  // Before anything can print: whatever the inputs turn out to say, these are secrets.
  secrets.add(deps.inputs['api-key'], deps.env.INTUNED_API_KEY, deps.inputs['github-token'], deps.env.INTUNED_GITOPS_STATE_KEY);
  const pr = pullRequestOf(deps.event);
  let settings: ActionSettings | undefined;
  let publisher: Publisher | undefined;
  let flow: ActionResult['flow'] = 'none';
  try {
    settings = readSettings({ inputs: deps.inputs, env: deps.env, eventName: deps.event.name, workspace: deps.workspace });
    publisher = createPublisher({ io: deps.io, env: deps.env, event: deps.event, settings, secrets, pr, comments: deps.comments });
    const context = { io: deps.io, env: deps.env, settings, secrets, publisher };
    if (settings.mode === 'plan' && pr && (pr.fork || !settings.apiKey)) {
      flow = 'validate';
      return conclude(deps.io, secrets, flow, await validateOnly({ ...context, pr }));
    }
    requireIntuned(settings);
    flow = settings.mode;
    const outcome = await reconcile({ ...context, intuned: deps.intuned, openState: deps.openState });
    return conclude(deps.io, secrets, flow, outcome.failure);
  } catch (error) {
    const mode = settings?.mode ?? 'plan';
    return conclude(deps.io, secrets, flow, await reportError(error, { io: deps.io, secrets, publisher, mode }));
  }
}

function conclude(io: ActionIO, secrets: ActionSecrets, flow: ActionResult['flow'], failure: string | undefined): ActionResult {
  if (failure === undefined) return { flow };
  const masked = secrets.mask(failure);
  io.setFailed(masked);
  return { flow, failure: masked };
}

/** Annotations for file problems; a comment that replaces the last plan, so none looks current. */
async function reportError(error: unknown, context: { io: ActionIO; secrets: ActionSecrets; publisher: Publisher | undefined; mode: 'plan' | 'apply' }): Promise<string> {
  const { publisher, secrets } = context;
  const problems = error instanceof InputError ? error.problems : [];
  const known = error instanceof InputError || error instanceof ApiError || error instanceof StateError || error instanceof UnsafePlanError;
  const described = secrets.mask(describeError(error));
  if (!known) context.io.info(described);
  // A stack belongs in the log, never in a comment.
  const brief = known ? described : (described.split('\n')[0] ?? described);
  if (publisher) {
    publisher.annotate(problems);
    try {
      await publisher.markdown(renderFailureMarkdown({ mode: context.mode, message: brief, problems }, { footer: publisher.footer, pathOf: publisher.pathOf }));
    } catch (summaryError) {
      context.io.warning(secrets.mask(`could not write the job summary: ${(summaryError as Error).message}`));
    }
  }
  return error instanceof InputError ? error.message : brief;
}
