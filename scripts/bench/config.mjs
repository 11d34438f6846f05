/**
 * The benchmark's settings, each limit named once. `BENCH_QUICK=1` shrinks everything into a
 * smoke run (under a minute) that exercises every scenario with small numbers.
 */
export const QUICK = process.env.BENCH_QUICK === '1';
/**
 * `BENCH_ONLY=polls`, `rates`, `startup` or a list of them (`polls,rates`) runs only those
 * sections' runs and replaces their sections of the report.
 */
export const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;

const FULL = {
  /** Project sizes measured end to end (dry-run, creates, updates, deletes). */
  sizes: [100, 1000],
  /** Extra dry-run-only sizes, to show memory and load time against N. */
  dryRunOnlySizes: [10_000],
  /** Added by the emulator to every response. */
  latencyMs: 20,
  /** How long each create or update runs on the emulator. */
  operationDurationMs: 2000,
  /** The emulator's cap C of operations running at once per project (its default). */
  cap: 10,
  /** Sessions applied one at a time by the naive loop; N=1,000 is extrapolated from it. */
  naiveSize: 100,
  /** Project size of the rate-limit runs (apply of all-creates). */
  stormSize: 100,
  /**
   * Share of requests answered 429 in the random rate-limit run. The client gives a request 6
   * attempts, so 0.1 fails one of ~10^6 requests; 0.25 would fail one of ~4,000 and, over a
   * thousand requests, often fail the run.
   */
  stormRateLimitRate: 0.1,
  stormRetryAfterSeconds: 1,
  /** The real limiter's budget, set below the tool's natural request rate at concurrency C. */
  stormRequestsPerSecond: 20,
  /** Runs of `--version` whose median is the process start. */
  startupSamples: 5,
  /**
   * The learned poll schedule (issue 14): an apply of pollSize creates for each operation
   * duration, against an emulator of its own running pollCap at once, at concurrency
   * pollConcurrency (2C, the setting). ceil(300 / 25) = 12 waves: the D = 60 s run
   * takes 12 minutes, the whole set about 15.
   */
  pollDurationsMs: [1_000, 10_000, 60_000],
  pollSize: 300,
  pollCap: 25,
  pollConcurrency: 50,
  /**
   * The rate-limit sweep (issue 14): apply of rateSize creates (D and C as above) behind the
   * emulator's limiter of rateLimit requests per second: fixed concurrencies with the adaptive
   * pace off (INTUNED_GITOPS_FIXED_PACE=1), then the adaptive pace at rateAdaptiveConcurrency.
   */
  rateLimit: 10,
  rateSize: 100,
  rateSweep: [4, 8, 16, 32],
  rateAdaptiveConcurrency: [10, 32],
  /**
   * Start-up (issue 14): `node -e 0`, `--version` and a dry-run of startupSizes[0] files in sync,
   * side by side, startupRounds times in turn; dry-runs of every size in sync for memory. The
   * projects are brought in sync by an apply against an emulator of short operations.
   */
  startupSizes: [1_000, 10_000],
  startupRounds: 9,
  startupOperationMs: 20,
};

const SMOKE = {
  sizes: [20, 50],
  dryRunOnlySizes: [200],
  latencyMs: 20,
  operationDurationMs: 300,
  cap: 10,
  naiveSize: 5,
  stormSize: 20,
  stormRateLimitRate: 0.1,
  stormRetryAfterSeconds: 1,
  stormRequestsPerSecond: 20,
  startupSamples: 3,
  pollDurationsMs: [300, 1_000],
  pollSize: 40,
  pollCap: 5,
  pollConcurrency: 10,
  rateLimit: 20,
  rateSize: 20,
  rateSweep: [2, 8],
  rateAdaptiveConcurrency: [10],
  startupSizes: [100, 1_000],
  startupRounds: 3,
  startupOperationMs: 20,
};

export const CONFIG = Object.freeze(QUICK ? SMOKE : FULL);

/** Every changed or removed file is one in this many (10%). */
export const CHANGE_EVERY = 10;

/** Dummy credentials for the emulator; not a secret anywhere. */
export const BENCH_API_KEY = 'bench-api-key-not-secret';
/** Seeds the emulator's fault draws, so each run injects the same share of 429s. */
export const FAULT_SEED = 6;
export const BENCH_WORKSPACE_ID = '6b0f1c3e-2a4d-4e8b-9f70-1c2d3e4f5a6b';
