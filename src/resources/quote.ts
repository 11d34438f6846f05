/**
 * A key or name from a file, quoted for a one-line message: JSON escapes keep control
 * characters (a newline, ESC) from breaking the `path:line:col: message` line or reaching the
 * terminal, and a very long key is cut.
 */
const MAX_QUOTED_CHARS = 80;

export function quoteKey(key: string): string {
  return JSON.stringify(key.length > MAX_QUOTED_CHARS ? `${key.slice(0, MAX_QUOTED_CHARS)}…` : key);
}
