/** `reconcile [--dry-run]` (aliases `plan`, `apply`): run() with the CLI's settings, rendered. */
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../../errors.js';
import { maskingOutput, type Output } from '../../front-end/io.js';
import type { IntunedApi } from '../../api/types.js';
import { createIntunedClient, type IntunedClient } from '../../api/client.js';
import { run, type RunResult } from '../../run.js';
import { resolveSettings, type ReconcileFlags, type ReconcileSettings } from '../../front-end/settings.js';
import { maskJsonValues, type RunSecrets } from '../../secrets.js';
import { configSecrets, openIntuned, refusalsOf, sharedRunOptions, type RunSetup } from '../../front-end/run-options.js';
import type { Plan } from '../../engine/types.js';
import { createProgress, pausingFor } from '../../front-end/progress.js';
import { promptOnTerminal } from '../prompt.js';
import { RENDERERS } from '../../render/formats.js';
import { applyPending, planPending } from '../../engine/summary.js';
import { outputFormatOf, reportFailure } from './failure.js';
import { renderReviewText } from '../../render/review.js';
import { reviewRefusal } from '../../engine/review.js';
import { definedOnly } from '../../engine/optional.js';

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
  /** Aborted on SIGINT or SIGTERM: see `RunOptions.signal`. */
  signal?: AbortSignal;
}

export async function reconcileCommand(options: ReconcileCommandOptions): Promise<number> {
  let settings: ReconcileSettings;
  let setup: RunSetup<IntunedApi>;
  let secrets: RunSecrets;
  try {
    settings = resolveSettings(options.flags, options.env);
    secrets = configSecrets(settings);
    setup = openIntuned(settings, secrets, (clientOptions) => options.api ?? createIntunedClient(clientOptions));
  } catch (error) {
    return reportFailure(options.output, outputFormatOf(options.flags.output), error);
  }
  const client = setup.api;
  // JSON is masked value by value, not as text: a match inside a key or keyword would break the
  // document. (IDs the API lists are not masked by the client: the plan matches on them.)
  const masked = maskingOutput(options.output, () => secrets.outputSecrets());
  const output = settings.output === 'json' ? { ...masked, out: (text: string) => options.output.out(maskJsonValues(text, secrets.mask)) } : masked;
  const progress = createProgress(output);
  const timings: Record<string, number> = {};
  let result: RunResult;
  try {
    const reviewed = settings.expectPlan === undefined ? undefined : await readExpectedPlan(settings.expectPlan);
    result = await run({
      ...sharedRunOptions({
        config: settings,
        secrets,
        setup,
        progress,
        // The plan is part of the result: `apply > log` keeps it (live progress goes to stderr).
        ...(settings.output === 'text' ? { printPlan: (plan: Plan) => output.out(RENDERERS.text.plan(plan, { color: textColor(settings) })) } : {}),
      }),
      mode: options.dryRun ? 'plan' : 'apply',
      dir: settings.dir,
      state: settings.state,
      ...definedOnly({ forceUnlock: settings.forceUnlock }),
      onNotice: (message) => output.err(`warning: ${message}\n`),
      env: options.env,
      timings,
      ...(reviewed ? { review: { reviewed, refuseUnseenDeletes: true } } : {}),
      // A one-time code can be asked only where a person can type it.
      ...(options.output.interactive && process.stdin.isTTY ? { prompt: pausingFor(progress, promptOnTerminal) } : {}),
      ...definedOnly({ signal: options.signal }),
    });
  } catch (error) {
    // Reported here, through the masking output, rather than by the CLI's last-resort handler.
    progress.stop();
    return reportFailure(output, settings.output, error, { mask: secrets.mask });
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
  const renderers = RENDERERS[settings.output];
  const color = textColor(settings);
  // Where stdout is the terminal that showed each success live, list only the problems; a
  // file or a pipe gets every result.
  if (result.apply) return renderers.apply(result.apply, { color, problemsOnly: Boolean(process.stdout.isTTY) });
  const refused = result.review?.refused ? reviewRefusal(result.review.comparison, REVIEW_NEXT) : undefined;
  return renderers.plan(result.plan, { color, refused });
}

function exitCode(result: RunResult, settings: ReconcileSettings, output: Output): number {
  // The first reason is enough to act on.
  const [refusal] = refusalsOf(result, REVIEW_NEXT);
  if (refusal) return reportFailure(output, 'text', refusal);
  if (result.plan.errors.length > 0 || result.apply?.failed) return EXIT_ERROR;
  if (!settings.detailedExitcode) return EXIT_OK;
  // The same rule as the JSON document's `pending`.
  const pending = result.apply ? applyPending(result.apply) : planPending(result.plan);
  return pending ? EXIT_CHANGES : EXIT_OK;
}
