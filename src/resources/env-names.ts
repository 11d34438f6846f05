/**
 * Names for the `${env:NAME}` references that `import` writes in place of secrets. A name is
 * read off what it stands for (`JOB_NIGHTLY_SYNC_SINK_HEADERS_AUTHORIZATION`), so a person can
 * tell which value to set from the name alone, and is unique among the names one import makes
 * and the names the project's files already use, so no two secrets ever share a variable.
 */
import { ENV_NAME_PATTERN, TOOL_KEYS } from './env.js';

/** Upper snake case: camel humps split (`accessKeyId` → `ACCESS_KEY_ID`), anything else not a letter or digit → `_`. */
export function envNamePart(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]/g, '_')
    .toUpperCase();
}

/** The name for one value: a prefix naming the resource (`JOB`, its ID) and the path to the value. */
export function envNameFor(prefix: readonly string[], path: readonly (string | number)[]): string {
  return [...prefix, ...path.map(String)].map(envNamePart).join('_');
}

/**
 * Hands out names, each at most once. A name already taken gets `_2`, `_3`… in the order names
 * are asked for, so the same import of the same resources gives the same names.
 */
export class EnvNames {
  private readonly taken: Set<string>;

  /** `taken`: names already in use (variables the project's files reference). */
  constructor(taken: Iterable<string> = []) {
    this.taken = new Set([...taken, ...Object.keys(TOOL_KEYS)]);
  }

  claim(base: string): string {
    // A prefix always leads (JOB_…), but a bare part could start with a digit.
    const valid = ENV_NAME_PATTERN.test(base) ? base : `_${base}`;
    let name = valid;
    for (let suffix = 2; this.taken.has(name); suffix++) name = `${valid}_${suffix}`;
    this.taken.add(name);
    return name;
  }
}
