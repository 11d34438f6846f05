/**
 * run(): the one flow behind `reconcile` in the CLI and the Action. Load files, read the state,
 * observe Intuned, plan; then, for an apply, execute. Entry points only build the options and
 * render what comes back.
 */
import { InputError, InterruptedError, StateError } from './errors.js';
import type { IntunedApi, OperationResult } from './api/types.js';
import { intunedPort } from './api/port.js';
import { loadResources } from './resources/loader.js';
import type { LoadResult } from './resources/types.js';
import { deriveStateKey, fingerprintJob, fingerprintSession, type Fingerprint, type JobFingerprint } from './engine/fingerprint.js';
import { observe } from './engine/observe.js';
import { plan as computePlan } from './engine/plan.js';
import { apply } from './engine/apply.js';
import { DEFAULT_CONCURRENCY, DEFAULT_STATE, DEFAULT_TIMEOUT_MS } from './defaults.js';
import { NOT_STARTED_INTERRUPTED, type ApplyEvent, type PromptForInfo } from './engine/operation.js';
import type { ApplyResult, Plan } from './engine/types.js';
import type { DeleteThreshold } from './engine/safety.js';
import { comparePlans, type PlanComparison, type ReviewedPlan } from './engine/review.js';
import { openStateBackend } from './state/index.js';
import { lockState, renewForApply, unlockCommand } from './state/lock-run.js';
import { plural } from './engine/words.js';
import { definedOnly } from './engine/optional.js';
import { RunSecrets } from './secrets.js';
import { StateStore } from './state/store.js';
import { emptyState, type JobState, type StateBackend, type StateDocument } from './state/types.js';
import { sessionRecords } from './state/sessions.js';

export interface RunOptions {
  mode: 'plan' | 'apply';
  dir: string;
  workspaceId: string;
  project: string;
  apiKey: string;
  /** `--state` spec; ignored when `stateBackend` is given. */
  state: string;
  stateKey?: string;
  force?: boolean;
  concurrency?: number;
  timeoutMs?: number;
  /** When the run must end (Date.now() time); default: `timeoutMs` from the start of the apply. */
  deadline?: number;
  threshold?: DeleteThreshold;
  env?: Record<string, string | undefined>;
  /** The Intuned API adapter (the CLI builds the undici client; tests may pass a fake). */
  api: IntunedApi;
  stateBackend?: StateBackend;
  prompt?: PromptForInfo;
  onEvent?: (event: ApplyEvent) => void;
  /** Called with the plan before an apply starts executing it. */
  onPlan?: (plan: Plan) => void;
  /**
   * The run's secrets, shared with the API client and the output; they learn the files' values
   * as soon as the files are loaded. Default: the keys' own, for this run only.
   */
  secrets?: RunSecrets;
  /** The plan a person reviewed: compared with this one before anything is sent. */
  review?: { reviewed: ReviewedPlan; refuseUnseenDeletes: boolean };
  /** `--force-unlock LOCK_ID`: remove that lock (left by a run that is gone) before going on. */
  forceUnlock?: string;
  /** Warnings worth a line: a stale lock taken over, a lock removed or left behind. */
  onNotice?: (message: string) => void;
  /** Wall time of each stage, in ms, for `--timings` and benchmarks. */
  timings?: Record<string, number>;
  /**
   * Aborted on SIGINT or SIGTERM: an apply starts nothing more, stops waiting, writes the state
   * of what it started, releases its lock and rejects with an InterruptedError.
   */
  signal?: AbortSignal;
}

export interface RunResult {
  load: LoadResult;
  plan: Plan;
  apply?: ApplyResult;
  /** With `review`: how this plan differs from the reviewed one, and whether that refused it. */
  review?: { comparison: PlanComparison; refused: boolean };
}

export async function run(options: RunOptions): Promise<RunResult> {
  const timings = options.timings ?? {};
  const time = async <T>(stage: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + performance.now() - started;
    }
  };

  const load = await time('load', () => loadResources({ dir: options.dir, env: options.env ?? process.env }));
  // An API or login script may quote what it was sent: such text is masked where it enters,
  // before a plan reason, a result or the state (which the git: backend pushes) holds it.
  const secrets = options.secrets ?? new RunSecrets({ apiKey: options.apiKey, stateKey: options.stateKey });
  secrets.learn(load);
  if (load.problems.length > 0) {
    const files = new Set(load.problems.map((problem) => problem.file)).size;
    throw new InputError(`${load.problems.length} ${plural(load.problems.length, 'problem')} in ${files} ${plural(files, 'file')}; nothing was sent to Intuned. Fix them (see \`intuned-gitops validate\`) and run again.`, load.problems);
  }

  const key = deriveStateKey({ stateKey: options.stateKey, apiKey: options.apiKey, workspaceId: options.workspaceId, project: options.project });
  const backend = options.stateBackend ?? (await openStateBackend(options.state, options.dir));
  const notice = options.onNotice ?? (() => {});
  const lock = await lockState(backend.locking, {
    take: options.mode === 'apply',
    ...definedOnly({ forceUnlock: options.forceUnlock }),
    request: { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, env: options.env ?? process.env, unlockCommand: unlockCommand({ state: options.state, defaultState: DEFAULT_STATE, dir: options.dir, env: options.env ?? process.env }) },
    description: backend.description,
    onNotice: notice,
  });
  try {
    throwIfInterrupted(options.signal);
    const result = await planAndApply(options, {
      load,
      secrets,
      key,
      backend,
      time,
      beforeApply: async () => {
        throwIfInterrupted(options.signal);
        await renewForApply(lock, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      },
    });
    throwIfInterrupted(options.signal, result.apply);
    return result;
  } finally {
    // A lock left behind blocks the next apply until it is stale: say so, but keep this run's result.
    await lock?.release().catch((error: unknown) => notice(`could not remove this run's lock ${lock.info.id}: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** After an interrupt, the error the run ends with, saying what became of its operations. */
function throwIfInterrupted(signal: AbortSignal | undefined, applied?: ApplyResult): void {
  if (!signal?.aborted) return;
  const stopped = applied?.results.filter((result) => result.code === 'interrupted') ?? [];
  const running = stopped.filter((result) => result.operationId !== undefined).length;
  const notStarted = stopped.filter((result) => result.message === NOT_STARTED_INTERRUPTED).length;
  throw new InterruptedError(
    applied
      ? `interrupted: ${running} started ${plural(running, 'operation keeps', 'operations keep')} running in Intuned and the state records ${plural(running, 'it', 'them')}; the next run picks ${plural(running, 'it', 'them')} up` +
          (notStarted > 0 ? ` and starts the ${notStarted} not started` : '')
      : 'interrupted: the apply had not started; nothing was changed',
  );
}

interface Loaded {
  load: LoadResult;
  secrets: RunSecrets;
  key: ReturnType<typeof deriveStateKey>;
  backend: StateBackend;
  time: <T>(stage: string, work: () => Promise<T> | T) => Promise<T>;
  /** Keeps the lock's deadline ahead of the wait about to begin. */
  beforeApply: () => Promise<void>;
}

async function planAndApply(options: RunOptions, { load, secrets, key, backend, time, beforeApply }: Loaded): Promise<RunResult> {
  const stored = await time('state', () => backend.read());
  const document = checkState(stored, backend, options) ?? emptyState({ workspaceId: options.workspaceId, project: options.project, keyId: key.id });
  const jobRecords = document.jobs ?? sessionRecords<JobState>();
  const keyMatches = document.keyId === key.id || (Object.keys(document.sessions).length === 0 && Object.keys(jobRecords).length === 0);
  const desiredJobs = load.jobs ?? [];

  const { fingerprints, jobFingerprints } = await time('fingerprint', () => {
    const map = new Map<string, Fingerprint>();
    for (const session of load.sessions) map.set(session.id, fingerprintSession(key.key, session.id, session.spec));
    const jobs = new Map<string, JobFingerprint>();
    for (const job of desiredJobs) jobs.set(job.id, fingerprintJob(key.key, job.id, job.spec, job.secretPaths));
    return { fingerprints: map, jobFingerprints: jobs };
  });
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const declared = new Set(load.sessions.map((session) => session.id));
  // A project with no job file and no job in its state is not asked about jobs.
  const jobsInPlay = desiredJobs.length > 0 || Object.keys(jobRecords).length > 0;
  const declaredJobs = jobsInPlay ? new Set(desiredJobs.map((job) => job.id)) : undefined;
  const api = intunedPort(options.api);
  const observation = await time('observe', () => observe({ api, state: document, declared, ...definedOnly({ declaredJobs }), concurrency }));
  maskResults(observation.pendingResults, secrets.maskApiText);
  const plan = await time('plan', () =>
    computePlan(
      {
        desired: load.sessions,
        remote: observation.remote,
        state: document,
        fingerprints,
        keyMatches,
        inUse: observation.inUse,
        pendingResults: observation.pendingResults,
        ...(stored ? {} : { missingState: backend.description }),
        fileWarnings: (load.warnings ?? []).filter((warning) => !warning.offlineOnly).map((warning) => `${warning.file}: ${warning.message}`),
        ...(observation.jobFacts
          ? { jobs: { desired: desiredJobs, remote: observation.jobFacts.remote, records: jobRecords, fingerprints: jobFingerprints, keyMatches, inUse: observation.jobFacts.inUse } }
          : {}),
      },
      { force: options.force ?? false, ...definedOnly({ threshold: options.threshold }) },
    ),
  );
  const comparison = options.review && comparePlans(options.review.reviewed, plan);
  const refused = Boolean(comparison && options.review?.refuseUnseenDeletes && comparison.unseenDeletes.length > 0);
  const review = comparison ? { review: { comparison, refused } } : {};
  // An unsafe or refused plan is returned unapplied so the caller can show it with the refusal.
  if (options.mode === 'plan' || plan.unsafe || refused) return { load, plan, ...review };

  await beforeApply();
  options.onPlan?.(plan);
  document.keyId = key.id;
  const store = new StateStore(backend, document);
  const applied = await time('apply', () =>
    apply(plan, {
      api,
      store,
      fingerprints,
      concurrency,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...definedOnly({ deadline: options.deadline, prompt: options.prompt, onEvent: options.onEvent }),
      redact: secrets.maskApiText,
      ...definedOnly({ signal: options.signal }),
    }),
  );
  return { load, plan, apply: applied, ...review };
}

/** What the API said about an earlier run's operation reaches plan reasons: mask it first. */
function maskResults(results: Map<string, OperationResult | undefined>, mask: (text: string) => string): void {
  for (const [id, result] of results) {
    if (result?.status === 'failed') {
      results.set(id, { ...result, message: mask(result.message), error: { ...result.error, message: mask(result.error.message) } });
    } else if (result?.status === 'canceled') {
      results.set(id, { ...result, message: mask(result.message), reason: { ...result.reason, message: mask(result.reason.message) } });
    }
  }
}

/** A state written for another workspace or project must not steer this one. */
export function checkState(stored: StateDocument | undefined, backend: StateBackend, options: Pick<RunOptions, 'workspaceId' | 'project'>): StateDocument | undefined {
  if (!stored) return undefined;
  if (stored.workspaceId !== options.workspaceId || stored.project !== options.project) {
    throw new StateError(
      `the state ${backend.description} belongs to workspace ${stored.workspaceId}, project ${stored.project}, not to workspace ${options.workspaceId}, project ${options.project}; use a separate --state for each project`,
    );
  }
  return stored;
}
