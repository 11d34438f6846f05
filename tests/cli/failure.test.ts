import { describe, expect, it } from 'vitest';
import { ApiError, EXIT_ERROR, exitCodeFor, failureOf, InputError, InterruptedError, StateError, UnsafePlanError } from '../../src/errors.js';
import { reportFailure } from '../../src/cli/commands/failure.js';
import { refusalsOf } from '../../src/front-end/run-options.js';
import { RunSecrets } from '../../src/secrets.js';

function recording() {
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  return { lines, output: { out: (text: string) => void lines.out.push(text), err: (text: string) => void lines.err.push(text), interactive: false } };
}

describe('one mapping from an error to an exit code and a message', () => {
  it.each([
    [new InputError('missing settings'), EXIT_ERROR, false],
    [new ApiError('nope', { method: 'GET', path: '/x', status: 500, retryable: true }), EXIT_ERROR, false],
    [new UnsafePlanError('too many deletes'), EXIT_ERROR, false],
    [new StateError('lost the race'), EXIT_ERROR, false],
    [new InterruptedError('interrupted'), EXIT_ERROR, false],
    [new TypeError('undefined is not a function'), EXIT_ERROR, true],
  ])('%s', (error, exitCode, bug) => {
    expect(exitCodeFor(error)).toBe(exitCode);
    expect(failureOf(error)).toMatchObject({ exitCode, bug });
  });

  it('keeps a bug\'s stack out of the brief a comment shows', () => {
    const failure = failureOf(new TypeError('boom'));
    expect(failure.message).toMatch(/^internal error: boom\nTypeError: boom\n\s+at /);
    expect(failure.brief).toBe('internal error: boom');
  });

  it('gives the CLI the exit code of the error, an interruption included', () => {
    const { output, lines } = recording();
    expect(reportFailure(output, 'text', new InterruptedError('interrupted: operations keep running'))).toBe(EXIT_ERROR);
    expect(lines.err).toEqual(['error: interrupted: operations keep running\n']);
  });

  it('names an unsafe plan and a refused review as refusals, unsafe first', () => {
    const plan = { unsafe: { message: 'the plan deletes 3 of 4 managed AuthSessions' } };
    const review = { refused: true, comparison: { unseenDeletes: [{ id: 'acme' }], source: 'pull request #7' } };
    const refusals = refusalsOf({ plan, review } as never, 'Do this.');
    expect(refusals.map((refusal) => [refusal.name, refusal.message])).toEqual([
      ['UnsafePlanError', 'the plan deletes 3 of 4 managed AuthSessions'],
      ['UnsafePlanError', 'the plan deletes 1 AuthSession(s) that the reviewed plan (pull request #7) did not show: acme; nothing was sent to Intuned. Do this.'],
    ]);
    expect(refusalsOf({ plan: {} } as never, 'Do this.')).toEqual([]);
  });
});

describe('RunSecrets as the one collector', () => {
  it('tells each output secret once, keys first in the order given, with one threshold', () => {
    const told: string[] = [];
    const secrets = new RunSecrets({ apiKey: 'api-key-0d9e7c55', stateKey: 'short', others: ['ghs_token0123456789', undefined] }, { onSecret: (value) => told.push(value) });
    expect(told).toEqual(['api-key-0d9e7c55', 'ghs_token0123456789']);
    secrets.learn({ sessions: [], secrets: ['from-env-password', 'tiny'] });
    expect(told).toEqual(['api-key-0d9e7c55', 'ghs_token0123456789', 'from-env-password']);
    expect(secrets.mask('api-key-0d9e7c55 from-env-password tiny short')).toBe('*** *** tiny short');
    expect(secrets.maskApiText('tiny short')).toBe('*** ***');
  });
});
