/** Seeded randomness and deterministic fault patterns for the emulator's fault switches. */

/** mulberry32 (the emulator's): spreads kill points and fault draws the same way every run. */
export { seededRandom as seeded } from '../../src/emulator/random.js';

export function integer(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * A `faults.match` that lets the emulator fault each request target (`METHOD /path`) only its
 * first `times` arrivals: a burst per target. With `times` below the client's attempts per
 * request, a retryable request must get through, so a test can demand success, not hope for it.
 */
export class FirstArrivals extends RegExp {
  private readonly seen = new Map<string, number>();
  private faulted = 0;

  constructor(
    pattern: RegExp,
    private readonly times: number,
  ) {
    super(pattern.source, pattern.flags.replace('g', ''));
  }

  override test(target: string): boolean {
    if (!super.test(target)) return false;
    const arrivals = (this.seen.get(target) ?? 0) + 1;
    this.seen.set(target, arrivals);
    if (arrivals > this.times) return false;
    this.faulted += 1;
    return true;
  }

  /** Requests the pattern handed to the fault gate. */
  get count(): number {
    return this.faulted;
  }
}

/**
 * The emulator draws once per enabled rate, then once to pick 500, 502 or 503. With every rate
 * at 1, this random makes every matched request fail, cycling through the three statuses.
 */
export function cyclingServerErrors(): () => number {
  let draw = 0;
  const picks = [0.1, 0.5, 0.9];
  return () => {
    draw += 1;
    return draw % 2 === 1 ? 0 : (picks[(draw / 2) % picks.length] ?? 0);
  };
}
