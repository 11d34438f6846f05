/**
 * What an apply should cost, from first principles, to compare the measurements against:
 * - the ideal: the server busy all the time, ceil(N / C) * D;
 * - the model: the CLI's own pool and poll code (src/engine/pool.ts, src/engine/poll.ts and
 *   the schedule it learns, src/engine/poll-schedule.ts, imported from build/) in virtual time
 *   against the emulator's slots (FIFO, `pending` for the queue and the first share of a run,
 *   like src/emulator/operations.ts), with the request latency and nothing else (no process
 *   start, no file or state I/O). It gives the expected number of polls and the time lost to
 *   noticing late that an operation ended.
 */
import { mapLimit } from '../../build/engine/pool.js';
import { pollOperation } from '../../build/engine/poll.js';
import { OperationTimes } from '../../build/engine/poll-schedule.js';
import { PENDING_SHARE } from '../../build/emulator/operations.js';
import { seededRandom } from './random.mjs';

const SEED = 20_240_601;

export function idealApplyMs({ operations, cap, durationMs }) {
  return Math.ceil(operations / cap) * durationMs;
}

/** A clock whose sleeps end in time order, each when nothing else can run. */
class VirtualClock {
  time = 0;
  timers = [];
  order = 0;
  random = seededRandom(SEED);
  now = () => this.time;
  sleep = (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = { at: this.time + Math.max(0, ms), order: this.order++, fire: resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((other) => other !== timer);
        resolve();
      }, { once: true });
    });

  async run(task) {
    let settled = false;
    task.then(() => (settled = true), () => (settled = true));
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled || this.timers.length === 0) continue;
      let next = this.timers[0];
      for (const timer of this.timers) if (timer.at < next.at || (timer.at === next.at && timer.order < next.order)) next = timer;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
    return task;
  }
}

/**
 * The apply of `operations` creates (or updates) with `concurrency` workers against `cap`
 * slots of `durationMs`: each worker starts its operation (one request), which takes the slot
 * that frees first, then polls it with the CLI's schedule until it is seen done.
 */
export async function modelApply({ operations, concurrency, cap, durationMs, latencyMs }) {
  const clock = new VirtualClock();
  const times = new OperationTimes();
  const slotFreeAt = new Array(cap).fill(0);
  let polls = 0;
  let queuedMs = 0;
  const work = mapLimit(Array.from({ length: operations }), concurrency, async () => {
    await clock.sleep(latencyMs);
    const slot = indexOfMin(slotFreeAt);
    const startAt = Math.max(clock.now(), slotFreeAt[slot]);
    const endsAt = startAt + durationMs;
    slotFreeAt[slot] = endsAt;
    queuedMs += startAt - clock.now();
    const inProgressAt = startAt + durationMs * PENDING_SHARE;
    await pollOperation({
      fetch: async () => {
        polls += 1;
        await clock.sleep(latencyMs);
        const now = clock.now();
        return now < inProgressAt ? { status: 'pending' } : now < endsAt ? { status: 'in_progress' } : { status: 'done' };
      },
      answer: async () => {},
      deadline: Number.POSITIVE_INFINITY,
      clock,
      times,
      fresh: true,
    });
  });
  await clock.run(work);
  return { wallMs: clock.now(), polls, pollsPerOperation: operations ? polls / operations : 0, queuedMs };
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
