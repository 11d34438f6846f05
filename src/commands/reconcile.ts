/** `reconcile [--dry-run]` (aliases `plan`, `apply`): run() with the CLI's settings, rendered. */
import { describeError, EXIT_CHANGES, EXIT_ERROR, EXIT_OK, formatErrorReport, InputError, UnsafePlanError } from '../errors.js';
import type { Output } from '../io.js';
import type { IntunedApi } from '../api/types.js';
import { createIntunedClient, type IntunedClient } from '../api/client.js';
import { run, type RunResult } from '../run.js';
import { resolveSettings, type ReconcileFlags, type ReconcileSettings } from '../settings.js';
import { maskingOutput, RunSecrets } from '../secrets.js';
import { createProgress } from '../progress.js';
import { promptOnTerminal } from '../prompt.js';
import { renderApplyText, renderPlanText } from '../render/text.js';
import { renderApplyJson, renderPlanJson } from '../render/json.js';
import { renderApplyMarkdown, renderPlanMarkdown } from '../render/markdown.js';

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
  const settings = resolveSettings(options.flags, options.env);
  const secrets = new RunSecrets({ apiKey: settings.apiKey, ...(settings.stateKey ? { stateKey: settings.stateKey } : {}) });
  // JSON is not masked as text (a match inside a key or keyword would break the document): what
  // it can hold from the API is masked at the source, by the client.
  const masked = maskingOutput(options.output, () => secrets.outputSecrets());
  const output = settings.output === 'json' ? { ...masked, out: (text: string) => options.output.out(text) } : masked;
  const client = options.api ?? createIntunedClient({ baseUrl: settings.apiUrl, apiKey: settings.apiKey, workspaceId: settings.workspaceId, project: settings.project, apiGeneration: settings.apiGeneration, mask: secrets.maskApiText });
  const progress = createProgress(output);
  const timings: Record<string, number> = {};
  let result: RunResult;
  try {
    result = await run({
      mode: options.dryRun ? 'plan' : 'apply',
      dir: settings.dir,
      workspaceId: settings.workspaceId,
      project: settings.project,
      apiKey: settings.apiKey,
      state: settings.state,
      ...(settings.stateKey ? { stateKey: settings.stateKey } : {}),
      force: settings.force,
      concurrency: settings.concurrency,
      timeoutMs: settings.timeoutMs,
      env: options.env,
      api: client,
      timings,
      onLoaded: (load) => secrets.learn(load),
      // A one-time code can be asked only where a person can type it.
      ...(options.output.interactive && process.stdin.isTTY ? { prompt: promptOnTerminal } : {}),
      onPlan: (plan) => {
        if (settings.output === 'text') output.err(renderPlanText(plan, { color: false }) + '\n');
        progress.expect(plan.summary.create + plan.summary.update + plan.summary.delete);
      },
      onEvent: (event) => progress.onEvent(event),
    });
  } catch (error) {
    // Reported here, through the masking output, rather than by the CLI's last-resort handler.
    progress.stop();
    output.err(`${formatErrorReport(error)}\n`);
    // A pipeline reading the JSON document gets one on failure too.
    if (settings.output === 'json') output.out(renderErrorJson(error));
    return EXIT_ERROR;
  } finally {
    progress.stop();
    if (options.timings) reportTimings(output, timings, options.api ? undefined : (client as IntunedClient));
    if (!options.api) await (client as IntunedClient).close();
  }
  output.out(render(result, settings));
  return exitCode(result, settings, output);
}

function reportTimings(output: Output, timings: Record<string, number>, client: IntunedClient | undefined): void {
  const stages = Object.fromEntries(Object.entries(timings).map(([stage, ms]) => [stage, Math.round(ms * 10) / 10]));
  const report = { timings: stages, requests: client?.stats(), peakRssBytes: process.resourceUsage().maxRSS * 1024, uptimeMs: Math.round(process.uptime() * 1000) };
  output.err(`${JSON.stringify({ intunedGitopsTimings: report })}\n`);
}

function renderErrorJson(error: unknown): string {
  const problems = error instanceof InputError ? error.problems : [];
  return `${JSON.stringify({ formatVersion: 1, error: { message: describeError(error), ...(problems.length > 0 ? { problems } : {}) } }, null, 2)}\n`;
}

function render(result: RunResult, settings: ReconcileSettings): string {
  const color = settings.output === 'text' && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  if (result.apply) {
    if (settings.output === 'json') return renderApplyJson(result.apply);
    if (settings.output === 'markdown') return renderApplyMarkdown(result.apply);
    // The plan went to stderr before the apply began (onPlan), and each success as it happened.
    return `\n${renderApplyText(result.apply, { color, problemsOnly: true })}`;
  }
  if (settings.output === 'json') return renderPlanJson(result.plan);
  if (settings.output === 'markdown') return renderPlanMarkdown(result.plan);
  return renderPlanText(result.plan, { color });
}

function exitCode(result: RunResult, settings: ReconcileSettings, output: Output): number {
  if (result.plan.unsafe) {
    output.err(`error: ${new UnsafePlanError(result.plan.unsafe.message).message}\n`);
    return EXIT_ERROR;
  }
  if (result.plan.errors.length > 0 || result.apply?.failed) return EXIT_ERROR;
  if (!settings.detailedExitcode) return EXIT_OK;
  // Pending: anything to create, update or delete, and deletes skipped while a session is in
  // use (a later run makes them); the same meaning before and after an apply.
  const pending = result.apply ? result.apply.summary.skipped > 0 : result.plan.hasChanges || result.plan.summary.skip > 0;
  return pending ? EXIT_CHANGES : EXIT_OK;
}
