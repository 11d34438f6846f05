/** The Intuned API emulator: the in-process form for tests and the CLI's `emulator` command. */
export { startEmulator, DEFAULT_OPERATION_DURATION_MS, DEFAULT_MAX_CONCURRENT_OPERATIONS } from './emulator.js';
export { emulatorCommand } from './command.js';
export { seededRandom } from './random.js';
export type { EmulatorCommandOptions } from './command.js';
export { defaultOutcome, EXPECTED_OTP, FAIL_MARKER, CANCEL_MARKER, HANG_MARKER, OTP_MARKER } from './outcome.js';
export type * from './types.js';
