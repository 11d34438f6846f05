/** Durations as users type them (`90s`, `10m`, `1h30m`, `500ms`) and as they read them. */
import { InputError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A wait of zero (or less) would time every operation out at once: refused like a typo. `source`
 * names where the text came from as its user knows it (`--timeout`, `the timeout input`).
 */
export function parseDuration(text: string, source: string): number {
  const refuse = () => new InputError(`${source} ${JSON.stringify(text)} is not a duration longer than zero: use e.g. 90s, 10m or 1h30m`);
  const trimmed = text.trim();
  const parts = /^\d+$/.test(trimmed) ? [[trimmed, trimmed, 's']] : [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) throw refuse();
  const ms = Math.round(parts.reduce((total, part) => total + Number(part[1]) * UNITS[part[2]!]!, 0));
  if (ms <= 0) throw refuse();
  return ms;
}

/** `950ms`, `1.6s`, `42s`, `3m 05s`, `1h 02m`: as precise as a person needs at each scale. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
