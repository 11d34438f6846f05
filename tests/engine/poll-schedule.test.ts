/**
 * The poll schedule's decisions, one operation at a time: when its next poll goes out, from
 * what its own polls saw and what the run's ended operations taught; and what an ended
 * operation teaches. Times are numbers on a clock of the test's own; nothing waits.
 */
import { describe, expect, it } from 'vitest';
import { newHistory, notePoll, OperationTimes, planPoll, type Estimate, type PollHistory, type PollPlan } from '../../src/engine/poll-schedule.js';

const T0 = 1_000_000;
/** Draws in the middle of their range: no jitter, the probe half way into its window. */
const middle = () => 0.5;

function history(overrides: Partial<PollHistory> = {}): PollHistory {
  return { ...newHistory(T0, middle), ...overrides };
}

/** Polls `h` as planned while the operation answers `statuses` in turn; the times of the polls after T0. */
function follow(h: PollHistory, estimate: Estimate, statuses: string[]): { at: number[]; next: PollPlan } {
  const at: number[] = [];
  for (const status of statuses) {
    const plan = planPoll(h, estimate);
    notePoll(h, plan, plan.at, status, middle, estimate);
    at.push(plan.at - T0);
  }
  return { at, next: planPoll(h, estimate) };
}

describe('the poll schedule before anything has ended', () => {
  it('has a few scouts poll closely, at a quarter of the time waited, and the others wait longer', () => {
    const times = new OperationTimes();
    const histories = Array.from({ length: 5 }, () => history());
    for (const each of histories) times.enlist(each);
    expect(histories.map((each) => each.scout)).toEqual([true, true, true, false, false]);
    expect(planPoll(histories[0]!, undefined).at - T0).toBe(500);
    expect(planPoll({ ...histories[0]!, lastPollAt: T0 + 8_000 }, undefined).at - T0).toBe(10_000);
    expect(planPoll(histories[4]!, undefined).at - T0).toBe(4_000);
    expect(planPoll({ ...histories[4]!, lastPollAt: T0 + 4_000 }, undefined).at - T0).toBe(16_000);
  });

  it('never waits more than a minute between polls', () => {
    expect(planPoll(history({ lastPollAt: T0 + 600_000 }), undefined).at - (T0 + 600_000)).toBe(60_000);
  });
});

describe('the poll schedule with an estimate', () => {
  const total = { totalMs: 20_000, runMs: undefined };

  it('polls first near the end the run expects, a little before it', () => {
    // early = 0.5: 7.5% before the expected 20 s.
    expect(planPoll(history(), total)).toEqual({ kind: 'probe', at: T0 + 18_500 });
  });

  it('after an early probe that sees it running, polls just after the expected end, then backs off doubling up to a fifth of it', () => {
    const { at, next } = follow(history(), total, ['in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress']);
    expect(at).toEqual([18_500, 21_000, 23_000, 27_000, 31_000]);
    expect(next).toEqual({ kind: 'late', at: T0 + 35_000 });
  });

  it('expects an operation never seen queued at the usual total, though it is first seen running at the probe', () => {
    // A run known (from operations seen queued) says nothing of when this one began running.
    const { at, next } = follow(history(), { totalMs: 10_000, runMs: 8_000 }, ['in_progress']);
    expect(at).toEqual([9_250]);
    expect(next).toEqual({ kind: 'late', at: T0 + 10_500 });
  });

  it('keeps a queued operation waiting at least a run after it was last seen queued, and a run after it is first seen running', () => {
    const { at, next } = follow(history(), { totalMs: 20_000, runMs: 8_000 }, ['pending', 'in_progress']);
    expect(at).toEqual([18_500, 25_900]);
    expect(next).toEqual({ kind: 'probe', at: T0 + 33_300 });
  });

  it('without a run measured, backs off from the usual end while the operation stays queued, rather than a whole total later', () => {
    // The total holds the queue's wait: a total after the sight queued would count it twice.
    const { at, next } = follow(history(), total, ['pending', 'pending', 'pending', 'pending']);
    expect(at).toEqual([18_500, 21_000, 23_000, 27_000]);
    expect(next.at - T0).toBe(31_000);
  });

  it('waits for the end expected of a minute-long login behind a queue, two minutes after its start, without a poll at the minute', () => {
    expect(planPoll(history(), { totalMs: 120_000, runMs: 60_000 })).toEqual({ kind: 'probe', at: T0 + 111_000 });
  });

  it('waits no more than three minutes for an expected end farther away, and still probes that end', () => {
    const { at, next } = follow(history(), { totalMs: 400_000, runMs: undefined }, ['in_progress', 'in_progress']);
    expect(at).toEqual([180_000, 360_000]);
    expect(next).toEqual({ kind: 'probe', at: T0 + 370_000 });
  });
});

describe('what an ended operation teaches', () => {
  /** An operation polled at `unfinished` (after T0), seen done at `seen`, recorded into `times`. */
  function ended(times: OperationTimes, polls: Array<[number, string]>, seen: number): void {
    const h = history();
    for (const [at, status] of polls) notePoll(h, undefined, T0 + at, status, middle, times.estimate());
    notePoll(h, undefined, T0 + seen, 'done', middle, times.estimate());
    times.record(h, T0 + seen);
  }

  it('places an end seen soon after a poll that saw the operation running between the two', () => {
    const times = new OperationTimes();
    ended(times, [[19_000, 'in_progress']], 21_000);
    expect(times.estimate()).toEqual({ totalMs: 20_000, runMs: undefined });
  });

  it('moves the estimate no later than an end seen after a long wait proves', () => {
    const times = new OperationTimes();
    ended(times, [[19_000, 'in_progress']], 21_000);
    // Running at 5 s, done by 40 s: consistent with 20 s, so it teaches nothing new.
    ended(times, [[5_000, 'in_progress']], 40_000);
    expect(times.estimate()!.totalMs).toBe(20_000);
    // Running at 30 s, done by 60 s: at least 30 s, not 60 s.
    ended(times, [[30_000, 'in_progress']], 60_000);
    ended(times, [[30_000, 'in_progress']], 60_000);
    expect(times.estimate()!.totalMs).toBe(30_000);
  });

  it('measures a run only where its start was seen closely: between a sight queued, or the start, and a sight running soon after', () => {
    const times = new OperationTimes();
    ended(times, [[10_000, 'pending'], [11_000, 'in_progress'], [19_000, 'in_progress']], 21_000);
    expect(times.estimate()).toEqual({ totalMs: 20_000, runMs: 9_500 });
    // Seen running 4 s into a minute: it ran about the whole minute (the first operations of a run, nothing queued).
    const early = new OperationTimes();
    ended(early, [[4_000, 'in_progress'], [16_000, 'in_progress']], 60_000);
    expect(early.estimate()).toEqual({ totalMs: 60_000, runMs: 58_000 });
    // Queued at 2 s, running by 11 s: the run began somewhere in those 9 s, too far to tell.
    const far = new OperationTimes();
    ended(far, [[2_000, 'pending'], [11_000, 'in_progress'], [19_000, 'in_progress']], 21_000);
    expect(far.estimate()!.runMs).toBeUndefined();
    // First seen running at the probe near the end: a queue may have held it until just before.
    const late = new OperationTimes();
    ended(late, [[18_500, 'in_progress']], 21_000);
    expect(late.estimate()!.runMs).toBeUndefined();
  });
});
