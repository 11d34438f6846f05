/**
 * When to poll an operation next, learned from the operations of the same apply that already
 * ended. Each poll is a request against an API whose rate limits are unknown, so the schedule
 * aims one poll near the expected end and a short backoff after it, instead of polling all
 * along the way:
 *
 * - `OperationTimes`, one per apply, keeps how long recent operations took: from the start to
 *   the poll that saw `done` (the total) and, once the server has been seen queueing, from the
 *   first sight of `in_progress` to that poll (the run). Both are measured up to the poll that
 *   saw the end, so each operation probes a little before the estimate (`PROBE_EARLY`): a
 *   probe that finds the operation done pulls the estimate down.
 * - A queued operation (`pending`) has not begun: at least a run remains, whatever the total
 *   says. Once seen running after a queue, it ends about a run after that sight.
 * - Before anything has ended, a few scouts poll on a backoff of their elapsed time; the
 *   others wait longer, and every waiting poller is woken to re-plan as soon as an operation
 *   ends and the estimate changes.
 * - No wait between polls exceeds `POLL_MAX_DELAY_MS`, and after the expected end the waits
 *   stay a small share of it, so a server slower than expected is still noticed.
 */

/** The shortest wait between polls of one operation. */
export const POLL_MIN_DELAY_MS = 100;
/** The longest wait between polls of one operation, whatever has been learned. */
export const POLL_MAX_DELAY_MS = 60_000;
/** ±share of random spread on backoff delays, so parallel pollers do not move in step. */
export const POLL_JITTER = 0.1;
/** Operations that keep polling closely while nothing in the run has ended yet. */
export const SCOUTS = 3;
/** A scout's wait: this share of the time since its start (it sees an end at most 25% late). */
export const SCOUT_DELAY_SHARE = 0.25;
export const SCOUT_FIRST_DELAY_MS = 500;
/** Everybody else's wait before anything has ended: this multiple of the time waited so far. */
export const WAIT_DELAY_FACTOR = 3;
export const WAIT_FIRST_DELAY_MS = 4_000;
/** The probe lands between this share before the expected end and the expected end. */
export const PROBE_EARLY = 0.15;
/** After the expected end, the first wait is this share of the expected run, then it doubles. */
export const LATE_DELAY_SHARE = 0.05;
/** ...up to this share of it: an end is seen at most this late, and a slow server every so often. */
export const LATE_MAX_SHARE = 0.2;
/** Ended operations whose times make the estimate. */
export const LEARNED_WINDOW = 15;
/** The total estimate is the median of the window. */
export const TOTAL_QUANTILE = 0.5;
/**
 * The run estimate sits above the median: a run is measured from the first sight of it running,
 * which a probe aimed by the estimate itself provides, so its samples lean short, and a run
 * estimate too short costs a late poll per operation.
 */
export const RUN_QUANTILE = 0.75;

export interface Estimate {
  /** From the start to the end. */
  totalMs: number;
  /** From the first sight of running to the end; unknown until the server is seen queueing. */
  runMs: number | undefined;
}

/** What one poller knows about its own operation. */
export interface PollHistory {
  startedAt: number;
  /** The last poll that saw the operation `pending`; `startedAt` until one does. */
  queuedAt: number;
  /** The first poll after `queuedAt` that saw it running; undefined until one does. */
  runningAt: number | undefined;
  /** When the last poll was sent; -Infinity before the first. */
  lastPollAt: number;
  /** Whether the poll near the current expected end was made. */
  probed: boolean;
  /** Polls made after the probe (they back off). */
  late: number;
  scout: boolean;
  /** A fixed draw in [0, 1): where in the probe window this operation's probe lands. */
  early: number;
  /** A draw in [0, 1) for the jitter of the next wait, new after every poll. */
  draw: number;
}

/** The next poll: when (absolute, on the clock of the history), and why. */
export type PollPlan = { kind: 'fallback' | 'probe' | 'late'; at: number };

export function newHistory(startedAt: number, random: () => number): PollHistory {
  return { startedAt, queuedAt: startedAt, runningAt: undefined, lastPollAt: Number.NEGATIVE_INFINITY, probed: false, late: 0, scout: false, early: random(), draw: random() };
}

/**
 * The next poll of one operation. Pure and fixed between two polls (the draws live in the
 * history), so a poller woken to re-plan moves its poll only when the estimate moved.
 */
export function planPoll(history: PollHistory, estimate: Estimate | undefined): PollPlan {
  const previous = Math.max(history.startedAt, history.lastPollAt);
  if (!estimate) {
    const elapsed = previous - history.startedAt;
    const delay = history.scout
      ? Math.max(SCOUT_FIRST_DELAY_MS, elapsed * SCOUT_DELAY_SHARE)
      : Math.max(WAIT_FIRST_DELAY_MS, elapsed * WAIT_DELAY_FACTOR);
    return { kind: 'fallback', at: previous + capped(jitter(delay, history.draw)) };
  }
  const expected = expectedEnd(history, estimate);
  if (!history.probed && expected.at > previous) return { kind: 'probe', at: Math.min(expected.at, previous + POLL_MAX_DELAY_MS) };
  const share = Math.min(LATE_MAX_SHARE, LATE_DELAY_SHARE * 2 ** history.late);
  const late = jitter(Math.max(POLL_MIN_DELAY_MS, expected.spanMs * share), history.draw);
  return { kind: 'late', at: previous + capped(late) };
}

/**
 * Where this operation's end is expected (`at`), from what its polls saw, and the span that
 * estimate rests on (late polls back off in shares of it):
 * - seen running, where the server queues (this operation was seen queued, or the run knows
 *   runs): about a run after the first sight of running, a run being measured the same way
 *   (`runSample`). It may have run unseen for a while before: the end is then seen late,
 *   while the queue keeps the server busy;
 * - seen queued and not yet running: at least a run remains;
 * - otherwise: about the total of the others. Where nothing queues, an operation runs from
 *   its start and the total says it all.
 */
export function expectedEnd(history: PollHistory, estimate: Estimate): { at: number; spanMs: number } {
  const share = 1 - PROBE_EARLY * history.early;
  const { runMs, totalMs } = estimate;
  const queued = history.queuedAt > history.startedAt;
  if (history.runningAt !== undefined && (runMs !== undefined || queued)) return { at: history.runningAt + (runMs ?? totalMs) * share, spanMs: runMs ?? totalMs };
  if (queued && history.runningAt === undefined) return { at: history.queuedAt + (runMs ?? totalMs) * share, spanMs: runMs ?? totalMs };
  return { at: history.startedAt + totalMs * share, spanMs: totalMs };
}

/** Updates a history with a poll sent at `sentAt` under `plan`, which answered `status`. */
export function notePoll(history: PollHistory, plan: PollPlan | undefined, sentAt: number, status: string, random: () => number): void {
  history.lastPollAt = sentAt;
  history.draw = random();
  if (plan?.kind === 'late') history.late += 1;
  if (plan?.kind === 'probe' || plan?.kind === 'late') history.probed = true;
  // A new sight of the operation's stage makes a new expectation, probed afresh.
  const fresh = status === 'pending' || (status === 'in_progress' && history.runningAt === undefined);
  if (status === 'pending') {
    history.queuedAt = sentAt;
    history.runningAt = undefined;
  } else if (status === 'in_progress') {
    history.runningAt ??= sentAt;
  }
  if (fresh) {
    history.probed = false;
    history.late = 0;
  }
}

/**
 * How long a run took, for an operation seen running and then `done` at `seenAt`: from the
 * first sight of it running, a little short of the whole run by about as much as the next
 * operation's estimate, which starts from the same sight, will be. Only once the server has
 * been seen queueing (`queuesSeen`): before, operations run from their start, the total says
 * it all, and the first sight of running is the probe near the end.
 */
export function runSample(history: PollHistory, seenAt: number, queuesSeen: boolean): number | undefined {
  const queued = history.queuedAt > history.startedAt;
  if (history.runningAt === undefined || !(queued || queuesSeen)) return undefined;
  return seenAt - history.runningAt;
}

function jitter(ms: number, draw: number): number {
  return ms * (1 + POLL_JITTER * (2 * draw - 1));
}

function capped(ms: number): number {
  return Math.round(Math.min(POLL_MAX_DELAY_MS, ms));
}

/**
 * The times of one apply's operations, shared by all its pollers. `record` wakes every poller
 * waiting in `wait`, so that an estimate learned from one operation moves the others' polls.
 */
export class OperationTimes {
  private readonly totals: number[] = [];
  private readonly runs: number[] = [];
  private readonly waiting = new Set<() => void>();
  private scouting = 0;

  estimate(): Estimate | undefined {
    const totalMs = quantile(this.totals, TOTAL_QUANTILE);
    if (totalMs === undefined) return undefined;
    return { totalMs, runMs: quantile(this.runs, RUN_QUANTILE) };
  }

  /** An operation that ended `done`, seen at `seenAt`. */
  record(history: PollHistory, seenAt: number): void {
    push(this.totals, seenAt - history.startedAt);
    const run = runSample(history, seenAt, this.runs.length > 0);
    if (run !== undefined) push(this.runs, run);
    this.wakeAll();
  }

  /** Makes the operation a scout when nothing is known and there are fewer than SCOUTS. */
  enlist(history: PollHistory): void {
    if (history.scout || this.totals.length > 0 || this.scouting >= SCOUTS) return;
    history.scout = true;
    this.scouting += 1;
  }

  release(history: PollHistory): void {
    if (!history.scout) return;
    history.scout = false;
    this.scouting -= 1;
    // A scout that ended without teaching (it failed): another takes its place.
    if (this.totals.length === 0) this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiting]) wake();
  }

  /** Resolves `true` when something was learned, `false` when `sleep` ended first. */
  async wait(sleep: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    const controller = new AbortController();
    let woken = false;
    const wake = () => {
      woken = true;
      controller.abort();
    };
    this.waiting.add(wake);
    try {
      await sleep(controller.signal);
    } finally {
      this.waiting.delete(wake);
    }
    return woken;
  }
}

function push(values: number[], value: number): void {
  values.push(value);
  if (values.length > LEARNED_WINDOW) values.shift();
}

function quantile(values: readonly number[], share: number): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}
