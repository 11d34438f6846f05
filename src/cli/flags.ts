/**
 * Strict flags, checked on the raw arguments before any command runs. yargs reads
 * `--dry-run=1` as `false` (so a dry-run would apply) and a scalar given twice as an array;
 * both must instead be usage errors, and only the raw tokens still tell them apart.
 */
import { InputError } from '../errors.js';

export interface DeclaredFlags {
  /** Long names (kebab-case) of the boolean options of the command being run. */
  boolean: readonly string[];
  /** Long names of every other option of that command. */
  scalar: readonly string[];
}

/** Appended to every usage error, on the same line: a usage error is one line. */
export const USAGE_HINT = '(see intuned-gitops --help)';

/**
 * Throws an {@link InputError} when a boolean flag has a value other than `true`/`false`, when
 * any flag is given more than once (`--dir a --dir=b`, `--dry-run --no-dry-run`), or when a flag
 * that takes a value has none or an empty one (`--dir` last, `--dir --force`, `--dir=`,
 * `--dir "$UNSET"`: each would otherwise fall back to a default without a word).
 * Tokens after `--` are not flags. Unknown names are left to the parser's own strict check.
 */
export function checkStrictFlags(tokens: readonly string[], declared: DeclaredFlags): void {
  const booleans = new Set(declared.boolean);
  const known = new Set([...declared.boolean, ...declared.scalar]);
  const seen = new Set<string>();
  for (const [index, token] of tokens.entries()) {
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
          ? `${shown} takes no value: got "${value}" ${USAGE_HINT}`
          : `--${name} takes no value, or exactly true or false: got "${value}" ${USAGE_HINT}`,
      );
    }
    if (!booleans.has(name)) {
      // A value may start with one dash (`--timeout -5s` is refused later, with its own reason).
      const next = value ?? tokens[index + 1];
      if (next === undefined || next.startsWith('--')) throw new InputError(`--${name} needs a value ${USAGE_HINT}`);
      if (next.trim() === '') throw new InputError(`--${name} was given an empty value ${USAGE_HINT}`);
    }
    if (seen.has(name)) throw new InputError(`--${name} was given more than once; give it once ${USAGE_HINT}`);
    seen.add(name);
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * One line from a message of yargs: its "Invalid values:" table said as a sentence, its
 * "Unknown arguments" without the camelCase twin of each name, the rest on one line.
 */
export function usageMessage(message: string, tokens: readonly string[] = []): string {
  const choice = /^Invalid values:\s*Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/s.exec(message.trim());
  if (choice) {
    // A flag is named as written (`--output`); a positional argument (`schema KIND`) by its name.
    const flag = tokens.some((token) => token === `--${choice[1]}` || token.startsWith(`--${choice[1]}=`));
    return `${flag ? '--' : ''}${choice[1]} must be one of ${choice[3]!.trim()}: got ${choice[2]} ${USAGE_HINT}`;
  }
  const unknown = /^(Unknown arguments?): (.*)$/s.exec(message.trim());
  if (unknown) {
    const names = unknown[2]!.split(',').map((name) => name.trim());
    const kept = names.filter((name) => !(/[A-Z]/.test(name) && names.includes(kebab(name))));
    return `${kept.length === 1 ? 'Unknown argument' : 'Unknown arguments'}: ${kept.join(', ')} ${USAGE_HINT}`;
  }
  return `${message.trim().replace(/\s*\n\s*/g, ' ')} ${USAGE_HINT}`;
}
