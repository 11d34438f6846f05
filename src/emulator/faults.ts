/**
 * Injected faults: latency, random 5xx and 429, a real per-second limiter and dropped sockets.
 * Decided when a request arrives, from `random` (seed it for deterministic tests), and only
 * for requests whose `METHOD /path-after-project` matches `match` when it is set.
 */
import { apiError, gatewayError } from './http.js';
import type { Reply } from './http.js';
import type { FaultOptions } from './types.js';

export const DEFAULT_RETRY_AFTER_SECONDS = 1;
const LIMITER_WINDOW_MS = 1_000;

export interface FaultDecision {
  latencyMs: number;
  /** Destroy the socket without answering. */
  drop?: true;
  /** Answer this instead of the real handler. */
  reply?: Reply;
}

const NO_FAULT: FaultDecision = { latencyMs: 0 };

export class FaultGate {
  private faults: FaultOptions | undefined;
  /** Arrival times of requests the limiter let through within the last window. */
  private admitted: number[] = [];

  constructor(
    faults: FaultOptions | undefined,
    private readonly random: () => number,
    private readonly now: () => number,
  ) {
    this.faults = faults;
  }

  set(faults: FaultOptions | undefined): void {
    this.faults = faults;
    this.admitted = [];
  }

  decide(target: string): FaultDecision {
    const faults = this.faults;
    if (!faults || !matches(faults.match, target)) return NO_FAULT;
    const latencyMs = Math.max(0, faults.latencyMs ?? 0);
    const limited = this.limit(faults.requestsPerSecond);
    if (limited) return { latencyMs, reply: limited };
    if (this.draw(faults.dropRate)) return { latencyMs, drop: true };
    if (this.draw(faults.rateLimitRate)) {
      return { latencyMs, reply: tooManyRequests(faults.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) };
    }
    if (this.draw(faults.serverErrorRate)) return { latencyMs, reply: this.serverError() };
    return { latencyMs };
  }

  private limit(requestsPerSecond: number | undefined): Reply | undefined {
    if (requestsPerSecond === undefined) return undefined;
    const now = this.now();
    while (this.admitted.length > 0 && (this.admitted[0] ?? 0) <= now - LIMITER_WINDOW_MS) this.admitted.shift();
    if (this.admitted.length < requestsPerSecond) {
      this.admitted.push(now);
      return undefined;
    }
    const oldest = this.admitted[0] ?? now;
    return tooManyRequests(Math.max(1, Math.ceil((oldest + LIMITER_WINDOW_MS - now) / 1_000)));
  }

  private draw(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }

  private serverError(): Reply {
    const pick = Math.floor(this.random() * 3);
    if (pick === 1) return gatewayError();
    if (pick === 2) return apiError(503, 'service-unavailable', 'Service unavailable');
    return apiError(500, 'internal-server-error', 'Internal server error');
  }
}

function matches(match: RegExp | undefined, target: string): boolean {
  if (!match) return true;
  match.lastIndex = 0;
  return match.test(target);
}

function tooManyRequests(retryAfterSeconds: number): Reply {
  return apiError(429, 'rate-limited', 'Too many requests', { headers: { 'retry-after': String(retryAfterSeconds) } });
}
