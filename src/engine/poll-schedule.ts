/**
 * When to poll an operation next. Each poll is a request against an API whose rate limits are
 * unknown, so the schedule aims one poll near the end it expects, from what the apply's ended
 * operations taught (`operation-times.ts`) and what this operation's own polls saw, and backs
 * off shortly after it, instead of polling all along the way:
 *
 * - The end expected is about the usual total after the operation's start; a run after the
 *   last sight of it queued (`pending`), if that is later; a run after the first sight of it
 *   running, once it was seen queued. The poll aimed there (the probe) lands a little before
 *   it (`PROBE_EARLY`), so that the estimates, which that poll teaches, do not creep later.
 * - After the expected end, waits are a small share of what the expectation rests on, doubling,
 *   so a server slower than expected is noticed soon.
 * - Before anything has ended, a few scouts poll on a backoff of their elapsed time; the
 *   others wait longer, and every waiting poller is woken to re-plan as soon as an operation
 *   ends.
 * - No wait exceeds `POLL_MAX_DELAY_MS`, except the wait for an expected end further off (up
 *   to `PROBE_MAX_DELAY_MS`), so that a server slower or faster than learned is still noticed.
 */
import type { Estimate } from './operation-times.js';

// The engine takes the run's record of times from here, with the schedule that reads it.
export { OperationTimes, type Estimate } from './operation-times.js';

/** The shortest wait between polls of one operation. */
export const POLL_MIN_DELAY_MS = 50;
/** The longest wait between polls of one operation, except a wait for an expected end. */
export const POLL_MAX_DELAY_MS = 60_000;
/**
 * The longest wait for an expected end. Longer than `POLL_MAX_DELAY_MS`: behind a queue a
 * login of a minute ends two minutes or more after its start, and a cap below that costs a
 * poll on every queued operation.
 */
export const PROBE_MAX_DELAY_MS = 180_000;
/** ±share of random spread on backoff delays, so parallel pollers do not move in step. */
export const POLL_JITTER = 0.1;
/** A scout's wait: this share of the time since its start (it sees an end at most 25% late). */
export const SCOUT_DELAY_SHARE = 0.25;
export const SCOUT_FIRST_DELAY_MS = 500;
/** Everybody else's wait before anything has ended: this multiple of the time waited so far. */
export const WAIT_DELAY_FACTOR = 3;
export const WAIT_FIRST_DELAY_MS = 4_000;
/** The probe lands between this share before the expected end and the expected end. */
export const PROBE_EARLY = 0.15;
/** After the probe, polls come this share of the expected span after the expected end, then it doubles. */
export const LATE_DELAY_SHARE = 0.05;
/** ...up to this share of it: an end is seen at most this late, and a slow server every so often. */
export const LATE_MAX_SHARE = 0.2;

/** What one poller knows about its own operation. */
export interface PollHistory {
  startedAt: number;
  /** The last poll that saw the operation `pending`; `startedAt` until one does. */
  queuedAt: number;
  /** The first poll after `queuedAt` that saw it running; undefined until one does. */
  runningAt: number | undefined;
  /** When the last poll was sent; -Infinity before the first. */
  lastPollAt: number;
  /** When the last poll that saw the operation unfinished was sent; `startedAt` until one does. */
  unfinishedAt: number;
  /** Whether the poll aimed at the current expected end was made. */
  probed: boolean;
  /** Polls made after the probe (they back off). */
  late: number;
  scout: boolean;
  /** A fixed draw in [0, 1): where in the probe window this operation's probe lands. */
  early: number;
  /** A draw in [0, 1) for the jitter of the next wait, new after every poll. */
  draw: number;
}

/**
 * The next poll: when (absolute, on the clock of the history), and why: before anything ended
 * (`fallback`), aimed at the expected end (`probe`), on the way there because the wait is
 * capped (`capped`), or after it (`late`).
 */
export type PollPlan = { kind: 'fallback' | 'probe' | 'capped' | 'late'; at: number };

export function newHistory(startedAt: number, random: () => number): PollHistory {
  return {
    startedAt,
    queuedAt: startedAt,
    runningAt: undefined,
    lastPollAt: Number.NEGATIVE_INFINITY,
    unfinishedAt: startedAt,
    probed: false,
    late: 0,
    scout: false,
    early: random(),
    draw: random(),
  };
}

/**
 * The next poll of one operation. Pure and fixed between two polls (the draws live in the
 * history), so a poller woken to re-plan moves its poll only when the estimate moved. A probe
 * that lands early and sees the operation running is followed by a poll just after the expected
 * end, not a backoff from the probe: the probe's earliness keeps the estimate honest, and must
 * not cost a second early poll.
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
  if (!history.probed && expected.at > previous) {
    return expected.at - previous > PROBE_MAX_DELAY_MS ? { kind: 'capped', at: previous + PROBE_MAX_DELAY_MS } : { kind: 'probe', at: expected.at };
  }
  const share = Math.min(LATE_MAX_SHARE, LATE_DELAY_SHARE * 2 ** history.late);
  const late = jitter(Math.max(POLL_MIN_DELAY_MS, expected.spanMs * share), history.draw);
  const from = Math.max(previous, expected.endAt);
  return { kind: 'late', at: Math.min(previous + PROBE_MAX_DELAY_MS, from + capped(late)) };
}

/**
 * Where this operation's end is expected (`endAt`; `at` is a little before it, by the
 * operation's own draw), and the span that estimate rests on (late polls back off in shares of
 * it):
 * - never seen queued: about the total after its start. Where nothing queues an operation runs
 *   from its start and the total says it all; behind a queue it says how long the queue
 *   usually holds one;
 * - seen queued (`pending`) and not since running: that, or a run after the sight queued if
 *   later. Until a run has been measured nothing stands for it there: the total holds the
 *   queue's wait too, and a total after the sight queued would count that wait twice;
 * - seen running after a sight queued, with a run measured: a run after the first sight
 *   running. It may have run unseen for a while before: the end is then seen late, but a server
 *   that queues has work waiting to fill the slot meanwhile, and a poll saved on each queued
 *   operation is many.
 */
export function expectedEnd(history: PollHistory, estimate: Estimate): { at: number; endAt: number; spanMs: number } {
  const { totalMs, runMs } = estimate;
  const queued = history.queuedAt > history.startedAt;
  let endAt = history.startedAt + totalMs;
  let spanMs = totalMs;
  if (queued && history.runningAt !== undefined && runMs !== undefined) {
    spanMs = runMs;
    endAt = history.runningAt + spanMs;
  } else if (queued && runMs !== undefined && history.queuedAt + runMs > endAt) {
    spanMs = runMs;
    endAt = history.queuedAt + runMs;
  }
  return { at: endAt - PROBE_EARLY * history.early * spanMs, endAt, spanMs };
}

/**
 * Updates a history with a poll sent at `sentAt` under `plan`, which answered `status`, while
 * the run's estimate was `estimate`.
 */
export function notePoll(history: PollHistory, plan: PollPlan | undefined, sentAt: number, status: string, random: () => number, estimate?: Estimate): void {
  history.lastPollAt = sentAt;
  history.draw = random();
  if (plan?.kind === 'late') history.late += 1;
  if (plan?.kind === 'probe' || plan?.kind === 'late') history.probed = true;
  if (!FINAL.has(status)) history.unfinishedAt = sentAt;
  const fresh = status === 'pending' || (status === 'in_progress' && history.runningAt === undefined);
  if (status === 'pending') {
    history.queuedAt = sentAt;
    history.runningAt = undefined;
  } else if (status === 'in_progress') {
    history.runningAt ??= sentAt;
  }
  // A new sight of the operation's stage that puts its end further off is probed afresh; one
  // that leaves the end where it was (queued, with no run known) keeps backing off.
  if (fresh && (!estimate || expectedEnd(history, estimate).at > sentAt)) {
    history.probed = false;
    history.late = 0;
  }
}

const FINAL = new Set(['done', 'failed', 'canceled']);

function jitter(ms: number, draw: number): number {
  return ms * (1 + POLL_JITTER * (2 * draw - 1));
}

function capped(ms: number): number {
  return Math.round(Math.min(POLL_MAX_DELAY_MS, ms));
}

