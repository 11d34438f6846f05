/** `reconcile [--dry-run]` (aliases `plan`, `apply`): run() with the CLI's settings, rendered. */
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK, UnsafePlanError } from '../errors.js';
import type { Output } from '../io.js';
import type { IntunedApi } from '../api/types.js';
import { createIntunedClient, type IntunedClient } from '../api/client.js';
import { run, type RunResult } from '../run.js';
import { resolveSettings, type ReconcileFlags, type ReconcileSettings } from '../settings.js';
import { maskingOutput, maskSecrets, RunSecrets } from '../secrets.js';
import { createProgress, pausingFor } from '../progress.js';
import { promptOnTerminal } from '../prompt.js';
import { renderApplyText, renderPlanText } from '../render/text.js';
import { renderApplyJson, renderPlanJson } from '../render/json.js';
import { renderApplyMarkdown, renderPlanMarkdown } from '../render/markdown.js';
import { planPending } from '../render/summary.js';
import { applyPending } from '../render/outcomes.js';
import { outputFormatOf, reportFailure } from './failure.js';
import { renderReviewText } from '../render/review.js';
import { refusalMessage, reviewRefusal } from '../engine/review.js';

const REVIEW_NEXT = 'Review a new plan (--output json) that shows them, or run without --expect-plan.';
import { readExpectedPlan } from './expect-plan.js';

export interface ReconcileCommandOptions {
  flags: ReconcileFlags;
  dryRun: boolean;
  env: Record<string, string | undefined>;
  output: Output;
  /** Tests may pass an in-memory API; otherwise the HTTP client is built from the settings. */
  api?: IntunedApi;
  /** Print one JSON line of stage timings, request counts and peak memory to stderr (benchmarks). */
  timings?: boolean;
}

export async function reconcileCommand(options: ReconcileCommandOptions): Promise<number> {
  let settings: ReconcileSettings;
  let client: IntunedApi;
  let deadline: number;
  let secrets: RunSecrets;
  try {
    settings = resolveSettings(options.flags, options.env);
    secrets = new RunSecrets({ apiKey: settings.apiKey, ...(settings.stateKey ? { stateKey: settings.stateKey } : {}) });
    // --timeout is a deadline for the whole run: every request and every wait ends by it.
    deadline = Date.now() + settings.timeoutMs;
    client = options.api ?? createIntunedClient({ baseUrl: settings.apiUrl, apiKey: settings.apiKey, workspaceId: settings.workspaceId, project: settings.project, apiGeneration: settings.apiGeneration, deadline, mask: secrets.maskApiText, adaptivePace: options.env.INTUNED_GITOPS_FIXED_PACE !== '1' });
  } catch (error) {
    return reportFailure(options.output, outputFormatOf(options.flags.output), error);
  }
  // JSON is not masked as text (a match inside a key or keyword would break the document): what
  // it can hold from the API is masked at the source, by the client.
  const masked = maskingOutput(options.output, () => secrets.outputSecrets());
  const output = settings.output === 'json' ? { ...masked, out: (text: string) => options.output.out(text) } : masked;
  const progress = createProgress(output);
  const timings: Record<string, number> = {};
  let result: RunResult;
  try {
    const reviewed = settings.expectPlan === undefined ? undefined : await readExpectedPlan(settings.expectPlan);
    result = await run({
      mode: options.dryRun ? 'plan' : 'apply',
      dir: settings.dir,
      workspaceId: settings.workspaceId,
      project: settings.project,
      apiKey: settings.apiKey,
      state: settings.state,
      ...(settings.stateKey ? { stateKey: settings.stateKey } : {}),
      ...(settings.forceUnlock !== undefined ? { forceUnlock: settings.forceUnlock } : {}),
      onNotice: (message) => output.err(`warning: ${message}\n`),
      force: settings.force,
      concurrency: settings.concurrency,
      timeoutMs: settings.timeoutMs,
      deadline,
      env: options.env,
      api: client,
      timings,
      ...(reviewed ? { review: { reviewed, refuseUnseenDeletes: true } } : {}),
      onLoaded: (load) => secrets.learn(load),
      // A one-time code can be asked only where a person can type it.
      ...(options.output.interactive && process.stdin.isTTY ? { prompt: pausingFor(progress, promptOnTerminal) } : {}),
      onPlan: (plan) => {
        // The plan is part of the result: `apply > log` keeps it (live progress goes to stderr).
        if (settings.output === 'text') output.out(renderPlanText(plan, { color: textColor(settings) }));
        progress.expect(plan.summary.create + plan.summary.update + plan.summary.delete);
      },
      onEvent: (event) => progress.onEvent(event),
    });
  } catch (error) {
    // Reported here, through the masking output, rather than by the CLI's last-resort handler.
    progress.stop();
    return reportFailure(output, settings.output, error, { mask: (text) => maskSecrets(text, secrets.outputSecrets()) });
  } finally {
    progress.stop();
    if (options.timings) reportTimings(output, timings, options.api ? undefined : (client as IntunedClient));
    if (!options.api) await (client as IntunedClient).close();
  }
  if (result.review) output.err(renderReviewText(result.review.comparison));
  output.out(render(result, settings));
  return exitCode(result, settings, output);
}

function reportTimings(output: Output, timings: Record<string, number>, client: IntunedClient | undefined): void {
  const stages = Object.fromEntries(Object.entries(timings).map(([stage, ms]) => [stage, Math.round(ms * 10) / 10]));
  const report = { timings: stages, requests: client?.stats(), peakRssBytes: process.resourceUsage().maxRSS * 1024, uptimeMs: Math.round(process.uptime() * 1000) };
  output.err(`${JSON.stringify({ intunedGitopsTimings: report })}\n`);
}

function textColor(settings: ReconcileSettings): boolean {
  return settings.output === 'text' && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

function render(result: RunResult, settings: ReconcileSettings): string {
  const color = textColor(settings);
  if (result.apply) {
    if (settings.output === 'json') return renderApplyJson(result.apply);
    if (settings.output === 'markdown') return renderApplyMarkdown(result.apply);
    // Where stdout is the terminal that showed each success live, list only the problems; a
    // file or a pipe gets every result.
    return `\n${renderApplyText(result.apply, { color, problemsOnly: Boolean(process.stdout.isTTY) })}`;
  }
  const refused = result.review?.refused ? { refused: reviewRefusal(result.review.comparison, REVIEW_NEXT) } : {};
  if (settings.output === 'json') return renderPlanJson(result.plan, refused);
  if (settings.output === 'markdown') return renderPlanMarkdown(result.plan, refused);
  return renderPlanText(result.plan, { color, ...refused });
}

function exitCode(result: RunResult, settings: ReconcileSettings, output: Output): number {
  if (result.plan.unsafe) {
    output.err(`error: ${new UnsafePlanError(result.plan.unsafe.message).message}\n`);
    return EXIT_ERROR;
  }
  if (result.review?.refused) {
    output.err(`error: ${refusalMessage(result.review.comparison, REVIEW_NEXT)}\n`);
    return EXIT_ERROR;
  }
  if (result.plan.errors.length > 0 || result.apply?.failed) return EXIT_ERROR;
  if (!settings.detailedExitcode) return EXIT_OK;
  // The same rule as the JSON document's `pending`.
  const pending = result.apply ? applyPending(result.apply) : planPending(result.plan);
  return pending ? EXIT_CHANGES : EXIT_OK;
}
