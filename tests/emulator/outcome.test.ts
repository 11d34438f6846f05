import { describe, expect, it } from 'vitest';
import { defaultOutcome } from '../../src/emulator/index.js';
import type { OutcomeRequest } from '../../src/emulator/index.js';

function request(body: Record<string, unknown>, extra: Partial<OutcomeRequest> = {}): OutcomeRequest {
  return { kind: 'create', workspaceId: 'ws', project: 'p', authSessionId: 'a1b', body, ...extra };
}

describe('defaultOutcome', () => {
  it.each([
    ['plain parameters', { username: 'u', password: 'p' }, { status: 'done' }],
    ['no strings', { attempts: 3, nested: { flag: true } }, { status: 'done' }],
    [
      'fail marker',
      { password: 'x-emulator:fail-x' },
      { status: 'failed', code: 'auth-check-failed', message: 'Login check failed: the credentials were rejected', category: 'auth' },
    ],
    ['cancel marker deep in an array', { list: [{ deep: ['emulator:cancel'] }] }, { status: 'canceled', reasonType: 'terminated', message: 'The run was terminated' }],
    ['hang marker', { note: 'emulator:hang' }, { status: 'hang' }],
    [
      'otp marker',
      { otp: 'emulator:otp' },
      { status: 'requested_more_info', expectedInput: '123456', messageToUser: 'Enter the one-time code sent to your device' },
    ],
    ['fail wins over the others', { a: 'emulator:otp', b: 'emulator:hang', c: 'emulator:fail' }, { status: 'failed' }],
  ])('%s', (_name, parameters, expected) => {
    expect(defaultOutcome(request({ parameters }))).toMatchObject(expected);
  });

  it('ignores markers outside parameters', () => {
    expect(defaultOutcome(request({ parameters: {}, proxy: 'http://emulator:fail@x' }))).toEqual({ status: 'done' });
  });

  it('decides a validate from the parameters the session holds', () => {
    const validate = request({ autoRecreate: true }, { kind: 'validate', sessionParameters: { password: 'emulator:fail' } });
    expect(defaultOutcome(validate).status).toBe('failed');
    expect(defaultOutcome(request({}, { kind: 'validate' }))).toEqual({ status: 'done' });
  });

  it('returns a fresh object each time', () => {
    const first = defaultOutcome(request({ parameters: { p: 'emulator:fail' } }));
    (first as { message: string }).message = 'changed';
    expect(defaultOutcome(request({ parameters: { p: 'emulator:fail' } }))).toMatchObject({
      message: 'Login check failed: the credentials were rejected',
    });
  });
});
