/**
 * The only place that talks HTTP: one undici Agent per client (keep-alive, bounded sockets),
 * a timeout per attempt, the retry policy of `retry.ts`, and the counters behind `stats()`.
 * Headers (the API key among them) never leave this file.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request, type Dispatcher } from 'undici';
import {
  connectionError,
  deadlineError,
  describeWireError,
  errorFromResponse,
  makeRedactor,
  outcomeUnknownError,
  type Redact,
} from './failures.js';
import { USER_AGENT, type ClientStats, type ResolvedOptions } from './options.js';
import { classifyFailure, errorCode, judgeFailure, judgeStatus, nextDelayMs, parseRetryAfterMs, type Verdict } from './retry.js';
import type { Route } from './routes.js';
import { RateLimiter, systemLimiterClock } from './limiter.js';
import type { ApiError } from '../errors.js';

/** Establishing a TCP+TLS connection may take this long. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A response body larger than this is refused (the largest real ones are job lists). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface HttpRequest extends Route {
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** An earlier attempt of this request may have acted on the server (tracked for keyed requests only). */
  afterUnknownOutcome: boolean;
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  /** The ApiError for a non-2xx response. */
  errorFrom(request: HttpRequest, response: HttpResponse): ApiError;
  redact: Redact;
  stats(): ClientStats;
  close(): Promise<void>;
}

export const isSuccess = (response: HttpResponse): boolean => response.status >= 200 && response.status < 300;

type Attempt = { response: Omit<HttpResponse, 'afterUnknownOutcome'> } | { error: unknown };

async function readText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_RESPONSE_BYTES) {
      body.destroy();
      throw Object.assign(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`), { code: 'RESPONSE_TOO_LARGE' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createTransport(options: ResolvedOptions): Transport {
  const { retry: policy, requestTimeoutMs: timeoutMs } = options;
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({
        connections: options.connections,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connect: { timeout: CONNECT_TIMEOUT_MS },
      });
  const dispatcher = options.dispatcher ?? ownAgent;
  const redact = makeRedactor([options.apiKey], options.mask);
  // One pace for every request of the client, so that a rate limit slows them all.
  const limiter = options.adaptivePace ? new RateLimiter(systemLimiterClock) : undefined;
  const counters = { requests: 0, retries: 0, retryDelayMs: 0 };
  const byRoute: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const count = (table: Record<string, number>, key: string) => {
    table[key] = (table[key] ?? 0) + 1;
  };

  function emit(event: Parameters<NonNullable<ResolvedOptions['onRequest']>>[0]): void {
    try {
      options.onRequest?.(event);
    } catch {
      // A progress hook must not change the outcome of an API call.
    }
  }

  async function attemptOnce(req: HttpRequest, attempt: number, attemptTimeoutMs: number): Promise<Attempt> {
    const headers: Record<string, string> = {
      'x-api-key': options.apiKey,
      accept: 'application/json',
      'user-agent': USER_AGENT,
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const started = options.now();
    counters.requests += 1;
    count(byRoute, req.route);
    const event = { method: req.method, path: req.path, route: req.route, attempt };
    try {
      const answer = await request(`${options.origin}${options.basePath}${req.path}`, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        dispatcher,
        // Covers connect, headers and the whole body: a server trickling bytes cannot stretch it.
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      const text = await readText(answer.body);
      count(byStatus, String(answer.statusCode));
      emit({ ...event, status: answer.statusCode, durationMs: options.now() - started });
      return { response: { status: answer.statusCode, headers: answer.headers, text } };
    } catch (error) {
      count(byStatus, 'none');
      const code = errorCode(error);
      emit({ ...event, durationMs: options.now() - started, ...(code ? { errorCode: code } : {}) });
      return { error };
    }
  }

  function delayBeforeRetry(attempt: number, outcome: Attempt): number {
    const retryAfter = 'response' in outcome ? outcome.response.headers['retry-after'] : undefined;
    return nextDelayMs({
      retry: attempt,
      retryAfterMs: parseRetryAfterMs(retryAfter, policy, options.now()),
      policy,
      random: options.random,
    });
  }

  /**
   * Attempts until an answer is final, the request's retry budget is spent, or the deadline
   * comes. The budget counts the waits asked for plus the time attempts took, so it holds with
   * recorded (test) sleeps as with real ones.
   */
  async function send(req: HttpRequest): Promise<HttpResponse> {
    const context = { method: req.method, path: req.path };
    let spent = 0;
    let afterUnknownOutcome = false;
    let lastDetail: string | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const remaining = options.deadline - options.now();
      if (remaining <= 0) {
        if (afterUnknownOutcome) throw outcomeUnknownError({ ...context, detail: `${lastDetail}, then the timeout was reached`, repeated: true });
        throw deadlineError(context, lastDetail);
      }
      const attemptTimeoutMs = Math.min(timeoutMs, remaining);
      if (attempt > 1) counters.retries += 1;
      await limiter?.acquire();
      const began = options.now();
      const outcome = await attemptOnce(req, attempt, attemptTimeoutMs);
      if (limiter && 'response' in outcome) {
        limiter.answered(outcome.response.status, parseRetryAfterMs(outcome.response.headers['retry-after'], policy, options.now()));
      } else {
        limiter?.unanswered();
      }
      spent += Math.max(0, options.now() - began);
      const verdict: Verdict =
        'response' in outcome
          ? judgeStatus(outcome.response.status, req.safety)
          : judgeFailure(classifyFailure(outcome.error), req.safety);
      const detail =
        'response' in outcome ? `HTTP ${outcome.response.status}` : describeWireError(outcome.error, redact, attemptTimeoutMs);
      lastDetail = detail;
      const status = 'response' in outcome ? outcome.response.status : undefined;
      if (verdict === 'outcome-unknown') throw outcomeUnknownError({ ...context, status, detail });
      if (verdict === 'retry-after-unknown') afterUnknownOutcome = true;
      const fail = () => {
        if ('response' in outcome) return { ...outcome.response, afterUnknownOutcome };
        throw connectionError({ ...context, error: outcome.error, redact, timeoutMs: attemptTimeoutMs, retryable: verdict !== 'done' });
      };
      if (verdict === 'done') return fail();
      const delay = delayBeforeRetry(attempt, outcome);
      const pastDeadline = options.now() + delay >= options.deadline;
      if (pastDeadline || spent + delay > policy.budgetMs) {
        // Giving up on a keyed request whose earlier attempt may have acted: say so.
        if (afterUnknownOutcome) throw outcomeUnknownError({ ...context, status, detail, repeated: true });
        if (pastDeadline) throw deadlineError(context, detail);
        return fail();
      }
      spent += delay;
      counters.retryDelayMs += delay;
      await options.sleep(delay);
    }
  }

  return {
    send,
    errorFrom: (req, response) => errorFromResponse({ method: req.method, path: req.path, ...response, redact }),
    redact,
    stats: () => ({ ...counters, byRoute: { ...byRoute }, byStatus: { ...byStatus } }),
    close: async () => {
      await ownAgent?.close();
    },
  };
}
