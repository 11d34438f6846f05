/**
 * What an apply should cost, from first principles, to compare the measurements against:
 * - the ideal: the server busy all the time, ceil(N / C) * D;
 * - the model: the CLI's own pool and poll schedule (src/engine/poll.ts, imported, with its
 *   jitter from a seeded generator) against the emulator's slots, with the request latency and
 *   nothing else (no process start, no file or state I/O). It gives the expected number of
 *   polls and the time lost to noticing late that an operation ended.
 */
import { nextPollDelay } from '../../build/engine/poll.js';
import { seededRandom } from './random.mjs';

const SEED = 20_240_601;

export function idealApplyMs({ operations, cap, durationMs }) {
  return Math.ceil(operations / cap) * durationMs;
}

/**
 * Polls until an operation is seen ended, when it ends `endMs` after its start was answered.
 * The emulator waits the latency before it answers, so a poll sent at t reports the state at
 * t + latency; the CLI's delay grows with the time since it began polling.
 */
export function pollsUntilSeen(endMs, latencyMs, random = seededRandom(SEED)) {
  let sentAt = 0;
  for (let polls = 1; ; polls += 1) {
    const answeredAt = sentAt + latencyMs;
    if (answeredAt >= endMs) return { polls, seenAt: answeredAt };
    sentAt = answeredAt + nextPollDelay(answeredAt, random);
  }
}

/**
 * The apply of `operations` creates (or updates) with `concurrency` workers against `cap`
 * slots of `durationMs`: workers take the next operation when free (like src/engine/pool.ts),
 * the server gives each start the slot that frees first (like src/emulator/operations.ts).
 */
export function modelApply({ operations, concurrency, cap, durationMs, latencyMs }) {
  const slotFreeAt = new Array(cap).fill(0);
  const workerFreeAt = new Array(Math.max(1, Math.min(concurrency, operations))).fill(0);
  let polls = 0;
  let endMs = 0;
  let queuedMs = 0;
  const random = seededRandom(SEED);
  for (let index = 0; index < operations; index += 1) {
    const worker = indexOfMin(workerFreeAt);
    const startAnsweredAt = workerFreeAt[worker] + latencyMs;
    const slot = indexOfMin(slotFreeAt);
    const runsAt = Math.max(startAnsweredAt, slotFreeAt[slot]);
    slotFreeAt[slot] = runsAt + durationMs;
    queuedMs += runsAt - startAnsweredAt;
    const seen = pollsUntilSeen(slotFreeAt[slot] - startAnsweredAt, latencyMs, random);
    polls += seen.polls;
    workerFreeAt[worker] = startAnsweredAt + seen.seenAt;
    endMs = Math.max(endMs, workerFreeAt[worker]);
  }
  return { wallMs: endMs, polls, pollsPerOperation: operations ? polls / operations : 0, queuedMs };
}

/** Deletes answer at once: one request each, `concurrency` at a time. */
export function modelDeletes({ operations, concurrency, latencyMs }) {
  return { wallMs: Math.ceil(operations / concurrency) * latencyMs, polls: 0, pollsPerOperation: 0, queuedMs: 0 };
}

function indexOfMin(values) {
  let best = 0;
  for (let index = 1; index < values.length; index += 1) if (values[index] < values[best]) best = index;
  return best;
}
