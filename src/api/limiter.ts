/**
 * The pace of one client's requests, all routes together, adapted to what the server says
 * (AIMD, as TCP does with its window): no pacing until the server first answers 429; then the
 * rate drops to a share of what the server admitted over the last second (multiplicative
 * decrease, once per `DECREASE_INTERVAL_MS` however many 429s a burst brings), and every answer
 * that is not a 429 raises it a little, quickly up to near that rate, slowly past it (additive
 * increase), except while a `Retry-After` asked to wait. The retry of a refused request is the transport's
 * (`retry.ts`); this only spaces the attempts, so that a rate limit is met mostly by waiting
 * here rather than by being refused there.
 */

/** After a 429, the rate becomes this share of the rate the server admitted over the last second. */
export const DECREASE_FACTOR = 0.7;
/** 429s closer together than this are one overload: the rate drops once. */
export const DECREASE_INTERVAL_MS = 1_000;
/** Share of itself the rate gains per second of answers that were not 429. */
export const INCREASE_SHARE_PER_SECOND = 0.05;
/** Near the rate at which the server last refused, the rate creeps up by this share a second. */
export const PROBE_SHARE_PER_SECOND = 0.01;
/** "Near": above this share of that rate. */
export const NEAR_CEILING = 0.95;
/**
 * The pace never falls below this (requests per second). A 429 that comes when little was being
 * sent (the server refusing the first requests of a run) says little of its rate, and a limit
 * lower still is left to the retries' Retry-After waits.
 */
export const MIN_RATE = 5;
/** The window over which the rate sent is measured. */
const WINDOW_MS = 1_000;

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Real time: the pace is of real requests, whatever clock the client's retries use. */
export const systemLimiterClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface LimiterStats {
  /** Requests per second now allowed; Infinity before the first 429. */
  rate: number;
  decreases: number;
  /** Time requests spent waiting for their turn, added up. */
  waitedMs: number;
}

export class RateLimiter {
  private rate = Number.POSITIVE_INFINITY;
  private lastTurnAt = Number.NEGATIVE_INFINITY;
  private readonly waiting: Array<() => void> = [];
  private pumping = false;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  /** The rate the server admitted when it last refused. */
  private ceiling = Number.POSITIVE_INFINITY;
  private holdUntil = 0;
  /** When the answers of the last window that were not 429 came. */
  private readonly admitted: number[] = [];
  private decreases = 0;
  private waitedMs = 0;

  constructor(private readonly clock: LimiterClock) {}

  /**
   * Waits for this request's turn. Turns are handed out one at a time at the rate of the moment
   * (not booked ahead), so a rate lowered by a 429 holds back every request still waiting.
   */
  acquire(): Promise<void> {
    if (!Number.isFinite(this.rate) && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.pumping) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        const now = this.clock.now();
        const at = Number.isFinite(this.rate) ? this.lastTurnAt + 1000 / this.rate : now;
        if (at > now) {
          this.waitedMs += (at - now) * this.waiting.length;
          await this.clock.sleep(at - now);
          continue;
        }
        this.lastTurnAt = this.clock.now();
        this.waiting.shift()!();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** What the server answered: its status and, for a 429, its `Retry-After` in ms if any. */
  answered(status: number, retryAfterMs?: number): void {
    const now = this.clock.now();
    if (status === 429) {
      if (retryAfterMs !== undefined) this.holdUntil = Math.max(this.holdUntil, now + retryAfterMs);
      if (now - this.lastDecreaseAt < DECREASE_INTERVAL_MS) return;
      this.lastDecreaseAt = now;
      this.decreases += 1;
      // What the server let through over the last second is the best word on its limit.
      this.ceiling = Math.max(MIN_RATE, Math.min(this.rate, this.admittedRate(now)));
      this.rate = Math.max(MIN_RATE, this.ceiling * DECREASE_FACTOR);
      return;
    }
    this.admitted.push(now);
    this.trim(now);
    if (!Number.isFinite(this.rate) || now < this.holdUntil) return;
    // At this pace an answer comes every 1/rate of a second: per second, the rate gains its share.
    // At this pace an answer comes every 1/rate of a second: a share per answer is that share
    // per second. Quickly back to near the last refusal (at least one request per second more
    // each second, so that a low rate recovers too), then slowly past it.
    this.rate += this.rate < this.ceiling * NEAR_CEILING ? Math.max(INCREASE_SHARE_PER_SECOND, 1 / this.rate) : PROBE_SHARE_PER_SECOND;
  }

  stats(): LimiterStats {
    return { rate: this.rate, decreases: this.decreases, waitedMs: this.waitedMs };
  }

  private trim(now: number): void {
    let drop = 0;
    while (drop < this.admitted.length && this.admitted[drop]! <= now - WINDOW_MS) drop += 1;
    if (drop > 0) this.admitted.splice(0, drop);
  }

  /** Answers other than 429 over the last window, per second. */
  private admittedRate(now: number): number {
    this.trim(now);
    return (this.admitted.length * 1000) / WINDOW_MS;
  }
}
