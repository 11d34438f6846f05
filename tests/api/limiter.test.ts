/**
 * The client's pace under 429s, in virtual time: the limiter's own decisions, and a run of
 * many workers against a server that admits R requests per second (a one-second sliding
 * window, as the emulator's `requestsPerSecond`), 429 with Retry-After beyond.
 */
import { describe, expect, it } from 'vitest';
import { DECREASE_FACTOR, INITIAL_WINDOW, RateLimiter } from '../../src/api/limiter.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

/** Asks for `count` turns at once; `granted` lists, in order, the asks whose turn came. */
function askMany(limiter: RateLimiter, count: number): { granted: number[] } {
  const granted: number[] = [];
  for (let ask = 0; ask < count; ask += 1) void limiter.acquire().then(() => granted.push(ask));
  return { granted };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the rate limiter before the server has refused anything (slow start)', () => {
  it('lets a few requests out at once, and a quarter more for every answer, so the number in flight grows by a quarter with each round', async () => {
    const limiter = new RateLimiter(new VirtualClock(0));
    const { granted } = askMany(limiter, 40);
    const rounds: number[] = [];
    await settle();
    for (let answeredSoFar = 0; granted.length > answeredSoFar; ) {
      const round = granted.length - answeredSoFar;
      rounds.push(round);
      for (let answer = 0; answer < round; answer += 1) limiter.answered(200);
      answeredSoFar += round;
      await settle();
    }
    expect(rounds).toEqual([INITIAL_WINDOW, 5, 7, 8, 10, 6]);
  });

  it('against a server without limits, has 50 requests out within a few answer times', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock);
    const sentAt: number[] = [];
    await clock.run(
      Promise.all(
        Array.from({ length: 50 }, async () => {
          await limiter.acquire();
          sentAt.push(clock.now());
          await clock.sleep(20);
          limiter.answered(200);
        }),
      ),
    );
    // Rounds of 4, 5, 7, 8, 10, 13, then the last 3: six answer times after the first.
    expect(Math.max(...sentAt)).toBe(120);
  });

  it('frees the place of an attempt that got no answer, without counting it as an answer', async () => {
    const limiter = new RateLimiter(new VirtualClock(0));
    const { granted } = askMany(limiter, 10);
    await settle();
    expect(granted).toHaveLength(INITIAL_WINDOW);
    limiter.unanswered();
    await settle();
    expect(granted).toHaveLength(INITIAL_WINDOW + 1);
  });

  it('ends on the first 429: nothing goes out until the second the server filled has passed, then at a share of what it admitted', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock);
    const { granted } = askMany(limiter, 40);
    await settle();
    for (let answer = 0; answer < INITIAL_WINDOW; answer += 1) limiter.answered(200);
    await settle();
    // 8 out: the server admits 6 of them (10 in its second) and refuses 2.
    for (let answer = 0; answer < 6; answer += 1) limiter.answered(200);
    limiter.answered(429, 1_000);
    limiter.answered(429, 1_000);
    expect(limiter.stats().rate).toBe(10 * DECREASE_FACTOR);
    await settle();
    const before = granted.length;
    await clock.run(clock.sleep(999));
    expect(granted.length).toBe(before);
    await clock.run(clock.sleep(900));
    // At 1 s, then every 1/7 s, however many wait.
    expect(granted.length - before).toBe(7);
  });
});

describe('the rate limiter after a 429', () => {
  it('paces at a share of what the server admitted over the last second, once that second has passed', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock);
    await clock.run((async () => {
      for (let sent = 0; sent < 40; sent += 1) {
        await limiter.acquire();
        limiter.answered(200);
      }
    })());
    expect(clock.now()).toBe(0);
    limiter.answered(429);
    expect(limiter.stats().rate).toBe(40 * DECREASE_FACTOR);
    const before = clock.now();
    await clock.run((async () => {
      for (let sent = 0; sent < 28; sent += 1) await limiter.acquire();
    })());
    // The 40 admitted fill the server's second until it has passed; then 28 a second, the last 27/28 s after the first.
    expect(clock.now() - before).toBeCloseTo(1_000 + (27 * 1000) / 28, 0);
  });

  it('takes a burst of 429s within a second as one overload', () => {
    const limiter = new RateLimiter(new VirtualClock(0));
    void limiter.acquire();
    for (let answer = 0; answer < 10; answer += 1) limiter.answered(429);
    expect(limiter.stats().decreases).toBe(1);
  });

  it('raises the rate with answers that are not 429, but not while a Retry-After asks to wait', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock);
    for (let sent = 0; sent < 10; sent += 1) {
      await limiter.acquire();
      limiter.answered(200);
    }
    await limiter.acquire();
    limiter.answered(429, 2_000);
    const lowered = limiter.stats().rate;
    limiter.answered(200);
    expect(limiter.stats().rate).toBe(lowered);
    await clock.run(clock.sleep(2_000));
    limiter.answered(200);
    expect(limiter.stats().rate).toBeGreaterThan(lowered);
  });
});

/** A server admitting `rate` requests per second. */
function slidingWindow(clock: VirtualClock, rate: number) {
  const admitted: number[] = [];
  return (): { status: number; retryAfterMs?: number } => {
    const now = clock.now();
    while (admitted.length > 0 && admitted[0]! <= now - 1_000) admitted.shift();
    if (admitted.length < rate) {
      admitted.push(now);
      return { status: 200 };
    }
    return { status: 429, retryAfterMs: Math.max(1, Math.ceil((admitted[0]! + 1_000 - now) / 1_000)) * 1_000 };
  };
}

/** `workers` loops of requests for `durationMs`, 20 ms each, retried after Retry-After (+ jitter) on 429. */
async function load(options: { workers: number; rate: number; durationMs: number; limited: boolean }) {
  const clock = new VirtualClock(0);
  const limiter = new RateLimiter(clock);
  const server = slidingWindow(clock, options.rate);
  let answered = 0;
  let refused = 0;
  let refusedInFirstSeconds = 0;
  const worker = async () => {
    while (clock.now() < options.durationMs) {
      if (options.limited) await limiter.acquire();
      await clock.sleep(20);
      const answer = server();
      if (options.limited) limiter.answered(answer.status, answer.retryAfterMs);
      if (answer.status === 429) {
        refused += 1;
        if (clock.now() < 2_000) refusedInFirstSeconds += 1;
        await clock.sleep(answer.retryAfterMs! + clock.random() * 1_000);
      } else {
        answered += 1;
      }
    }
  };
  await clock.run(Promise.all(Array.from({ length: options.workers }, worker)));
  return { perSecond: answered / (clock.now() / 1000), refusedShare: refused / (answered + refused), refusedInFirstSeconds };
}

describe('many workers against a server limited to R requests per second', () => {
  it.each([10, 20, 50, 100])('keep 429s under 5 percent of requests and get four fifths of R = %i through', async (rate) => {
    const run = await load({ workers: 50, rate, durationMs: 120_000, limited: true });
    expect(run.refusedShare).toBeLessThan(0.05);
    expect(run.perSecond).toBeGreaterThan(0.8 * rate);
  });

  it('do not send their first burst unpaced: fewer 429s than the limit teach the pace, not one per worker', async () => {
    const run = await load({ workers: 32, rate: 10, durationMs: 10_000, limited: true });
    expect(run.refusedInFirstSeconds).toBeLessThanOrEqual(8);
  });

  it('without the limiter, a fifth or more of the requests are refused', async () => {
    const run = await load({ workers: 50, rate: 20, durationMs: 120_000, limited: false });
    expect(run.refusedShare).toBeGreaterThan(0.2);
  });
});
