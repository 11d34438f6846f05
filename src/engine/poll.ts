/**
 * Polls an operation's result until it ends, with a delay that grows with the time already
 * waited (a tenth of it, between MIN and MAX, with jitter). An operation that ends at time T
 * is seen by about 1.1 T, so waiting costs at most ~10% over the API's own time, while a long
 * login costs a few dozen polls, not hundreds.
 */
import type { OperationResult } from './port.js';

export const POLL_MIN_DELAY_MS = 200;
export const POLL_MAX_DELAY_MS = 10_000;
export const POLL_DELAY_SHARE = 0.1;
export const POLL_JITTER = 0.1;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export function nextPollDelay(elapsedMs: number, random: () => number): number {
  const base = Math.min(POLL_MAX_DELAY_MS, Math.max(POLL_MIN_DELAY_MS, elapsedMs * POLL_DELAY_SHARE));
  return Math.round(base * (1 + POLL_JITTER * (2 * random() - 1)));
}

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
}

export async function pollOperation(options: PollOptions): Promise<PollOutcome> {
  const { clock } = options;
  const startedAt = clock.now();
  const answered = new Set<string>();
  let last: OperationResult | undefined;
  let polls = 0;
  for (;;) {
    try {
      last = await options.fetch();
    } catch (error) {
      // A poll cut short by the deadline is a timeout like any other: the operation may still finish.
      if (clock.now() >= options.deadline) return { kind: 'timeout', last, polls };
      throw error;
    }
    polls += 1;
    options.onStatus?.(last);
    if (last.status === 'done' || last.status === 'failed' || last.status === 'canceled') {
      return { kind: 'final', result: last, polls };
    }
    if (last.status === 'requested_more_info' && !answered.has(last.infoRequestId)) {
      answered.add(last.infoRequestId);
      await options.answer(last);
      continue;
    }
    const remaining = options.deadline - clock.now();
    if (remaining <= 0) return { kind: 'timeout', last, polls };
    // The last poll lands on the deadline, so an operation that ends just before it counts.
    await clock.sleep(Math.min(nextPollDelay(clock.now() - startedAt, clock.random), remaining));
  }
}
