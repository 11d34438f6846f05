/**
 * How long one apply's operations take, learned from those that ended, for the poll schedule
 * (`poll-schedule.ts`): the total, from the start to the end, and the run, from the start of
 * running to the end. A poll shows only that the end (or the start of running) came between it
 * and the poll before. Where that span is short its middle is the sample; where it is long the
 * sample is the point of it nearest to the current estimate. Taking the poll that saw the end
 * instead would feed the schedule's own lateness back into it: a late estimate makes late polls,
 * whose sights make the estimate later still.
 */
import type { PollHistory } from './poll-schedule.js';

/**
 * The polls around a change (the end, or the start of running) are close when they are at most
 * this share of the time measured apart: the change is then placed in their middle.
 */
export const CLOSE_SIGHT_SHARE = 0.3;
/** Ended operations whose times make the estimate. */
export const LEARNED_WINDOW = 15;
/** The estimates are the medians of the window. */
export const ESTIMATE_QUANTILE = 0.5;
/** Operations that keep polling closely while nothing in the run has ended yet. */
export const SCOUTS = 3;

export interface Estimate {
  /** From the start to the end. */
  totalMs: number;
  /** From the start of running to the end; unknown until a start of running was seen closely. */
  runMs: number | undefined;
}

/** What one ended operation teaches. */
export interface Samples {
  totalMs: number;
  runMs: number | undefined;
}

/**
 * The samples of an operation seen ended at `seenAt`, given the estimate `current` before it.
 * Its end lies between the last poll that saw it unfinished and `seenAt`. Its run is measured
 * only where the start of running was seen closely: the last sight of it queued (or its start)
 * and the first sight of it running close together, against the run that followed. A start seen
 * only late (the probe near the end is often the first sight) would make the run short.
 */
export function samplesOf(history: PollHistory, seenAt: number, current: Estimate | undefined): Samples {
  const totalUpper = seenAt - history.startedAt;
  // The first end of a run teaches what it can, however far it was seen.
  const totalMs = placed(history.unfinishedAt - history.startedAt, totalUpper, current?.totalMs) ?? totalUpper;
  const { queuedAt, runningAt } = history;
  if (runningAt === undefined) return { totalMs, runMs: undefined };
  // The run began after the last sight queued (or the start) and by the first sight running.
  const startGap = runningAt - queuedAt;
  const endAt = history.startedAt + totalMs;
  if (startGap > CLOSE_SIGHT_SHARE * (endAt - runningAt)) return { totalMs, runMs: undefined };
  return { totalMs, runMs: endAt - (runningAt - startGap / 2) };
}

/**
 * A time known to lie in (lower, upper]: the middle where the span is short; else the point
 * nearest to what was expected, so that a far sight moves the estimate only where it proves it
 * wrong; nothing when nothing was expected yet.
 */
function placed(lower: number, upper: number, expected: number | undefined): number | undefined {
  if (upper - lower <= CLOSE_SIGHT_SHARE * upper) return (lower + upper) / 2;
  return expected === undefined ? undefined : Math.min(upper, Math.max(lower, expected));
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
    const totalMs = median(this.totals);
    if (totalMs === undefined) return undefined;
    return { totalMs, runMs: median(this.runs) };
  }

  /** An operation that ended `done`, seen at `seenAt`. */
  record(history: PollHistory, seenAt: number): void {
    const samples = samplesOf(history, seenAt, this.estimate());
    push(this.totals, samples.totalMs);
    if (samples.runMs !== undefined) push(this.runs, samples.runMs);
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

function median(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(ESTIMATE_QUANTILE * sorted.length))];
}
