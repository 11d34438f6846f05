/**
 * The tests' one fake clock. Sleeps end in time order, and time moves to the next sleeper's
 * wake-up only when nothing else can run (`run`), as it does for real: a clock that each sleeper
 * pushes forward on its own would age fifty concurrent polls fifty times over. `advance` moves
 * time by hand for code that only reads `now`.
 */
import type { Clock } from '../../src/engine/poll.js';

interface Timer {
  at: number;
  order: number;
  fire(): void;
}

/** A linear congruential generator: the same draws on every run. */
function seeded(seed: number): () => number {
  let value = seed >>> 0;
  return () => {
    value = (Math.imul(value, 1_664_525) + 1_013_904_223) >>> 0;
    return value / 2 ** 32;
  };
}

export class VirtualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private order = 0;
  readonly random: () => number;

  constructor(start = 1_000_000, seed = 7) {
    this.time = start;
    this.random = seeded(seed);
  }

  now = (): number => this.time;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = { at: this.time + Math.max(0, ms), order: this.order++, fire: resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((other) => other !== timer);
          resolve();
        },
        { once: true },
      );
    });

  /**
   * Moves time forward by hand, for code that only reads `now` (the emulator's operations and
   * rate limits); sleepers due by then wake on the next `run`.
   */
  advance(ms: number): void {
    this.time += Math.max(0, ms);
  }

  /** Runs `task` to its end, moving time to the next timer whenever nothing else can run. */
  async run<T>(task: Promise<T>): Promise<T> {
    let settled = false;
    task.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let idle = 0; !settled; ) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      const next = this.timers.reduce<Timer | undefined>((best, timer) => (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order) ? timer : best), undefined);
      if (!next) {
        if ((idle += 1) > 100) throw new Error('the task waits on something other than the virtual clock');
        continue;
      }
      idle = 0;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
    return task;
  }
}
