/**
 * Which operation IDs the client will use. `intuned-api.md` gives no format (the emulator and
 * the examples use UUIDs; run IDs are 21-character nanoids), so the rule is a safe superset:
 * URL-unreserved characters only, at most 200 of them, and never dots alone. An ID outside it
 * is never stored, never put in a path: the operation's outcome is unknown.
 */
export const OPERATION_ID_MAX_LENGTH = 200;
const OPERATION_ID_PATTERN = /^[A-Za-z0-9._~-]+$/;

export function isUsableOperationId(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= OPERATION_ID_MAX_LENGTH &&
    OPERATION_ID_PATTERN.test(value) &&
    !/^\.+$/.test(value)
  );
}

/** Says what is wrong with an unusable ID without quoting it (it may be 100 KB, or hostile). */
export function describeUnusableOperationId(value: string): string {
  if (value.length > OPERATION_ID_MAX_LENGTH) return `an operation ID of ${value.length} characters (at most ${OPERATION_ID_MAX_LENGTH} are accepted)`;
  if (/^\.+$/.test(value)) return 'an operation ID made only of dots';
  return 'an operation ID holding characters other than letters, digits and ._~-';
}
