/**
 * What the CLI and the Action do alike around `run()`, from one `RunConfig`: the run's secrets,
 * the API client, the deadline, and what happens once the plan is about to be applied. Each
 * front end adds only what it alone has (a prompt, a reviewed plan, a state backend).
 */
import type { IntunedApi } from '../api/types.js';
import type { ClientOptions } from '../api/options.js';
import type { Plan } from '../engine/types.js';
import { changesToRun, hasJobs } from '../engine/summary.js';
import type { Progress } from './progress.js';
import type { RunOptions, RunResult } from '../run.js';
import { UnsafePlanError } from '../errors.js';
import { refusalMessage } from '../engine/review.js';
import { RunSecrets } from '../secrets.js';
import { clientOptionsOf, type RunConfig } from './settings.js';
import { definedOnly } from '../engine/optional.js';

/** Makes the API client (default: the HTTP client; tests may pass another). */
export type IntunedFactory = (options: ClientOptions) => IntunedApi & { close?(): Promise<void> };

export interface RunSetup<Api extends IntunedApi> {
  /** When the run must end: `--timeout` is a deadline for the whole run, every request and every wait end by it. */
  deadline: number;
  api: Api;
}

/** The deadline and the client, made at the start of the run with the run's secrets. */
export function openIntuned<Api extends IntunedApi>(config: RunConfig, secrets: RunSecrets, factory: (options: ClientOptions) => Api): RunSetup<Api> {
  const deadline = Date.now() + config.timeoutMs;
  return { deadline, api: factory(clientOptionsOf(config, { deadline, mask: secrets.maskApiText })) };
}

/** The tool's keys of a config, for the run's secrets. */
export function configSecrets(config: RunConfig): RunSecrets {
  return new RunSecrets({ apiKey: config.apiKey, stateKey: config.stateKey });
}

export interface SharedRunOptions {
  config: RunConfig;
  secrets: RunSecrets;
  setup: RunSetup<IntunedApi>;
  progress: Progress;
  /** Prints the plan before it is applied (the CLI: text output only). */
  printPlan?: (plan: Plan) => void;
}

/** The options of `run()` that both front ends set the same way. */
export function sharedRunOptions({ config, secrets, setup, progress, printPlan }: SharedRunOptions) {
  return {
    workspaceId: config.workspaceId,
    project: config.project,
    apiKey: config.apiKey,
    ...definedOnly({ stateKey: config.stateKey }),
    force: config.force,
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    deadline: setup.deadline,
    api: setup.api,
    secrets,
    onPlan: (plan: Plan) => {
      printPlan?.(plan);
      progress.expect(changesToRun(plan), hasJobs(plan));
    },
    onEvent: (event) => progress.onEvent(event),
  } satisfies Partial<RunOptions>;
}

/**
 * Why a run that threw nothing still fails, as the errors it is reported with: a plan that
 * deletes too much, and one that deletes what the reviewed plan did not show (`next`: what the
 * reader can do about that, which differs between the CLI and the Action).
 */
export function refusalsOf(result: Pick<RunResult, 'plan' | 'review'>, next: string): UnsafePlanError[] {
  return [
    ...(result.plan.unsafe ? [new UnsafePlanError(result.plan.unsafe.message)] : []),
    ...(result.review?.refused ? [new UnsafePlanError(refusalMessage(result.review.comparison, next))] : []),
  ];
}
