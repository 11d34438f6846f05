/**
 * Plan (pull request, drift) or apply (push) through the same `run()` as the CLI, then the log,
 * the comment and summary, the outputs, and the step's result. A push's apply is compared with
 * the reviewed plan first (`review`), inside `run()`, before anything is sent.
 */
import { describeError } from '../errors.js';
import { createIntunedClient } from '../api/client.js';
import { openIntuned, refusalsOf, sharedRunOptions, type IntunedFactory } from '../front-end/run-options.js';
import { run, type RunResult } from '../run.js';
import { createProgress } from '../front-end/progress.js';
import { openStateBackend } from '../state/index.js';
import { gitStateBackend } from '../state/git.js';
import type { StateBackend } from '../state/types.js';
import { RENDERERS } from '../render/formats.js';
import { APPLY_TITLE, renderApplyMarkdown, renderPlanMarkdown } from '../render/markdown.js';
import type { Plan } from '../engine/types.js';
import { planChangeList } from '../render/summary.js';
import { hasChanges, summarizeIfApplied, summarizePlan } from '../engine/summary.js';
import { planDataLine } from './plan-data.js';
import type { PushReview } from './pinned.js';
import { comparisonDocument, REVIEW_REFUSAL_NEXT, reviewReport } from './review.js';
import { renderApplyText, renderPlanText } from '../render/text.js';
import { plural } from '../render/summary.js';
import type { ActionSettings } from './inputs.js';
import { logOutput } from './masking.js';
import type { RunSecrets } from '../secrets.js';
import type { Publisher } from './publish.js';
import type { ActionIO } from './types.js';
import { definedOnly } from '../engine/optional.js';

/** Failed operations named in the step's error; the rest are in the summary and the log. */
const FAILURES_NAMED = 5;

export type StateOpener = (spec: string, dir: string) => Promise<StateBackend>;

export interface ReconcileContext {
  io: ActionIO;
  env: Readonly<Record<string, string | undefined>>;
  settings: ActionSettings;
  secrets: RunSecrets;
  publisher: Publisher;
  intuned?: IntunedFactory;
  openState?: StateOpener;
  /** On a push: the reviewed plan found (or that it was a direct push). */
  pushReview?: PushReview;
  /** On a pull request: its head commit, recorded with the pinned plan. */
  commit?: string;
  /** Drift mode: the sentence the plan markdown starts with, in place of what merging does. */
  lead?: (plan: Plan) => string;
  /** Aborted when the workflow run is cancelled: see `RunOptions.signal`. */
  signal?: AbortSignal;
}

export interface ReconcileResult {
  result: RunResult;
  /** For setFailed; undefined when the step succeeds. */
  failure?: string;
}

export async function reconcile(context: ReconcileContext): Promise<ReconcileResult> {
  const { settings, secrets, io } = context;
  const log = logOutput(io, secrets);
  const setup = openIntuned(settings, secrets, context.intuned ?? createIntunedClient);
  const client = setup.api;
  const progress = createProgress(log);
  let result: RunResult;
  let stateFailure: unknown;
  try {
    const backend = await (context.openState ?? defaultOpener(context.env))(settings.state, settings.dir);
    const reviewed = context.pushReview?.kind === 'reviewed' ? context.pushReview.reviewed : undefined;
    result = await run({
      ...sharedRunOptions({ config: settings, secrets, setup, progress, printPlan: (plan) => log.out(renderPlanText(plan, { color: false })) }),
      mode: settings.mode === 'apply' ? 'apply' : 'plan',
      dir: settings.dir,
      state: settings.state,
      // A lost push race is reported with the apply's result, not instead of it.
      stateBackend: deferFinish(backend, (error) => (stateFailure = error)),
      env: context.env,
      ...(reviewed ? { review: { reviewed, refuseUnseenDeletes: settings.planMismatch === 'refuse' } } : {}),
      onNotice: (message) => io.warning(secrets.mask(message)),
      ...definedOnly({ signal: context.signal }),
    });
  } finally {
    progress.stop();
    await client.close?.();
  }

  log.out(result.apply ? renderApplyText(result.apply, { color: false }) : renderPlanText(result.plan, { color: false }));
  context.publisher.annotate(result.plan.errors.flatMap((error) => (error.file ? [{ file: error.file, line: 1, column: 1, message: `${error.id}: ${error.message}` }] : [])));
  const review = reviewReport(context.pushReview, result);
  if (review.log) log.out(review.log);
  await context.publisher.markdown(documentOf(context, result) + review.markdown);
  setOutputs(io, secrets, result);
  const failure = failureOf(result, stateFailure);
  return failure ? { result, failure } : { result };
}

/** The comment or summary: the apply result, the refused plan, or the plan (with its pinned data on a pull request). */
function documentOf(context: ReconcileContext, result: RunResult): string {
  const { footer } = context.publisher;
  if (result.apply) return renderApplyMarkdown(result.apply, { footer });
  if (result.review?.refused) {
    const would = planChangeList(result.plan);
    const lead = `**⛔ Not applied: this plan deletes what the reviewed plan did not show.**${would ? ` It would ${would}.` : ''}`;
    return renderPlanMarkdown(result.plan, { footer, title: APPLY_TITLE, lead });
  }
  if (context.settings.mode === 'plan') return renderPlanMarkdown(result.plan, { footer: `${footer}\n${planDataLine(result.plan, context.commit ? { commit: context.commit } : {})}` });
  return renderPlanMarkdown(result.plan, { footer, ...(context.lead ? { lead: context.lead(result.plan) } : {}) });
}

function defaultOpener(env: Readonly<Record<string, string | undefined>>): StateOpener {
  return async (spec, dir) => {
    const branch = /^git:(.+)$/.exec(spec)?.[1];
    if (!branch) return openStateBackend(spec, dir);
    const sha = env.GITHUB_SHA ? ` after ${env.GITHUB_SHA.slice(0, 7)}` : '';
    const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `\n\n${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : '';
    return gitStateBackend({ branch, dir, spec, message: `intuned-gitops: state${sha}${runUrl}` });
  };
}

function deferFinish(backend: StateBackend, onError: (error: unknown) => void): StateBackend {
  const { finish } = backend;
  return {
    description: backend.description,
    ...definedOnly({ locking: backend.locking }),
    read: () => backend.read(),
    write: (document) => backend.write(document),
    ...(finish
      ? {
          finish: async (document) => {
            try {
              await finish.call(backend, document);
            } catch (error) {
              onError(error);
            }
          },
        }
      : {}),
  };
}

function setOutputs(io: ActionIO, secrets: RunSecrets, result: RunResult): void {
  const { plan, apply } = result;
  // In plan mode the counts are what the plan would do; nothing has failed yet.
  const counts = apply ? apply.summary : summarizeIfApplied(plan);
  io.setOutput('has-changes', String(hasChanges(summarizePlan(plan))));
  io.setOutput('plan', secrets.mask(apply ? RENDERERS.json.apply(apply) : RENDERERS.json.plan(plan)));
  for (const name of ['created', 'updated', 'deleted', 'skipped', 'failed'] as const) io.setOutput(name, String(counts[name]));
  if (result.review) io.setOutput('plan-comparison', secrets.mask(JSON.stringify(comparisonDocument(result.review))));
}

function failureOf({ plan, apply, ...rest }: RunResult, stateFailure: unknown): string | undefined {
  const reasons: string[] = [];
  reasons.push(...refusalsOf({ plan, ...rest }, REVIEW_REFUSAL_NEXT).map((refusal) => describeError(refusal)));
  if (plan.errors.length > 0) {
    reasons.push(`${plan.errors.length} ${plural(plan.errors.length, 'AuthSession')} could not be planned: ${plan.errors.map((error) => `${error.id} (${error.message})`).join('; ')}`);
  }
  const failed = apply?.results.filter((result) => result.status === 'failed') ?? [];
  if (failed.length > 0) {
    const named = failed.slice(0, FAILURES_NAMED).map((result) => `${result.entry.action} ${result.entry.id}: ${result.message ?? 'failed'}`);
    const more = failed.length > FAILURES_NAMED ? `; and ${failed.length - FAILURES_NAMED} more` : '';
    reasons.push(`${failed.length} ${plural(failed.length, 'operation')} failed (${named.join('; ')}${more}). The state records them, so the next run retries them.`);
  }
  if (stateFailure !== undefined) reasons.push(describeError(stateFailure));
  return reasons.length > 0 ? reasons.join('\n') : undefined;
}
