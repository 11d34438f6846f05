import { describe, expect, it } from 'vitest';
import { parseOperationResult } from '../../src/api/wire.js';

describe('operation results, both API generations', () => {
  it.each([
    ['pending', { status: 'pending', queuedAt: 1 }, { status: 'pending' }],
    ['in_progress', { status: 'in_progress', runId: 'r1' }, { status: 'in_progress', runId: 'r1' }],
    ['in_progress without runId', { status: 'in_progress', runId: null }, { status: 'in_progress' }],
    ['done', { status: 'done', authSessionId: 'a1' }, { status: 'done', authSessionId: 'a1' }],
    [
      'failed, current',
      {
        status: 'failed',
        message: 'Login failed',
        error: { message: 'timed out', code: 'script-timeout', category: 'execution', retirable: true, doc_url: 'https://d', details: {} },
      },
      {
        status: 'failed',
        message: 'Login failed',
        error: { message: 'timed out', code: 'script-timeout', category: 'execution', retryable: true, docUrl: 'https://d' },
      },
    ],
    [
      'failed, current, message only in error',
      { status: 'failed', error: { message: 'boom', category: 'infrastructure', retirable: false } },
      { status: 'failed', message: 'boom', error: { message: 'boom', category: 'infrastructure', retryable: false } },
    ],
    [
      'failed, older (error is the code)',
      { status: 'failed', error: 'auth-check-failed', message: 'Check failed' },
      { status: 'failed', message: 'Check failed', error: { message: 'Check failed', code: 'auth-check-failed' } },
    ],
    [
      'failed, older, no message',
      { status: 'failed', error: 'internal-server-error' },
      { status: 'failed', message: 'internal-server-error', error: { message: 'internal-server-error', code: 'internal-server-error' } },
    ],
    [
      'canceled',
      { status: 'canceled', message: 'Canceled', reason: { type: 'api-access-disabled', message: 'API off', details: 1 } },
      { status: 'canceled', message: 'Canceled', reason: { type: 'api-access-disabled', message: 'API off' } },
    ],
    [
      'cancelled without reason',
      { status: 'cancelled' },
      { status: 'canceled', message: 'operation canceled', reason: { type: 'unknown', message: 'operation canceled' } },
    ],
    [
      'requested_more_info, otp',
      { status: 'requested_more_info', id: 'i1', details: { requestType: 'otp', action: 'request_more_info', messageToUser: 'Code?' } },
      { status: 'requested_more_info', infoRequestId: 'i1', requestType: 'otp', messageToUser: 'Code?' },
    ],
    [
      'requested_more_info, multiple choice',
      { status: 'requested_more_info', id: 'i2', details: { requestType: 'multiple_choice', choices: ['SMS', 'Email', { odd: 1 }], messageToUser: 'Where?' } },
      { status: 'requested_more_info', infoRequestId: 'i2', requestType: 'multiple_choice', messageToUser: 'Where?', choices: ['SMS', 'Email'] },
    ],
  ])('%s', (_name, wire, expected) => {
    expect(parseOperationResult(wire)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['no status', {}, /status/],
    ['a number status', { status: 3 }, /status/],
    ['an unknown status, quoted short', { status: 'x'.repeat(100) }, /^status: unknown result status 'x{40}'$/],
    ['canceled with a reason missing its type', { status: 'canceled', reason: {} }, /reason\.type/],
    ['not an object', 'done', /\(body\)/],
  ])('refuses %s', (_name, wire, problem) => {
    const parsed = parseOperationResult(wire);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toMatch(problem);
  });
});
