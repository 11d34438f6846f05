/** Words built from counts, for the engine's own messages and every renderer's. */

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
