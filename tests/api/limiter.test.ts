/**
 * The client's pace under 429s, in virtual time: the limiter's own decisions, and a run of
 * many workers against a server that admits R requests per second (a one-second sliding
 * window, as the emulator's `requestsPerSecond`), 429 with Retry-After beyond.
 */
import { describe, expect, it } from 'vitest';
import { DECREASE_FACTOR, RateLimiter } from '../../src/api/limiter.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

describe('the rate limiter', () => {
  it('does not pace until the first 429, then paces at a share of what the server admitted over the last second', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock);
    await clock.run((async () => {
      for (let sent = 0; sent < 40; sent += 1) {
        await limiter.acquire();
        limiter.answered(200);
      }
    })());
    expect(clock.now()).toBe(0);
    limiter.answered(429, 1_000);
    expect(limiter.stats().rate).toBe(40 * DECREASE_FACTOR);
    const before = clock.now();
    await clock.run((async () => {
      for (let sent = 0; sent < 28; sent += 1) await limiter.acquire();
    })());
    // 28 requests at 28 a second: the last goes out 27/28 s after the first.
    expect(clock.now() - before).toBeCloseTo((27 * 1000) / 28, 0);
  });

  it('takes a burst of 429s within a second as one overload', () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock);
    void limiter.acquire();
    for (let answer = 0; answer < 10; answer += 1) limiter.answered(429);
    expect(limiter.stats().decreases).toBe(1);
  });

  it('raises the rate with answers that are not 429, but not while a Retry-After asks to wait', async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock);
    for (let sent = 0; sent < 10; sent += 1) await limiter.acquire();
    limiter.answered(429, 2_000);
    const lowered = limiter.stats().rate;
    limiter.answered(200);
    expect(limiter.stats().rate).toBe(lowered);
    await clock.run(clock.sleep(2_000));
    limiter.answered(200);
    expect(limiter.stats().rate).toBeGreaterThan(lowered);
  });
});

/** A server admitting `rate` requests per second; `latencyMs` per request. */
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

/** `workers` loops of requests for `durationMs`, each retried after Retry-After (+ jitter) on 429. */
async function load(options: { workers: number; rate: number; durationMs: number; limited: boolean }) {
  const clock = new VirtualClock(0);
  const limiter = new RateLimiter(clock);
  const server = slidingWindow(clock, options.rate);
  let answered = 0;
  let refused = 0;
  const worker = async () => {
    while (clock.now() < options.durationMs) {
      if (options.limited) await limiter.acquire();
      await clock.sleep(20);
      const answer = server();
      if (options.limited) limiter.answered(answer.status, answer.retryAfterMs);
      if (answer.status === 429) {
        refused += 1;
        await clock.sleep(answer.retryAfterMs! + clock.random() * 1_000);
      } else {
        answered += 1;
      }
    }
  };
  await clock.run(Promise.all(Array.from({ length: options.workers }, worker)));
  return { perSecond: answered / (clock.now() / 1000), refusedShare: refused / (answered + refused) };
}

describe('many workers against a server limited to R requests per second', () => {
  // Below about half the workers' number, the first burst alone (one 429 per worker) nears 5%.
  it.each([20, 50, 100])('keep 429s under 5%% of requests and get 80%% of R = %i through', async (rate) => {
    const run = await load({ workers: 50, rate, durationMs: 120_000, limited: true });
    expect(run.refusedShare).toBeLessThan(0.05);
    expect(run.perSecond).toBeGreaterThan(0.8 * rate);
  });

  it('without the limiter, a fifth or more of the requests are refused', async () => {
    const run = await load({ workers: 50, rate: 20, durationMs: 120_000, limited: false });
    expect(run.refusedShare).toBeGreaterThan(0.2);
  });
});
