/** "Did you mean …?" for misspelled keys: a typo must not pass silently, nor leave one guessing. */

/** Edit distance (insertions, deletions, substitutions), two rows at a time. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known word closest to `word` (case and `_`/`-` ignored), if it is close enough. */
export function closestMatch(word: string, known: readonly string[]): string | undefined {
  const normalize = (text: string) => text.toLowerCase().replace(/[-_]/g, '');
  const target = normalize(word);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = levenshtein(target, normalize(candidate));
    // Allow about one edit per three letters, so "proxi" matches but "port" does not.
    const limit = Math.max(1, Math.floor(candidate.length / 3));
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
