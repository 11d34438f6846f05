/**
 * How an emulated operation ends by default: markers in the parameters' string values, so a
 * test or a demo chooses an outcome through an ordinary resource file.
 */
import type { EmulatedOutcome, OutcomeRequest } from './types.js';

export const FAIL_MARKER = 'emulator:fail';
export const CANCEL_MARKER = 'emulator:cancel';
export const HANG_MARKER = 'emulator:hang';
export const OTP_MARKER = 'emulator:otp';

/** The one-time code that answers an `emulator:otp` request. */
export const EXPECTED_OTP = '123456';

/** Parameters are small JSON documents; the bound only guards against a pathological body. */
const MAX_SCAN_DEPTH = 32;

const FAILED: EmulatedOutcome = {
  status: 'failed',
  code: 'auth-check-failed',
  message: 'Login check failed: the credentials were rejected',
  category: 'auth',
};

const CANCELED: EmulatedOutcome = {
  status: 'canceled',
  reasonType: 'terminated',
  message: 'The run was terminated',
};

const OTP: EmulatedOutcome = {
  status: 'requested_more_info',
  expectedInput: EXPECTED_OTP,
  messageToUser: 'Enter the one-time code sent to your device',
};

/** First marker found wins, in this order. */
const MARKERS: readonly (readonly [string, EmulatedOutcome])[] = [
  [FAIL_MARKER, FAILED],
  [CANCEL_MARKER, CANCELED],
  [HANG_MARKER, { status: 'hang' }],
  [OTP_MARKER, OTP],
];

/**
 * A validate body carries no parameters, so a validate is decided by the parameters the
 * session already holds.
 */
export function defaultOutcome(request: OutcomeRequest): EmulatedOutcome {
  const parameters = request.body.parameters ?? request.sessionParameters;
  const strings: string[] = [];
  collectStrings(parameters, strings, 0);
  for (const [marker, outcome] of MARKERS) {
    if (strings.some((value) => value.includes(marker))) return { ...outcome };
  }
  return { status: 'done' };
}

function collectStrings(value: unknown, into: string[], depth: number): void {
  if (depth > MAX_SCAN_DEPTH) return;
  if (typeof value === 'string') {
    into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, into, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectStrings(item, into, depth + 1);
  }
}
