/**
 * The order IDs are shown in: natural, so `batch-9` comes before `batch-10`. Runs of digits
 * compare as numbers (by value, then by length so `07` and `7` still differ), everything else
 * by code unit, so the order never depends on the machine's locale.
 */
const RUNS = /\d+|\D+/g;

export function compareIds(a: string, b: string): number {
  const left = a.match(RUNS) ?? [];
  const right = b.match(RUNS) ?? [];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const x = left[index]!;
    const y = right[index]!;
    if (x === y) continue;
    if (isDigits(x) && isDigits(y)) {
      const byValue = compareNumbers(x, y);
      if (byValue !== 0) return byValue;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

function isDigits(run: string): boolean {
  return run.charCodeAt(0) >= 48 && run.charCodeAt(0) <= 57;
}

/** Digit strings of any length, without the precision limit of Number. */
function compareNumbers(x: string, y: string): number {
  const a = x.replace(/^0+(?=\d)/, '');
  const b = y.replace(/^0+(?=\d)/, '');
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
