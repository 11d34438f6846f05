/**
 * Strict flags, checked on the raw arguments before any command runs. yargs reads
 * `--dry-run=1` as `false` (so a dry-run would apply) and a scalar given twice as an array;
 * both must instead be usage errors, and only the raw tokens still tell them apart.
 */
import { InputError } from './errors.js';

export interface DeclaredFlags {
  /** Long names (kebab-case) of the boolean options of the command being run. */
  boolean: readonly string[];
  /** Long names of every other option of that command. */
  scalar: readonly string[];
}

const USAGE = 'Run intuned-gitops --help for usage.';

/**
 * Throws an {@link InputError} when a boolean flag has a value other than `true`/`false`, or
 * when any flag is given more than once (`--dir a --dir=b`, `--dry-run --no-dry-run`).
 * Tokens after `--` are not flags. Unknown names are left to the parser's own strict check.
 */
export function checkStrictFlags(tokens: readonly string[], declared: DeclaredFlags): void {
  const booleans = new Set(declared.boolean);
  const known = new Set([...declared.boolean, ...declared.scalar]);
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token === '--') break;
    if (!token.startsWith('--')) continue;
    const equals = token.indexOf('=');
    const written = equals === -1 ? token.slice(2) : token.slice(2, equals);
    const value = equals === -1 ? undefined : token.slice(equals + 1);
    let name = kebab(written);
    let negated = false;
    if (!known.has(name) && name.startsWith('no-') && booleans.has(name.slice(3))) {
      name = name.slice(3);
      negated = true;
    }
    if (!known.has(name)) continue;
    if (booleans.has(name) && value !== undefined && (negated || (value !== 'true' && value !== 'false'))) {
      const shown = negated ? `--no-${name}` : `--${name}`;
      throw new InputError(
        negated
          ? `${shown} takes no value: got "${value}"\n${USAGE}`
          : `--${name} takes no value, or exactly true or false: got "${value}"\n${USAGE}`,
      );
    }
    if (seen.has(name)) throw new InputError(`--${name} was given more than once; give it once\n${USAGE}`);
    seen.add(name);
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
