/** Words built from counts and cut text, for the engine's own messages, the API's and every renderer's. */

/** `10000` → `10,000`; a fixed locale so output never depends on the machine. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** `["a", "b", "c"]` → `a, b and c`. */
export function joinList(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Cuts free text to `limit` characters (code points, so no emoji is split), ending in `…`. */
export function shorten(value: string, limit: number | undefined): string {
  if (limit === undefined || value.length <= limit) return value;
  const points = Array.from(value);
  if (points.length <= limit) return value;
  return `${points.slice(0, Math.max(0, limit - 1)).join('')}…`;
}
