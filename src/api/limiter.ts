/**
 * The pace of one client's requests, all routes together, adapted to what the server says, as
 * TCP does with its window:
 * - slow start: before the server has said anything of its limits, a few requests go out at
 *   once (`INITIAL_WINDOW`), and every answer that is not a 429 lets one more be in flight, so
 *   the number in flight doubles with each round of answers. Against a server without limits
 *   this reaches any concurrency within a few answer times; against a limit of R requests a
 *   second, the first refusal comes while about R are confirmed, not after a whole burst of the
 *   pool's concurrency went out unpaced;
 * - the first 429 ends it (as does a window past `SLOW_START_END`, where the pool bounds what
 *   is in flight anyway): then the rate drops to a share of what the server admitted over the
 *   last second (multiplicative decrease, once per `DECREASE_INTERVAL_MS` however many 429s a
 *   burst brings), and every answer that is not a 429 raises it a little, quickly up to near
 *   that rate, slowly past it (additive increase), except while a `Retry-After` asked to wait;
 * - while paced, no request goes out while the answers admitted over the last second already
 *   reach the rate, so a burst the server admitted just before refusing is waited out.
 * The retry of a refused request is the transport's (`retry.ts`); this only spaces the attempts,
 * so that a rate limit is met mostly by waiting here rather than by being refused there.
 */

/** Requests in flight at once before any answer came. */
export const INITIAL_WINDOW = 4;
/**
 * What each answer adds to the slow-start window: a quarter, so the window grows by a quarter
 * with each round of answers. The round in flight when the first 429 comes back is refused
 * whole, so this share is about how many of the server's limit are refused to learn it;
 * doubling would refuse as many as the limit.
 */
export const WINDOW_GROWTH_PER_ANSWER = 0.25;
/** A slow-start window this large no longer holds anything back: slow start ends there. */
export const SLOW_START_END = 256;
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
  /** Requests allowed in flight while slow start lasts; Infinity after it. */
  private slowStartWindow = INITIAL_WINDOW;
  private inFlight = 0;
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
   * Waits for this request's turn; `answered` or `unanswered` must follow. Turns are handed out
   * one at a time at the rate of the moment (not booked ahead), so a rate lowered by a 429 holds
   * back every request still waiting.
   */
  acquire(): Promise<void> {
    if (!Number.isFinite(this.rate) && this.waiting.length === 0 && this.inFlight < this.slowStartWindow) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.kick();
    });
  }

  private kick(): void {
    if (!this.pumping && this.waiting.length > 0) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      // A full window waits for an answer, which kicks the pump again.
      while (this.waiting.length > 0 && this.inFlight < this.slowStartWindow) {
        const now = this.clock.now();
        const at = Number.isFinite(this.rate) ? Math.max(this.lastTurnAt + 1000 / this.rate, this.windowOpensAt(now)) : now;
        if (at > now) {
          this.waitedMs += (at - now) * this.waiting.length;
          await this.clock.sleep(at - now);
          continue;
        }
        this.lastTurnAt = this.clock.now();
        this.inFlight += 1;
        this.waiting.shift()!();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** What the server answered: its status and, for a 429, its `Retry-After` in ms if any. */
  answered(status: number, retryAfterMs?: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.learn(status, retryAfterMs);
    this.kick();
  }

  /** An attempt that got no answer (the connection failed or timed out): its place is free again. */
  unanswered(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.kick();
  }

  private learn(status: number, retryAfterMs: number | undefined): void {
    const now = this.clock.now();
    if (status === 429) {
      this.slowStartWindow = Number.POSITIVE_INFINITY;
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
    this.slowStartWindow += WINDOW_GROWTH_PER_ANSWER;
    if (this.slowStartWindow >= SLOW_START_END) this.slowStartWindow = Number.POSITIVE_INFINITY;
    if (!Number.isFinite(this.rate) || now < this.holdUntil) return;
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

  /**
   * When the server's last second will hold fewer admitted requests than the rate allows: a
   * burst admitted before the first 429 (slow start's last round, say) fills the server's window
   * for a second, and a request sent before it clears is refused whatever the spacing.
   */
  private windowOpensAt(now: number): number {
    this.trim(now);
    const over = this.admitted.length - Math.floor(this.rate) + 1;
    return over > 0 ? this.admitted[over - 1]! + WINDOW_MS : now;
  }

  /** Answers other than 429 over the last window, per second. */
  private admittedRate(now: number): number {
    this.trim(now);
    return (this.admitted.length * 1000) / WINDOW_MS;
  }
}
