import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  classifyFailure,
  judgeFailure,
  judgeStatus,
  parseRetryAfterMs,
} from '../../src/api/retry.js';

const policy = DEFAULT_RETRY_POLICY;
const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('backoff', () => {
  it('grows ×1.5 from 500 ms, is capped at 60 s and adds at most 1 s of jitter', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([500, 750, 1125, 1688, 2531]);
    expect(backoffDelayMs(40, policy, () => 0)).toBe(60_000);
    expect(backoffDelayMs(1, policy, () => 0.999)).toBe(1499);
  });
});

describe('Retry-After', () => {
  it.each([
    ['3', 3000],
    ['0', 0],
    ['1.5', 1500],
    [' 10 ', 10_000],
    ['999999', 60_000],
    [new Date(NOW + 30_000).toUTCString(), 30_000],
    [new Date(NOW - 30_000).toUTCString(), 0],
    [['4', '9'], 4000],
  ] as const)('reads %j as %i ms', (value, expected) => {
    expect(parseRetryAfterMs(value as string | string[], policy, NOW)).toBe(expected);
  });

  it.each([undefined, '', 'soon', '-5'])('ignores %j', (value) => {
    expect(parseRetryAfterMs(value, policy, NOW)).toBeUndefined();
  });
});

describe('verdicts', () => {
  it.each([
    [429, 'idempotent', 'retry'],
    [503, 'unsafe', 'retry'],
    [500, 'idempotent', 'retry'],
    [500, 'keyed', 'retry-after-unknown'],
    [502, 'unsafe', 'outcome-unknown'],
    [504, 'unsafe', 'outcome-unknown'],
    [404, 'idempotent', 'done'],
    [201, 'unsafe', 'done'],
  ] as const)('status %i on a %s request: %s', (status, safety, verdict) => {
    expect(judgeStatus(status, safety)).toBe(verdict);
  });

  it.each([
    [{ code: 'ECONNREFUSED' }, 'not-sent'],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, 'not-sent'],
    [{ code: 'ECONNRESET' }, 'maybe-sent'],
    [{ code: 'UND_ERR_SOCKET' }, 'maybe-sent'],
    [{ name: 'TimeoutError', code: 23 }, 'maybe-sent'],
    [{ message: 'fetch failed', cause: { code: 'ECONNRESET' } }, 'maybe-sent'],
    [{ code: 'UND_ERR_INVALID_ARG' }, 'other'],
    [new TypeError('bug'), 'other'],
    ['a string', 'other'],
  ])('classifies %j as %s', (error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });

  it('retries an unsent request of any kind, and a maybe-sent one only when safe', () => {
    expect(judgeFailure('not-sent', 'unsafe')).toBe('retry');
    expect(judgeFailure('maybe-sent', 'idempotent')).toBe('retry');
    expect(judgeFailure('maybe-sent', 'keyed')).toBe('retry-after-unknown');
    expect(judgeFailure('maybe-sent', 'unsafe')).toBe('outcome-unknown');
    expect(judgeFailure('other', 'idempotent')).toBe('done');
  });
});
