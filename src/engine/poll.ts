/**
 * Polls an operation's result until it ends. When to poll comes from `poll-schedule.ts`: near
 * the end expected from the run's operations that already ended, then a short backoff, and
 * a sleeping poller wakes to re-plan whenever another operation of the run ends.
 */
import type { OperationResult } from './port.js';
import { newHistory, notePoll, OperationTimes, planPoll, type PollHistory, type PollPlan } from './poll-schedule.js';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
  random: Math.random,
};

export type FinalResult = Extract<OperationResult, { status: 'done' | 'failed' | 'canceled' }>;
export type MoreInfoResult = Extract<OperationResult, { status: 'requested_more_info' }>;

export type PollOutcome =
  | { kind: 'final'; result: FinalResult; polls: number }
  | { kind: 'timeout'; last: OperationResult | undefined; polls: number };

export interface PollOptions {
  fetch(): Promise<OperationResult>;
  /** Answers a request for more information (one-time code) and resumes the operation. */
  answer(request: MoreInfoResult): Promise<void>;
  /** Absolute time (clock.now()) after which polling stops. */
  deadline: number;
  clock: Clock;
  onStatus?(result: OperationResult): void;
  /** The apply's shared record of how long its operations take; a private one when absent. */
  times?: OperationTimes;
  /**
   * Whether the operation was started just before this poll began, so its time from the
   * start is known and teaches the others; not so for one an earlier run started.
   */
  fresh?: boolean;
}

export async function pollOperation(options: PollOptions): Promise<PollOutcome> {
  const { clock } = options;
  const times = options.times ?? new OperationTimes();
  const history = newHistory(clock.now(), clock.random);
  const answered = new Set<string>();
  let last: OperationResult | undefined;
  let plan: PollPlan | undefined;
  let polls = 0;
  try {
    // A fresh operation cannot have ended yet; one an earlier run started may have.
    if (options.fresh !== false) plan = await waitForNextPoll(history, times, options);
    for (;;) {
      const sentAt = clock.now();
      try {
        last = await options.fetch();
      } catch (error) {
        // A poll cut short by the deadline is a timeout like any other: the operation may still finish.
        if (clock.now() >= options.deadline) return { kind: 'timeout', last, polls };
        throw error;
      }
      polls += 1;
      notePoll(history, plan, sentAt, last.status, clock.random, times.estimate());
      options.onStatus?.(last);
      if (last.status === 'done' || last.status === 'failed' || last.status === 'canceled') {
        // Failures are left out: a login refused at once says nothing of how long one takes.
        if (last.status === 'done' && options.fresh !== false) times.record(history, clock.now());
        return { kind: 'final', result: last, polls };
      }
      if (last.status === 'requested_more_info' && !answered.has(last.infoRequestId)) {
        answered.add(last.infoRequestId);
        await options.answer(last);
        plan = undefined;
        continue;
      }
      if (options.deadline - clock.now() <= 0) return { kind: 'timeout', last, polls };
      plan = await waitForNextPoll(history, times, options);
    }
  } finally {
    times.release(history);
  }
}

/**
 * Sleeps until the next poll is due. An operation of the run that ends meanwhile wakes the
 * sleep, and the plan is made again with what it taught. The last poll lands on the deadline,
 * so an operation that ends just before it counts.
 */
async function waitForNextPoll(history: PollHistory, times: OperationTimes, options: PollOptions): Promise<PollPlan> {
  const { clock } = options;
  for (;;) {
    times.enlist(history);
    const plan = planPoll(history, times.estimate());
    const delay = Math.min(plan.at, options.deadline) - clock.now();
    if (delay <= 0) return plan;
    const woken = await times.wait((signal) => clock.sleep(delay, signal));
    if (!woken) return plan;
  }
}
